// Header hygiene for the two proxies. Identity headers (X-Remote-*, Impersonate-*) are only ever set by the
// shim: whatever the caller sent under those names is dropped first, as client-go's SetAuthProxyHeaders does
// for ks-apiserver's APIService proxy.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { HOP_BY_HOP_HEADERS, hopByHopFor } from '@ks-gpu-ml/contracts';

const isIdentityHeader = (name: string): boolean =>
  name.startsWith('x-remote-') || name.startsWith('impersonate-');

/** Copies headers minus hop-by-hop ones (and those the Connection header names), Host and identity headers. */
export function scrubHeaders(
  incoming: IncomingHttpHeaders,
  drop: readonly string[] = [],
): OutgoingHttpHeaders {
  const hopByHop = hopByHopFor(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(incoming)) {
    const name = key.toLowerCase();
    if (value === undefined || name === 'host' || hopByHop.has(name)) continue;
    if (isIdentityHeader(name) || drop.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

function forwardedFor(incoming: IncomingHttpHeaders, remoteAddress: string | undefined): string | undefined {
  const prior = incoming['x-forwarded-for'];
  const list = [
    ...(Array.isArray(prior) ? prior : prior ? [prior] : []),
    ...(remoteAddress ? [remoteAddress] : []),
  ];
  return list.length ? list.join(', ') : undefined;
}

/** Headers for the extension backend: the caller's headers (Authorization included) plus the shim's identity. */
export function backendHeaders(
  incoming: IncomingHttpHeaders,
  username: string,
  remoteAddress?: string,
): OutgoingHttpHeaders {
  const out = scrubHeaders(incoming);
  out['x-remote-user'] = username;
  out['x-remote-group'] = 'system:authenticated';
  const xff = forwardedFor(incoming, remoteAddress);
  if (xff) out['x-forwarded-for'] = xff;
  return out;
}

/** Headers for kube-apiserver: the caller's own credentials are replaced by the shim's, acting as the user. */
export function impersonationHeaders(
  incoming: IncomingHttpHeaders,
  user: { name: string; groups: readonly string[] },
  adminHeaders: OutgoingHttpHeaders = {},
): OutgoingHttpHeaders {
  const out = scrubHeaders(incoming, ['authorization', 'cookie', 'x-kubesphere-authorization']);
  Object.assign(out, adminHeaders);
  out['impersonate-user'] = user.name;
  const groups = [...new Set([...user.groups, 'system:authenticated'])];
  out['impersonate-group'] = groups;
  return out;
}

/** Response headers to copy back to the caller. */
export function responseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [key, value] of Object.entries(incoming)) {
    if (value !== undefined && !HOP_BY_HOP_HEADERS.has(key.toLowerCase())) out[key] = value;
  }
  return out;
}

/** A URL fit for a log line: query parameters that may carry credentials are masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  for (const key of [...params.keys()]) {
    if (/token|password|secret|authorization/i.test(key)) params.set(key, '***');
  }
  return `${url.slice(0, q)}?${params.toString()}`;
}
