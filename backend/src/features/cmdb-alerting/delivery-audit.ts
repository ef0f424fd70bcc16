import type { DeadLetterList, DeadLetterQuery, DeadLetterRetried, DeliveryTrail } from '@ks-gpu-ml/contracts';
import type { OutboxStore } from '../../clients/store/outbox.js';
import { AppError } from '../../core/errors.js';
import { pickLanguage, type Translate } from '../../core/i18n.js';

/**
 * An alert's delivery trail and the outbox's dead letters, as the routes show them (docs/adr/0034, 0044). The
 * trail is the outbox's attempt log: what was tried, through which channel, for whom, and what the provider said
 * (already reduced by the channels, so no secret is in it). A workspace sees the trail of the alerts its own
 * policy escalates, and the dead letters of its own receivers (`<workspace>/<name>`); the cluster's admins see all.
 */
export interface DeliveryAuditService {
  trail(alertKey: string, acceptLanguage?: string): Promise<DeliveryTrail>;
  /** 404 (as if it did not exist) for an alert another scope's policy escalates. */
  trailIn(workspace: string, alertKey: string, acceptLanguage?: string): Promise<DeliveryTrail>;
  /** `owner` undefined: every dead letter (the cluster's admins); else the workspace's receivers' only. */
  deadLetters(
    owner: string | undefined,
    query: DeadLetterQuery,
    acceptLanguage?: string,
  ): Promise<DeadLetterList>;
  /** 404 when the id is not a dead letter the caller's scope owns. */
  retry(owner: string | undefined, id: string): Promise<DeadLetterRetried>;
}

export interface DeliveryAuditDeps {
  outbox: Pick<OutboxStore, 'trail' | 'deadLetters' | 'retryDead'>;
  /** The workspace whose policy escalates the alert ('' for the cluster's), undefined when none does. */
  escalationOwner(alertKey: string): Promise<string | undefined>;
  onStoreError(err: unknown): void;
  /** The backend's messages: an error recorded as a message key is also said in the caller's language. */
  translate?: Translate;
  now?: () => number;
}

const iso = (ms: number) => new Date(ms).toISOString();
/** What a channel records as an error when it is one of the backend's messages (locales/<lang>/backend.json). */
const MESSAGE_KEY = /^[A-Z][A-Z0-9_]{2,80}$/;
const withText = <K extends string>(key: K, text: string | undefined) =>
  (text === undefined ? {} : { [key]: text }) as Partial<Record<K, string>>;

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
  /** The text of an error recorded as one of the backend's message keys, in the caller's language. */
  const said = (error: string | undefined, acceptLanguage: string | undefined) => {
    if (!error || !deps.translate || !MESSAGE_KEY.test(error)) return undefined;
    const text = deps.translate(pickLanguage(acceptLanguage), error);
    return text === error ? undefined : text;
  };
  const trail = (alertKey: string, acceptLanguage?: string) =>
    reading(async () => ({
      items: (await deps.outbox.trail(alertKey)).map((e) => ({
        deliveryId: e.deliveryId,
        receiver: e.receiver,
        channel: e.channel,
        recipients: e.recipients,
        outcome: e.outcome,
        ...(e.providerAnswer === undefined ? {} : { providerAnswer: e.providerAnswer }),
        ...(e.error === undefined ? {} : { error: e.error }),
        ...withText('errorText', said(e.error, acceptLanguage)),
        at: iso(e.at),
      })),
    }));
  const deadNotFound = (id: string) =>
    new AppError(404, 'NotFound', 'CMDB_ALERTING_DEAD_LETTER_NOT_FOUND', { id });
  return {
    trail,
    async trailIn(workspace, alertKey, acceptLanguage) {
      const owner = await reading(() => deps.escalationOwner(alertKey));
      if (owner !== workspace)
        throw new AppError(404, 'NotFound', 'CMDB_ALERTING_ESCALATION_NOT_FOUND', { alertKey });
      return trail(alertKey, acceptLanguage);
    },
    deadLetters(owner, query, acceptLanguage) {
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
          ...withText('lastErrorText', said(d.lastError, acceptLanguage)),
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
