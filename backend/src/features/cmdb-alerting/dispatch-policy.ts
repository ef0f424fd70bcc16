import type { DeliveryOutcome } from '../../clients/channels/channel.js';
import type { ClaimedDelivery, Settlement } from '../../clients/store/outbox.js';

export interface RetryPolicy {
  /** Claims after which a still-failing notification becomes a dead letter. */
  maxAttempts: number;
  /** First backoff; doubles per attempt up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random), so replicas and receivers that failed together
 * do not retry together; never sooner than the provider's own Retry-After.
 */
export function backoffMs(attempts: number, policy: RetryPolicy, random: number, retryAfterMs = 0): number {
  const exp = Math.min(policy.maxBackoffMs, policy.baseBackoffMs * 2 ** Math.max(0, attempts - 1));
  return Math.max(retryAfterMs, Math.round(exp / 2 + (exp / 2) * random));
}

/**
 * What to write after one send of a claimed batch: delivered; dead (permanent failure, or retries exhausted for the
 * rows that reached the limit); otherwise pending again after the backoff of the most-tried row.
 */
export function settlementsFor(
  batch: readonly ClaimedDelivery[],
  outcome: DeliveryOutcome,
  policy: RetryPolicy,
  now: number,
  random: number,
): Settlement[] {
  const ids = batch.map((d) => d.id);
  if (outcome.kind === 'delivered') return [{ kind: 'delivered', ids }];
  if (outcome.kind === 'failed') return [{ kind: 'dead', ids, error: outcome.reason }];
  const exhausted = batch.filter((d) => d.attempts >= policy.maxAttempts).map((d) => d.id);
  const again = batch.filter((d) => d.attempts < policy.maxAttempts);
  const most = Math.max(0, ...again.map((d) => d.attempts));
  const settlements: Settlement[] = [];
  if (again.length > 0) {
    const wait = backoffMs(most, policy, random, outcome.retryAfterMs);
    settlements.push({
      kind: 'retry',
      ids: again.map((d) => d.id),
      nextAttemptAt: now + wait,
      error: outcome.reason,
    });
  }
  if (exhausted.length > 0) {
    settlements.push({
      kind: 'dead',
      ids: exhausted,
      error: `${outcome.reason} (after ${policy.maxAttempts} attempts)`,
    });
  }
  return settlements;
}
