// RFC 7230 §6.1 hop-by-hop headers, for every proxy in the project: the backend's notebook proxy and the sandbox's
// ks-apiserver stand-in drop the same ones, so the list lives here, in the one package both already import. Pure.

/** The headers that describe one connection, never the next one. */
export const HOP_BY_HOP_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The headers that are hop-by-hop for one message: RFC 7230's, and whatever names its `Connection` header lists
 * (RFC 7230 §6.1), lower case.
 */
export function hopByHopFor(headers: Readonly<Record<string, string | string[] | undefined>>): Set<string> {
  const value = headers.connection;
  const list = Array.isArray(value) ? value : value ? [value] : [];
  const listed = list.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase());
  return new Set([...HOP_BY_HOP_HEADERS, ...listed]);
}
