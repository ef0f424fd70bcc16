// The shim's route tables: `[method, pattern, handler]` rows, patterns like
// `/kapis/iam.kubesphere.io/v1beta1/users/:user`, matched in order.
import type { Handler } from './request-context.js';

export type RouteTable = [method: string, pattern: string, handler: Handler][];

export interface RouteMatch {
  handler: Handler;
  params: Record<string, string>;
}

/** A route pattern as a matcher: the decoded `:name` segments, or undefined when the path is not this route. */
export function compile(pattern: string): (path: string) => Record<string, string> | undefined {
  const names: string[] = [];
  const source = pattern.replace(/[.]/g, '\\.').replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  const re = new RegExp(`^${source}/?$`);
  return (path) => {
    const m = re.exec(path);
    if (!m) return undefined;
    try {
      return Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
    } catch {
      return undefined; // a malformed %-escape matches no route
    }
  };
}

/** A lookup over a table; HEAD finds the GET routes, as go-restful does, and `*` routes take any method. */
export function router(table: RouteTable): (method: string, path: string) => RouteMatch | undefined {
  const routes = table.map(([method, pattern, handler]) => ({ method, match: compile(pattern), handler }));
  return (method, path) => {
    for (const route of routes) {
      const params =
        route.method === method || route.method === '*' || (route.method === 'GET' && method === 'HEAD')
          ? route.match(path)
          : undefined;
      if (params) return { handler: route.handler, params };
    }
    return undefined;
  };
}
