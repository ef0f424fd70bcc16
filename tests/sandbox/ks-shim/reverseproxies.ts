// A stand-in for ks-apiserver's ReverseProxy filter (kubesphere-extensions.md §2.3, §3.1): a request under /proxy is
// authorized as a non-resource request (nonResourceURLs, the UPPER-CASE HTTP method as the verb), then passed to the
// upstream of the first Available ReverseProxy object whose matcher takes it. The objects are read from the sandbox's
// kube-apiserver, as the APIService routing does (apiservices.ts). Only the directives our charts use are done
// (stripPathPrefix, headerUp); any other directive is refused loudly rather than ignored, so a test cannot pass on
// behaviour the stand-in does not have.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { upstreamOf, type UpstreamTarget } from './apiservices.js';
import type { NonResourceAttributes } from './authz.js';
import { scrubHeaders } from './headers.js';
import type { KubeClient } from './kube.js';
import type { List } from './kube-reads.js';

const REVERSEPROXIES = '/apis/extensions.kubesphere.io/v1alpha1/reverseproxies';
/** Proxies with this label are the console's to serve, not ks-apiserver's. */
const TARGET_LABEL = 'kubesphere.io/reverse-proxy-target';
const SUPPORTED_DIRECTIVES = new Set(['stripPathPrefix', 'headerUp']);

export interface ReverseProxy {
  metadata: { name: string; labels?: Record<string, string> };
  spec?: {
    matcher?: { path?: string; method?: string };
    upstream?: Parameters<typeof upstreamOf>[0];
    directives?: { stripPathPrefix?: string; headerUp?: string[] } & Record<string, unknown>;
  };
  status?: { state?: string };
}

/** The non-resource attributes ks-apiserver authorizes a /proxy request with: its method kept as sent. */
export function proxyAuthorization(method: string, path: string): NonResourceAttributes {
  return { path, verb: method.toUpperCase() };
}

/** `matcher.path` is an exact path or a prefix ending in `*`, and must start with /proxy; method `*` takes any. */
export function matches(proxy: ReverseProxy, method: string, path: string): boolean {
  const matcher = proxy.spec?.matcher;
  if (!matcher?.path?.startsWith('/proxy')) return false;
  if (matcher.method && matcher.method !== '*' && matcher.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  return matcher.path.endsWith('*') ? path.startsWith(matcher.path.slice(0, -1)) : path === matcher.path;
}

/** Directives the stand-in does not implement, named so the caller can refuse the request. */
export function unsupportedDirectives(proxy: ReverseProxy): string[] {
  const set = Object.entries(proxy.spec?.directives ?? {}).filter(
    ([, value]) =>
      value !== undefined && value !== false && value !== '' && !(Array.isArray(value) && !value.length),
  );
  return set.map(([name]) => name).filter((name) => !SUPPORTED_DIRECTIVES.has(name));
}

/** The upstream path: stripPathPrefix removed when the path starts with it (an empty rest becomes `/`). */
export function upstreamPath(proxy: ReverseProxy, path: string): string {
  const prefix = proxy.spec?.directives?.stripPathPrefix;
  if (!prefix || !path.startsWith(prefix)) return path;
  const rest = path.slice(prefix.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/**
 * The headers sent upstream: the caller's, Authorization included (a ReverseProxy keeps it unless a `-Authorization`
 * headerUp removes it), without hop-by-hop or identity headers, then the headerUp edits: `-Name` deletes,
 * `+Name value` adds, `Name value` sets. `upgrade` keeps the WebSocket handshake's Connection and Upgrade.
 */
export function upstreamHeaders(
  proxy: ReverseProxy,
  incoming: IncomingHttpHeaders,
  upgrade = false,
): OutgoingHttpHeaders {
  const out = scrubHeaders(incoming);
  if (upgrade && incoming.upgrade) {
    out.connection = 'Upgrade';
    out.upgrade = incoming.upgrade;
  }
  for (const edit of proxy.spec?.directives?.headerUp ?? []) {
    const [rawName = '', ...words] = edit.trim().split(/\s+/);
    const value = words.join(' ');
    if (rawName.startsWith('-')) {
      delete out[rawName.slice(1).toLowerCase()];
    } else if (rawName.startsWith('+')) {
      const name = rawName.slice(1).toLowerCase();
      const prior = out[name];
      out[name] = prior === undefined ? value : [...(Array.isArray(prior) ? prior : [String(prior)]), value];
    } else if (rawName) {
      out[rawName.toLowerCase()] = value;
    }
  }
  return out;
}

export type ReverseProxyLookup =
  { kind: 'none' } | { kind: 'found'; proxy: ReverseProxy; target: UpstreamTarget };

/** The first Available ReverseProxy (in the apiserver's name order) that takes the request, ks-apiserver's. */
export async function findReverseProxy(
  kube: KubeClient,
  method: string,
  path: string,
  addresses: Record<string, string>,
): Promise<ReverseProxyLookup> {
  const items = (await kube.get<List<ReverseProxy>>(REVERSEPROXIES))?.items ?? [];
  const proxy = items.find(
    (p) =>
      p.status?.state === 'Available' &&
      p.metadata.labels?.[TARGET_LABEL] !== 'ks-console' &&
      p.spec?.upstream &&
      matches(p, method, path),
  );
  if (!proxy?.spec?.upstream) return { kind: 'none' };
  return { kind: 'found', proxy, target: upstreamOf(proxy.spec.upstream, addresses) };
}
