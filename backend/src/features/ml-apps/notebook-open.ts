// Opening a notebook through ks-apiserver's ReverseProxy (docs/adr/0046): which notebook a proxied path names,
// whether it can be opened now, where it is sent, and which headers may cross. Pure.
//
// Kubeflow's notebook images run Jupyter without a token (Kubeflow's gateway authenticates), so our proxy IS the
// gate: the caller's KubeSphere credentials are checked by the guard and must never reach the tenant's container,
// where any code the notebook runs could read them.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { hopByHopFor, notebookOpenPath } from '@ks-gpu-ml/contracts';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { NB_PREFIX } from './notebook-manifest.js';
import { STOPPED_ANNOTATION } from './notebook-status.js';

/** The caller's KubeSphere identity as ks-apiserver forwards it: ours to check, not the notebook's to see. */
const CALLER_CREDENTIALS = new Set(['authorization', 'x-remote-user', 'x-remote-group', 'x-remote-uid']);
const CALLER_EXTRA = 'x-remote-extra-';
/** The console's session cookies (its access and refresh tokens); Jupyter's own cookies (_xsrf, …) pass. */
const CONSOLE_COOKIES = new Set(['token', 'refreshToken', 'expire']);
/**
 * Where the caller says it came from: written by the client (or by a proxy we cannot tell from it), so nothing the
 * notebook should believe; Jupyter needs none of them.
 */
const CLIENT_ORIGIN_CLAIMS = new Set(['forwarded', 'x-real-ip']);
const CLIENT_ORIGIN_PREFIX = 'x-forwarded-';
/**
 * Response headers that act on the console's whole origin, which the notebook's answers share: a notebook (any code
 * its owner runs) could clear the console's cookies and storage, let a service worker control every console page,
 * or pin HSTS or another service for the console's host. Dropped; Jupyter sends none of them.
 */
const ORIGIN_WIDE = new Set([
  'clear-site-data',
  'service-worker-allowed',
  'strict-transport-security',
  'alt-svc',
]);

const badPath = (path: string) =>
  new AppError(400, 'BadRequest', 'ML_APPS_NOTEBOOK_OPEN_BAD_PATH', { path }, { path });

/**
 * The path and query to send to the notebook: the request's own (Jupyter serves under the same prefix), once it
 * is under `<prefix>/<namespace>/<name>` and has no dot segment, which a server or a proxy between could resolve
 * to a path outside it.
 */
export function upstreamPath(rawUrl: string, namespace: string, name: string): string {
  const prefix = notebookOpenPath(namespace, name);
  const rest = rawUrl.slice(prefix.length);
  if (!rawUrl.startsWith(prefix) || !(rest === '' || rest.startsWith('/') || rest.startsWith('?'))) {
    throw badPath(rawUrl.split('?')[0]!);
  }
  const path = rawUrl.split('?')[0]!;
  let segments: string[];
  try {
    segments = path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    throw badPath(path);
  }
  if (segments.some((s) => s === '.' || s === '..' || s.includes('/') || s.includes('\\')))
    throw badPath(path);
  return rawUrl;
}

/**
 * What an XSRF token of Jupyter (tornado's `2|mask|token|time`) may look like: nothing that could end the cookie
 * or start another one.
 */
const XSRF_TOKEN = /^[A-Za-z0-9|_=+/.:-]{1,256}$/;

/**
 * The console's server drops the Cookie header of everything it passes to ks-apiserver (its k8sResourceProxy omits
 * `cookie` and `referer`), so Jupyter's `_xsrf` cookie never arrives and its double-submit check would refuse every
 * save. JupyterLab sends the same token in `X-XSRFToken` (read from the cookie it was given); when the cookie is
 * missing we give Jupyter that token as its cookie too. The check keeps what it guards: another site cannot send a
 * custom header on the console's origin with the console's credentials (docs/adr/0046).
 */
function restoreXsrfCookie(
  cookie: string | undefined,
  header: string | string[] | undefined,
): string | undefined {
  const token = Array.isArray(header) ? header[0] : header;
  const hasCookie = (cookie ?? '').split(';').some((c) => c.trim().startsWith('_xsrf='));
  if (hasCookie || token === undefined || !XSRF_TOKEN.test(token)) return cookie;
  return cookie ? `${cookie}; _xsrf=${token}` : `_xsrf=${token}`;
}

function withoutConsoleCookies(cookie: string): string | undefined {
  const kept = cookie
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '' && !CONSOLE_COOKIES.has(c.split('=')[0]!.trim()));
  return kept.length > 0 ? kept.join('; ') : undefined;
}

/**
 * The request headers the notebook gets: no hop-by-hop header, none of the caller's KubeSphere credentials (token,
 * identity headers, console session cookies). A WebSocket handshake keeps `Connection: Upgrade` and
 * `Upgrade: websocket`; any other upgrade is refused (Jupyter speaks only WebSocket).
 */
export function upstreamRequestHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const hopByHop = hopByHopFor(incoming);
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || hopByHop.has(name)) continue;
    if (CALLER_CREDENTIALS.has(name) || name.startsWith(CALLER_EXTRA)) continue;
    if (CLIENT_ORIGIN_CLAIMS.has(name) || name.startsWith(CLIENT_ORIGIN_PREFIX)) continue;
    if (name === 'cookie') {
      const kept = withoutConsoleCookies(Array.isArray(value) ? value.join('; ') : value);
      if (kept) out.cookie = kept;
      continue;
    }
    out[name] = value;
  }
  const cookie = restoreXsrfCookie(out.cookie as string | undefined, incoming['x-xsrftoken']);
  if (cookie !== undefined) out.cookie = cookie;
  if (incoming.upgrade !== undefined) {
    if (String(incoming.upgrade).toLowerCase() !== 'websocket') {
      throw new AppError(400, 'BadRequest', 'ML_APPS_NOTEBOOK_OPEN_BAD_UPGRADE', {
        upgrade: String(incoming.upgrade),
      });
    }
    out.connection = 'Upgrade';
    out.upgrade = 'websocket';
  }
  return out;
}

/**
 * A cookie the notebook sets, confined to the notebook's own path (`cookiePath`, Jupyter's base URL, which is where
 * Jupyter scopes its cookies itself): Path and Domain replaced, so it can neither overwrite nor shadow a console
 * cookie (a Set-Cookie header, unlike a script, can replace an HttpOnly one); none named as the console's session.
 */
function confinedCookie(setCookie: string, cookiePath: string): string | undefined {
  const [pair = '', ...attributes] = setCookie.split(';').map((part) => part.trim());
  const name = pair.split('=')[0]!.trim();
  if (name === '' || CONSOLE_COOKIES.has(name)) return undefined;
  const kept = attributes.filter((a) => {
    const attribute = a.split('=')[0]!.trim().toLowerCase();
    return a !== '' && attribute !== 'path' && attribute !== 'domain';
  });
  return [pair, ...kept, `Path=${cookiePath}`].join('; ');
}

/**
 * The response headers the caller gets: the notebook's, without hop-by-hop ones and those that act on the console's
 * whole origin, its cookies confined to `cookiePath`.
 */
export function downstreamHeaders(
  upstream: IncomingHttpHeaders,
  cookiePath: string,
): Record<string, string | string[]> {
  const hopByHop = hopByHopFor(upstream);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(upstream)) {
    if (value === undefined || hopByHop.has(name) || ORIGIN_WIDE.has(name)) continue;
    if (name === 'set-cookie') {
      const cookies = (Array.isArray(value) ? value : [value])
        .map((c) => confinedCookie(c, cookiePath))
        .filter((c): c is string => c !== undefined);
      if (cookies.length > 0) out[name] = cookies;
      continue;
    }
    out[name] = value;
  }
  return out;
}

/**
 * Where a notebook is served: the Service Kubeflow's controller makes, named after it, port 80 (to Jupyter's
 * 8888). `standInOrigin` replaces it only in tests (ML_APPS_NOTEBOOK_STAND_IN_ORIGIN, loopback only).
 */
export function notebookOrigin(namespace: string, name: string, standInOrigin?: string): string {
  return standInOrigin ?? `http://${name}.${namespace}.svc`;
}

/** Whether the notebook was made to be served under our proxy path (its first container's NB_PREFIX). */
export function servedUnderProxy(notebook: KubeNotebook): boolean {
  const { namespace = '', name = '' } = notebook.metadata ?? {};
  const env = notebook.spec?.template?.spec?.containers?.[0]?.env ?? [];
  return env.some((e) => e.name === NB_PREFIX && e.value === notebookOpenPath(namespace, name));
}

/**
 * Throws why a notebook cannot be opened now: absent (404), stopped (409: start it first), made without our base
 * URL (409: Jupyter would answer every proxied path 404), or not ready yet (503: its pod is not serving).
 */
export function assertOpenable(notebook: KubeNotebook | undefined, namespace: string, name: string): void {
  const params = { name, namespace };
  if (!notebook) throw new AppError(404, 'NotFound', 'ML_APPS_NOTEBOOK_NOT_FOUND', params, params);
  if (notebook.metadata?.annotations?.[STOPPED_ANNOTATION] !== undefined) {
    throw new AppError(409, 'Conflict', 'ML_APPS_NOTEBOOK_OPEN_STOPPED', params, {
      ...params,
      stopped: true,
    });
  }
  if (!servedUnderProxy(notebook)) {
    throw new AppError(409, 'Conflict', 'ML_APPS_NOTEBOOK_OPEN_OTHER_PREFIX', params, params);
  }
  if ((notebook.status?.readyReplicas ?? 0) < 1) {
    throw new AppError(503, 'ServiceUnavailable', 'ML_APPS_NOTEBOOK_OPEN_NOT_READY', params, params);
  }
}
