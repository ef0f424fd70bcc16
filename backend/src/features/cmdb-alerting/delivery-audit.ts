import type { DeadLetterList, DeadLetterQuery, DeadLetterRetried, DeliveryTrail } from '@ks-gpu-ml/contracts';
import type { OutboxStore } from '../../clients/store/outbox.js';
import { AppError } from '../../platform/errors.js';

/**
 * An alert's delivery trail and the outbox's dead letters, as the routes show them (docs/adr/0034, 0044). The
 * trail is the outbox's attempt log: what was tried, through which channel, for whom, and what the provider said
 * (already reduced by the channels, so no secret is in it). A workspace sees the trail of the alerts its own
 * policy escalates, and the dead letters of its own receivers (`<workspace>/<name>`); the cluster's admins see all.
 */
export interface DeliveryAuditService {
  trail(alertKey: string): Promise<DeliveryTrail>;
  /** 404 (as if it did not exist) for an alert another scope's policy escalates. */
  trailIn(workspace: string, alertKey: string): Promise<DeliveryTrail>;
  /** `owner` undefined: every dead letter (the cluster's admins); else the workspace's receivers' only. */
  deadLetters(owner: string | undefined, query: DeadLetterQuery): Promise<DeadLetterList>;
  /** 404 when the id is not a dead letter the caller's scope owns. */
  retry(owner: string | undefined, id: string): Promise<DeadLetterRetried>;
}

export interface DeliveryAuditDeps {
  outbox: Pick<OutboxStore, 'trail' | 'deadLetters' | 'retryDead'>;
  /** The workspace whose policy escalates the alert ('' for the cluster's), undefined when none does. */
  escalationOwner(alertKey: string): Promise<string | undefined>;
  onStoreError(err: unknown): void;
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export function createDeliveryAudit(deps: DeliveryAuditDeps): DeliveryAuditService {
  const now = deps.now ?? Date.now;
  /** The store's failure as a 503, logged reduced; an AppError (a 404 decided above) passes through. */
  async function reading<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (err instanceof AppError) throw err;
      deps.onStoreError(err);
      throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_STORE_UNREADABLE');
    }
  }
  const trail = (alertKey: string) =>
    reading(async () => ({
      items: (await deps.outbox.trail(alertKey)).map((e) => ({
        deliveryId: e.deliveryId,
        receiver: e.receiver,
        channel: e.channel,
        recipients: e.recipients,
        outcome: e.outcome,
        ...(e.providerAnswer === undefined ? {} : { providerAnswer: e.providerAnswer }),
        ...(e.error === undefined ? {} : { error: e.error }),
        at: iso(e.at),
      })),
    }));
  const deadNotFound = (id: string) =>
    new AppError(404, 'NotFound', 'CMDB_ALERTING_DEAD_LETTER_NOT_FOUND', { id });
  return {
    trail,
    async trailIn(workspace, alertKey) {
      const owner = await reading(() => deps.escalationOwner(alertKey));
      if (owner !== workspace)
        throw new AppError(404, 'NotFound', 'CMDB_ALERTING_ESCALATION_NOT_FOUND', { alertKey });
      return trail(alertKey);
    },
    deadLetters(owner, query) {
      const limit = query.limit ?? 100;
      const before = query.continue === undefined ? undefined : Number(query.continue);
      return reading(async () => {
        const rows = await deps.outbox.deadLetters(limit, before, owner);
        const items = rows.map((d) => ({
          id: d.id,
          receiver: d.receiver,
          alertKey: d.alertKey,
          attempts: d.attempts,
          ...(d.lastError === undefined ? {} : { lastError: d.lastError }),
          updatedAt: iso(d.updatedAt),
        }));
        const last = items.at(-1);
        return rows.length === limit && last ? { items, continue: String(last.id) } : { items };
      });
    },
    async retry(owner, id) {
      // The path's name is a row id; anything else names no dead letter.
      if (!/^[1-9][0-9]{0,14}$/.test(id)) throw deadNotFound(id);
      const retried = await reading(() => deps.outbox.retryDead(Number(id), now(), owner));
      if (!retried) throw deadNotFound(id);
      return { id: Number(id), state: 'pending' as const };
    },
  };
}
