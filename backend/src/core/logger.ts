import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pino, { type Logger } from 'pino';
import { reduceError } from '../clients/reduced-error.js';

/**
 * JSON logs, one line per event, with the request id and (once known) the user on every line of a request.
 * Redaction is a second line of defence: the request serializer already omits headers, but a careless
 * `log.info({ headers })` or a client error carrying its config must not print tokens or secrets.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-kubesphere-authorization"]',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.Authorization',
  'config.headers.Authorization',
  'err.config.headers.Authorization',
  'token',
  '*.token',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'spec.token',
];

/**
 * Any Error logged under any top-level key is written as its reduced shape (clients/reduced-error.ts), so an HTTP
 * client's error logged as it came cannot carry its request headers into the log.
 */
function reduceErrors(fields: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) (out ??= { ...fields })[key] = reduceError(value);
  }
  return out ?? fields;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'ks-gpu-ml-backend' },
      serializers: { err: reduceError, error: reduceError },
      formatters: { log: reduceErrors },
    },
    destination,
  );
}

/** Reuses a caller's X-Request-Id when it looks like one (so logs join across services), else makes one. */
export function requestId(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
}
