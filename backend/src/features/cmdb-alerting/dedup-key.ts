import { createHash } from 'node:crypto';
import type { AlertmanagerAlert } from '@ks-gpu-ml/contracts';

/**
 * The identity of one alert state: its group, its label set (fingerprint), firing or resolved, and when it started.
 * Both Alertmanagers of an HA pair, and every retry of either, send the same four values for the same event, so
 * the store keeps one row per key. endsAt is left out on purpose: each peer stamps its own end time on a resolved
 * alert. A new firing of the same labels has a new startsAt and is a new event.
 */
export function alertDedupKey(
  groupKey: string,
  alert: Pick<AlertmanagerAlert, 'fingerprint' | 'status' | 'startsAt'>,
): string {
  // A JSON array, not a joined string: no text moved from one part into the next gives the same input.
  return createHash('sha256')
    .update(JSON.stringify([groupKey, alert.fingerprint, alert.status, alert.startsAt]), 'utf8')
    .digest('hex');
}
