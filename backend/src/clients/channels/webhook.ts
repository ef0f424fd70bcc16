/**
 * The generic webhook channel: POST JSON to the receiver's URL, signed so the receiver can tell it is ours and fresh.
 *
 * Headers (ADR 0033):
 * - `X-KsGpuMl-Timestamp`: Unix seconds when the request was signed.
 * - `X-KsGpuMl-Signature`: `v1=` + hex HMAC-SHA256(secret, `${timestamp}.${body}`). Receivers recompute it over the
 *   raw body, compare in constant time, and reject timestamps outside a replay window of 5 minutes.
 * - `Idempotency-Key`: the notification's key (a batch: a digest of its keys), the same on every retry.
 * 2xx delivered; 408, 425, 429 and 5xx or no answer retry; any other 4xx is the receiver refusing: failed.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { scrubText } from '../reduced-error.js';
import { noObserve, timed, type ObserveUpstream } from '../upstream.js';
import type { Channel, DeliveryOutcome, Notification } from './channel.js';

export const TIMESTAMP_HEADER = 'x-ksgpuml-timestamp';
export const SIGNATURE_HEADER = 'x-ksgpuml-signature';
export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAY_WINDOW_SECONDS = 300;

export interface WebhookChannelConfig {
  url: string;
  /** The value of the Secret the receiver names; never logged, never part of an outcome. */
  secret: string;
  deadlineMs?: number;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'v1=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver does (and our tests do): the signature matches and the timestamp is inside the window. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp?: string; signature?: string },
  body: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > REPLAY_WINDOW_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function batchKey(batch: readonly Notification[]): string {
  if (batch.length === 1) return batch[0]!.idempotencyKey;
  return createHash('sha256')
    .update(batch.map((n) => n.idempotencyKey).join('\n'))
    .digest('hex');
}

function payload(batch: readonly Notification[]): string {
  const notifications = batch.map(({ markdown: _markdown, html: _html, ...rest }) => rest);
  return JSON.stringify({ version: 1, notifications });
}

const RETRY_STATUSES = new Set([408, 425, 429]);

export function outcomeOfStatus(status: number, answer: string, retryAfter?: string | null): DeliveryOutcome {
  const providerAnswer = `HTTP ${status}${answer ? ` ${scrubText(answer, 200)}` : ''}`;
  if (status >= 200 && status < 300) return { kind: 'delivered', providerAnswer };
  if (status >= 500 || RETRY_STATUSES.has(status)) {
    const seconds = Number(retryAfter);
    const outcome: DeliveryOutcome = {
      kind: 'retry',
      reason: 'CMDB_ALERTING_WEBHOOK_TRY_LATER',
      providerAnswer,
    };
    if (Number.isFinite(seconds) && seconds > 0) outcome.retryAfterMs = seconds * 1000;
    return outcome;
  }
  return { kind: 'failed', reason: 'CMDB_ALERTING_WEBHOOK_REJECTED', providerAnswer };
}

export function createWebhookChannel(
  config: WebhookChannelConfig,
  observe: ObserveUpstream = noObserve,
): Channel {
  const deadlineMs = config.deadlineMs ?? 10_000;
  return {
    type: 'webhook',
    nextSendAt: (now) => now,
    async send(batch, signal) {
      const body = payload(batch);
      const timestamp = Math.floor(Date.now() / 1000);
      try {
        const response = await timed(observe, 'webhook', () =>
          fetch(config.url, {
            method: 'POST',
            body,
            signal: AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)]),
            headers: {
              'content-type': 'application/json',
              [TIMESTAMP_HEADER]: String(timestamp),
              [SIGNATURE_HEADER]: signWebhook(config.secret, timestamp, body),
              [IDEMPOTENCY_HEADER]: batchKey(batch),
            },
          }),
        );
        const answer = (await response.text()).slice(0, 200);
        return outcomeOfStatus(response.status, answer, response.headers.get('retry-after'));
      } catch (err) {
        const name = (err as { name?: string }).name ?? 'error';
        // Only the host: a receiver's URL may carry a token in its path or query.
        return {
          kind: 'retry',
          reason: 'CMDB_ALERTING_WEBHOOK_UNREACHABLE',
          providerAnswer: `no answer from ${new URL(config.url).host} (${name})`,
        };
      }
    },
  };
}
