import type { AlertmanagerWebhookPayload, IntakeAnswer } from '@ks-gpu-ml/contracts';
import type { AlertIntakeStore, IntakeBatch } from '../../clients/store/alert-intake.js';
import { AppError } from '../../platform/errors.js';
import { alertDedupKey } from './dedup-key.js';
import type { IntakeMetrics } from './intake-metrics.js';

export interface IntakeServiceDeps {
  store: AlertIntakeStore;
  metrics: IntakeMetrics;
  /** Logs why the store refused (a reduced error, never the batch). */
  onStoreError: (err: unknown) => void;
  now?: () => number;
}

export interface IntakeService {
  /** Resolves once the batch's new alerts are committed; a 503 AppError when they could not be. */
  accept(payload: AlertmanagerWebhookPayload): Promise<IntakeAnswer>;
}

export function toIntakeBatch(payload: AlertmanagerWebhookPayload, receivedAt: number): IntakeBatch {
  return {
    groupKey: payload.groupKey,
    receiver: payload.receiver,
    status: payload.status,
    payload: JSON.stringify(payload),
    receivedAt,
    alerts: payload.alerts.map((alert) => ({
      dedupKey: alertDedupKey(payload.groupKey, alert),
      fingerprint: alert.fingerprint,
      status: alert.status,
      startsAt: alert.startsAt,
      labels: alert.labels,
      annotations: alert.annotations,
    })),
  };
}

export function createIntakeService(deps: IntakeServiceDeps): IntakeService {
  const now = deps.now ?? Date.now;
  return {
    async accept(payload) {
      let answer: IntakeAnswer;
      try {
        answer = await deps.store.record(toIntakeBatch(payload, now()));
      } catch (err) {
        deps.onStoreError(err);
        // 503, never 4xx: Alertmanager retries 5xx (for about one group_interval, then at the next flush), so a
        // batch that could not be committed arrives again instead of being lost.
        throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_STORE_UNAVAILABLE');
      }
      deps.metrics.accepted(answer.recorded, answer.duplicates);
      return answer;
    },
  };
}
