// Answers the components' requests the way the backend's contract says it must: each request is matched to a route
// spec of contracts/ (method and path), its body is checked against the spec's body schema, and every answer a
// test gives is checked against the spec's response schema (or ErrorBody for errors) before the component sees it.
// A contract change that the console or a test fixture does not follow fails the test instead of passing silently.
import { Value } from '@sinclair/typebox/value';
import { ErrorBody, routerPath, type ReplyOf, type RouteSpec } from '@ks-gpu-ml/contracts';
import { useNetwork, type Answer, type OutgoingRequest } from './console-shared.js';

export interface Call<S extends RouteSpec = RouteSpec> {
  route: S;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
}
export type Reply<T> =
  | { status: 200; body: T }
  | { status: 200; body: string; contentType: string }
  | { status: number; body: ErrorBody };
export type Handler<S extends RouteSpec> = (call: Call<S>) => Reply<ReplyOf<S>> | Promise<Reply<ReplyOf<S>>>;

export const ok = <T>(body: T): Reply<T> => ({ status: 200, body });
/** A 200 in one of the route's other media types (`alternateContent`, e.g. `text/csv`). */
export const okAs = (contentType: string, body: string) => ({ status: 200 as const, body, contentType });

/** An error answer in the one shape every endpoint uses (contracts/src/errors.ts). */
export function refusal(
  code: number,
  reason: string,
  message: string,
  details: Record<string, unknown> = {},
): { status: number; body: ErrorBody } {
  return { status: code, body: { code, reason, message, details } };
}

// contracts/ is built for Node (typebox's CommonJS types), this file for the bundler (its ESM types): the same
// schemas at run time, two declarations of TSchema for tsc.
type Schema = Parameters<typeof Value.Check>[0];

/** The first place `value` breaks `schema`, or undefined when it fits. */
function breach(schema: unknown, value: unknown): string | undefined {
  if (Value.Check(schema as Schema, value)) return undefined;
  const first = [...Value.Errors(schema as Schema, value)][0];
  return `${first?.path || '/'}: ${first?.message ?? 'does not match'}`;
}

interface Mounted {
  route: RouteSpec;
  pattern: RegExp;
  names: string[];
  handler: Handler<RouteSpec>;
}

/** `/kapis/g/v1/namespaces/:namespace/x` → a RegExp with one group per parameter. */
function compile(route: RouteSpec): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = routerPath(route).replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { pattern: new RegExp(`^${source}$`), names };
}

export class ContractServer {
  readonly calls: Call[] = [];
  /** Requests or answers that broke the contract; `verify()` fails the test on any. */
  readonly violations: string[] = [];
  private readonly mounted: Mounted[] = [];

  /** Answers `route` with `handler` (a later `on` for the same route replaces the earlier one). */
  on<S extends RouteSpec>(route: S, handler: Handler<S>): this {
    const i = this.mounted.findIndex((m) => m.route.id === route.id);
    const entry = { route, ...compile(route), handler: handler as unknown as Handler<RouteSpec> };
    if (i >= 0) this.mounted[i] = entry;
    else this.mounted.push(entry);
    return this;
  }

  /** Forgets every handler, call and violation: a fresh server for the next test. */
  reset(): this {
    this.calls.splice(0);
    this.violations.splice(0);
    this.mounted.splice(0);
    return this;
  }

  /** The calls made to one route, oldest first. */
  callsTo(route: RouteSpec): Call[] {
    return this.calls.filter((c) => c.route.id === route.id);
  }

  /** Routes the components' requests here until `close()`. */
  listen(): this {
    useNetwork((request) => this.answer(request));
    return this;
  }

  close(): void {
    useNetwork(undefined);
  }

  verify(): void {
    if (this.violations.length) throw new Error(`contract violations:\n${this.violations.join('\n')}`);
  }

  private async answer(request: OutgoingRequest): Promise<Answer> {
    const url = new URL(request.url, 'http://console.test');
    // The console routes a member cluster's API under /clusters/<name>; the route specs start at /kapis.
    const path = url.pathname.replace(/^\/clusters\/[^/]+/, '');
    for (const m of this.mounted) {
      const match = m.route.method === request.method ? m.pattern.exec(path) : null;
      if (!match) continue;
      const params = Object.fromEntries(m.names.map((n, i) => [n, decodeURIComponent(match[i + 1] ?? '')]));
      const call: Call = { route: m.route, params, query: url.searchParams, body: request.body };
      this.calls.push(call);
      this.checkQuery(m.route, url.searchParams);
      this.checkBody(m.route, request.body);
      const reply = await m.handler(call);
      this.checkReply(m.route, reply);
      return reply;
    }
    this.violations.push(`${request.method} ${request.url}: no route of the contract answered by this test`);
    return refusal(404, 'NotFound', `no handler for ${request.method} ${path}`);
  }

  /** Query values arrive as text; like the backend, convert them to the schema's types before checking. */
  private checkQuery(route: RouteSpec, query: URLSearchParams): void {
    const schema = route.schemas.querystring;
    const given = Object.fromEntries(query);
    if (!schema) {
      if (query.size)
        this.violations.push(`${route.id}: the contract takes no query, got ${query.toString()}`);
      return;
    }
    const problem = breach(schema, Value.Convert(schema as unknown as Schema, given));
    if (problem) this.violations.push(`${route.id}: the query breaks the schema at ${problem}`);
  }

  private checkBody(route: RouteSpec, body: unknown): void {
    const problem = route.schemas.body && breach(route.schemas.body, body);
    if (problem) this.violations.push(`${route.id}: the request body breaks the schema at ${problem}`);
  }

  private checkReply(route: RouteSpec, reply: Answer): void {
    const schema =
      reply.status >= 300
        ? ErrorBody
        : reply.contentType
          ? route.schemas.alternateContent?.[reply.contentType]
          : route.schemas.response[reply.status];
    if (!schema) {
      const what = reply.contentType ? `${reply.status} ${reply.contentType}` : String(reply.status);
      this.violations.push(`${route.id}: the contract has no ${what} answer`);
      return;
    }
    const problem = breach(schema, reply.body);
    if (problem)
      this.violations.push(`${route.id}: the test's ${reply.status} answer breaks the schema at ${problem}`);
  }
}
