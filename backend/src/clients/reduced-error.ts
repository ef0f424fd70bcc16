/**
 * What of an upstream failure may be logged. HTTP clients' errors carry their whole request and response — axios'
 * `config.headers`, `request._header`, `response.config`; client-node's `headers` — so the Authorization header
 * (our KS_TOKEN_FILE token, a user's token, the kubeconfig's) rode along into the log. Only this shape is logged:
 * message, code, status, method and the URL without credentials; a stack only for our own (non-HTTP) errors.
 */
export interface ReducedError {
  type: string;
  message: string;
  code?: string | number;
  status?: number;
  method?: string;
  url?: string;
  /** Which upstream, for our UpstreamError. */
  upstream?: string;
  stack?: string;
  cause?: ReducedError;
}

const MAX_MESSAGE = 500;
const MAX_DEPTH = 3;

/** `http://user:pass@host/path?x` → `http://host/path?x`; anything unparsable has its userinfo cut by pattern. */
export function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString().replace(/\/$/, url.endsWith('/') ? '/' : '');
  } catch {
    return scrubText(url);
  }
}

/** Removes what looks like a credential from free text: URL userinfo, bearer and basic tokens. */
export function scrubText(text: string, maxLength = MAX_MESSAGE): string {
  return text
    .slice(0, 2 * maxLength)
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s@"']*@/gi, '$1')
    .replace(/\b(Bearer|Basic)\s+[^\s"',;]+/gi, '$1 [redacted]')
    .slice(0, maxLength);
}

/**
 * An upstream answered, but not with what we asked for. Clients throw it (as an UpstreamError's cause) so the log
 * says which call failed and how: method, URL without credentials, status, and the upstream's own short reason.
 */
export class HttpStatusError extends Error {
  readonly url: string;
  constructor(
    readonly method: string,
    url: string,
    readonly status: number,
    reason = '',
  ) {
    const safeUrl = withoutCredentials(url);
    super(`${method} ${safeUrl}: HTTP ${status}${reason ? ` ${reason}` : ''}`);
    this.url = safeUrl;
  }
}

interface HttpErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  stack?: unknown;
  cause?: unknown;
  isAxiosError?: unknown;
  config?: { method?: unknown; url?: unknown; baseURL?: unknown };
  method?: unknown;
  url?: unknown;
  response?: { status?: unknown };
  request?: unknown;
  headers?: unknown;
  body?: unknown;
  upstream?: unknown;
}

/** Looks like an HTTP client's error (it carries a request, a response, headers or a config). */
function isHttpError(e: HttpErrorLike): boolean {
  return (
    e instanceof HttpStatusError ||
    Boolean(e.isAxiosError || e.config || e.request || e.response || e.headers || e.body !== undefined)
  );
}

function requestUrl(e: HttpErrorLike): string | undefined {
  if (typeof e.url === 'string') return withoutCredentials(e.url);
  const { url, baseURL } = e.config ?? {};
  if (typeof url !== 'string') return undefined;
  if (/^[a-z]+:\/\//i.test(url) || typeof baseURL !== 'string') return withoutCredentials(url);
  return withoutCredentials(baseURL.replace(/\/$/, '') + (url.startsWith('/') ? url : `/${url}`));
}

function status(e: HttpErrorLike): number | undefined {
  if (typeof e.response?.status === 'number') return e.response.status;
  if (typeof e.status === 'number') return e.status;
  // client-node's ApiException puts the HTTP status in `code`.
  if (typeof e.code === 'number' && e.code >= 100 && e.code < 600) return e.code;
  return undefined;
}

/** pino's standard error serializer (which fastify installs on its request loggers) keeps the error in `raw`. */
function original(err: object): object {
  const raw = (err as { raw?: unknown }).raw;
  return raw instanceof Error ? raw : err;
}

/** What reduceError made: the logger may meet it twice (its log formatter, then its serializer). */
const reducedShapes = new WeakSet<object>();

export function reduceError(err: unknown, depth = 0): ReducedError {
  if (err === null || typeof err !== 'object') return { type: typeof err, message: scrubText(String(err)) };
  if (reducedShapes.has(err)) return err as ReducedError;
  const e = original(err) as HttpErrorLike;
  const http = isHttpError(e);
  const name =
    e.constructor?.name && e.constructor.name !== 'Object' ? e.constructor.name : String(e.name ?? 'Error');
  // client-node's ApiException message repeats the response body and headers: keep only its first line.
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]! : '';
  const reduced: ReducedError = { type: name, message: scrubText(message) };
  if (typeof e.code === 'string' || typeof e.code === 'number') reduced.code = e.code;
  const httpStatus = status(e);
  if (httpStatus !== undefined) reduced.status = httpStatus;
  const method = e.config?.method ?? e.method;
  if (typeof method === 'string') reduced.method = method.toUpperCase();
  const url = requestUrl(e);
  if (url) reduced.url = url;
  if (typeof e.upstream === 'string') reduced.upstream = e.upstream;
  if (!http && typeof e.stack === 'string') reduced.stack = scrubText(e.stack, 4 * MAX_MESSAGE);
  if (e.cause !== undefined && depth < MAX_DEPTH) reduced.cause = reduceError(e.cause, depth + 1);
  reducedShapes.add(reduced);
  return reduced;
}
