import type {
  AlertmanagerWebhookPayload,
  IntakeAnswer,
  ReceivedAlertList,
  ReceivedAlertQuery,
} from '@ks-gpu-ml/contracts';
import type { AlertIntakeStore, IntakeBatch, RecordedAlert } from '../../clients/store/alert-intake.js';
import { AppError } from '../../core/errors.js';
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
  /** The recorded alert states, newest first, a page at a time. */
  list(query: ReceivedAlertQuery): Promise<ReceivedAlertList>;
}

/** A page of rows as the API shows them; `continue` only when the page is full (more may follow). */
export function toAlertList(rows: RecordedAlert[], limit: number): ReceivedAlertList {
  const items = rows.map((r) => ({
    id: r.id,
    fingerprint: r.fingerprint,
    status: r.status === 'resolved' ? ('resolved' as const) : ('firing' as const),
    startsAt: r.startsAt,
    labels: r.labels,
    receivedAt: new Date(r.receivedAt).toISOString(),
  }));
  const last = items.at(-1);
  return rows.length === limit && last ? { items, continue: String(last.id) } : { items };
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
    async list(query) {
      const limit = query.limit ?? 100;
      const before = query.continue === undefined ? undefined : Number(query.continue);
      try {
        return toAlertList(await deps.store.recent(limit, before), limit);
      } catch (err) {
        deps.onStoreError(err);
        throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_STORE_UNREADABLE');
      }
    },
  };
}
