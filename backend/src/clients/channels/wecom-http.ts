import type { DeliveryOutcome } from './channel.js';

/**
 * One call to a WeCom API with a deadline, read into what the channels decide on. WeCom answers errors with HTTP 200
 * and an `errcode` (doc 90313), so the body is always parsed. Request URLs carry the robot key or the access token:
 * they are never logged or put in an outcome; errors are reduced to a code and a short text here.
 */
export interface WecomBody {
  errcode: number;
  errmsg?: string;
  [field: string]: unknown;
}

export type WecomAnswer =
  | { kind: 'answer'; body: WecomBody }
  | { kind: 'unreachable'; timeout: boolean }
  | { kind: 'http-error'; status: number };

/** Logs like pino (the backend's logger): an object, then a message. */
export interface ChannelLog {
  warn(fields: object, message: string): void;
}

export const noLog: ChannelLog = { warn: () => undefined };

export async function callWecom(
  url: URL,
  init: { method: 'GET' | 'POST'; body?: unknown },
  timeoutMs: number,
  signal: AbortSignal,
): Promise<WecomAnswer> {
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const text = await response.text();
    if (response.status !== 200) return { kind: 'http-error', status: response.status };
    const body = JSON.parse(text) as WecomBody;
    if (typeof body?.errcode !== 'number') return { kind: 'http-error', status: response.status };
    return { kind: 'answer', body };
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'SyntaxError') return { kind: 'http-error', status: 200 };
    return { kind: 'unreachable', timeout: name === 'TimeoutError' || name === 'AbortError' };
  }
}

/** Removes every secret (key, corp secret, token) from a provider's text before it is stored or logged. */
export function redact(text: string, secrets: readonly string[]): string {
  let safe = text.slice(0, 300);
  for (const secret of secrets) if (secret) safe = safe.split(secret).join('[redacted]');
  return safe;
}

export const describeAnswer = (answer: WecomAnswer, secrets: readonly string[]): string =>
  answer.kind === 'answer'
    ? `errcode ${answer.body.errcode}: ${redact(String(answer.body.errmsg ?? ''), secrets)}`
    : answer.kind === 'http-error'
      ? `HTTP ${answer.status}`
      : answer.timeout
        ? 'timeout'
        : 'connection failed';

/**
 * Backoff after WeCom's "api freq out of limit" unless the operator sets another (ALERT_WECOM_RATE_LIMIT_BACKOFF_MS):
 * its window is a minute, and how full it is we cannot see.
 */
export const RATE_LIMIT_BACKOFF_MS = 60_000;

/**
 * The outcome of a failed answer, shared by robot and app (reference §5.1, §5.2, §7): rate limit, system busy, 5xx
 * and network errors are transient; everything else WeCom refuses is a receiver error the outbox must not retry
 * blindly. Reasons are keys of locales/<lang>/backend.json, so the console says them in the reader's language.
 */
export function failureOutcome(
  answer: WecomAnswer,
  providerAnswer: string,
  rateLimitBackoffMs = RATE_LIMIT_BACKOFF_MS,
): DeliveryOutcome {
  if (answer.kind === 'unreachable')
    return { kind: 'retry', reason: 'CMDB_ALERTING_WECOM_UNREACHABLE', providerAnswer };
  if (answer.kind === 'http-error') {
    return answer.status >= 500 || answer.status === 429 || answer.status === 200
      ? { kind: 'retry', reason: 'CMDB_ALERTING_WECOM_SERVER_ERROR', providerAnswer }
      : { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_REJECTED', providerAnswer };
  }
  switch (answer.body.errcode) {
    case 45009:
      return {
        kind: 'retry',
        reason: 'CMDB_ALERTING_WECOM_RATE_LIMITED',
        providerAnswer,
        retryAfterMs: rateLimitBackoffMs,
      };
    case -1:
      return { kind: 'retry', reason: 'CMDB_ALERTING_WECOM_BUSY', providerAnswer };
    case 93000:
      return { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY', providerAnswer };
    case 60020:
      return { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_IP_NOT_TRUSTED', providerAnswer };
    case 40001:
    case 40013:
      return { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_BAD_CREDENTIALS', providerAnswer };
    case 81013:
      return { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_NO_VALID_RECIPIENT', providerAnswer };
    default:
      return { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_REJECTED', providerAnswer };
  }
}
