import type { ExpressionBuilder, Kysely, Selectable, Transaction } from 'kysely';
import type { Notification } from '../channels/channel.js';
import type { Database, Store } from './index.js';
import type { OutboxDeliveryTable } from './schema.js';

/**
 * cmdb-alerting's durable outbox behind an interface that speaks deliveries, not SQL (docs/adr/0021, 0034).
 * A row per (notification, receiver); replicas claim rows with a lease, so a replica that dies mid-send leaves
 * rows another claims once the lease runs out. The dialect shows only in the claim (row locks) and in inserts.
 */
export type DeliveryState = 'pending' | 'in-flight' | 'delivered' | 'dead' | 'cancelled';

export interface OutboxEntry {
  receiver: string;
  notification: Notification;
}

export interface ClaimedDelivery {
  id: number;
  receiver: string;
  /** Claims so far, this one included. */
  attempts: number;
  notification: Notification;
}

/** What the dispatcher decided after one send of a claimed batch. */
export type Settlement =
  | { kind: 'delivered'; ids: readonly number[] }
  | { kind: 'retry'; ids: readonly number[]; nextAttemptAt: number; error: string }
  | { kind: 'dead'; ids: readonly number[]; error: string };

/** One attempt of a batch as the audit trail keeps it. */
export interface AttemptRecord {
  channel: string;
  outcome: 'delivered' | 'retry' | 'failed';
  providerAnswer?: string;
  /** The provider's ids of what it accepted (a phone call's `provider:callId`, space-separated). */
  providerRef?: string;
  error?: string;
  at: number;
}

/** The final results of a placed phone call, as the trail records them. */
export type CallResultOutcome = 'answered' | 'not-answered' | 'call-failed';

/** A delivered phone call whose result has not been recorded yet. */
export interface PendingCall {
  deliveryId: number;
  receiver: string;
  /** One `provider:callId`. */
  ref: string;
  placedAt: number;
}

export interface TrailEntry {
  deliveryId: number;
  receiver: string;
  channel: string;
  recipients: string[];
  outcome: string;
  providerAnswer?: string;
  error?: string;
  at: number;
}

export interface DeadLetter {
  id: number;
  receiver: string;
  alertKey: string;
  idempotencyKey: string;
  attempts: number;
  lastError?: string;
  updatedAt: number;
}

export interface OutboxStore {
  /** Adds a pending row per entry, due now; an entry whose (key, receiver) is already there is skipped. */
  enqueue(entries: readonly OutboxEntry[], now: number): Promise<number>;
  /** Receivers with rows due now (pending and due, or in flight with a lease that ran out). */
  dueReceivers(now: number, limit: number): Promise<string[]>;
  /** Claims up to `limit` due rows of one receiver for `owner` until `leaseUntil`; no other replica gets them. */
  claim(
    receiver: string,
    owner: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<ClaimedDelivery[]>;
  /** Settles claimed rows and logs the attempt, in one transaction, the state first. */
  complete(owner: string, settlement: Settlement, attempt: AttemptRecord): Promise<void>;
  /**
   * Dead rows, newest first, older than `beforeId` when given; only the receivers of workspace `owner` when given
   * (receiver references `<owner>/<name>`).
   */
  deadLetters(limit: number, beforeId?: number, owner?: string): Promise<DeadLetter[]>;
  /**
   * Makes a dead row pending again, due now, with its attempts reset; false when it is not dead (or, with `owner`,
   * not one of that workspace's receivers').
   */
  retryDead(id: number, now: number, owner?: string): Promise<boolean>;
  /** Every attempt for one alert, oldest first. */
  trail(alertKey: string): Promise<TrailEntry[]>;
  /** Calls placed since `since` (delivered voice attempts) whose result is not in the trail yet, oldest first. */
  pendingCalls(since: number, limit: number): Promise<PendingCall[]>;
  /** Adds a call's final result to the trail, once per call (false when it was recorded already). */
  recordCallResult(
    call: PendingCall,
    outcome: CallResultOutcome,
    detail: string,
    now: number,
  ): Promise<boolean>;
  /** Cancels the alert's rows not yet claimed (an acknowledgement stops the escalation); returns how many. */
  cancelPending(alertKey: string, now: number): Promise<number>;
  /** Rows per state (the queue depth metric). */
  depth(): Promise<Record<DeliveryState, number>>;
}

// Rows per statement: far below every database's bound-parameter limit (SQLite 32,766).
const CHUNK = 200;
const chunks = <T>(items: readonly T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

const CALL_RESULTS: CallResultOutcome[] = ['answered', 'not-answered', 'call-failed'];

/** Bounds what one attempt stores: a provider may answer with a whole page. */
const MAX_TEXT = 2_000;
const bounded = (text: string | undefined): string | null =>
  text === undefined ? null : text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;

/**
 * `LIKE` pattern of a workspace's receiver references (`<owner>/…`). Workspace names are RFC 1123 labels, which hold
 * neither `%` nor `_`; any other character is refused rather than escaped (each database escapes differently).
 */
function ownerPattern(owner: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(owner)) throw new Error(`not a workspace name: ${owner}`);
  return `${owner}/%`;
}

const recipientNames = (n: Notification): string[] =>
  n.recipients.map((r) => r.name ?? r.wecomUserId ?? r.email ?? r.mobile ?? '?');

/** The trail's row of one attempt at a delivery: the delivery's alert, receiver and recipients, and what happened. */
const attemptRow = (
  delivery: { id: number; alert_key: string; receiver: string; notification: string },
  what: {
    channel: string;
    outcome: string;
    provider_answer: string | null;
    error: string | null;
    attempted_at: number;
  },
) => ({
  delivery_id: delivery.id,
  alert_key: delivery.alert_key,
  receiver: delivery.receiver,
  channel: what.channel,
  recipients: JSON.stringify(recipientNames(JSON.parse(delivery.notification) as Notification)),
  outcome: what.outcome,
  provider_answer: what.provider_answer,
  error: what.error,
  attempted_at: what.attempted_at,
});

type DeliveryRow = Selectable<OutboxDeliveryTable>;

/** Pending and due, or in flight with a lease that ran out (its replica stopped mid-send). */
const isDue = (now: number) => (eb: ExpressionBuilder<Database, 'outbox_delivery'>) =>
  eb.or([
    eb.and([eb('state', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
    eb.and([eb('state', '=', 'in-flight'), eb('lease_until', '<', now)]),
  ]);

export function createOutboxStore(store: Store): OutboxStore {
  const db: Kysely<Database> = store.db;
  const locks = store.dialect !== 'sqlite';

  /** The rows to claim, locked against other replicas (PostgreSQL, MySQL); SQLite has one writer anyway. */
  async function lockDue(trx: Transaction<Database>, receiver: string, now: number, limit: number) {
    const query = trx
      .selectFrom('outbox_delivery')
      .select(['id', 'state'])
      .where('receiver', '=', receiver)
      .where(isDue(now))
      .orderBy('id')
      .limit(limit);
    return (locks ? query.forUpdate().skipLocked() : query).execute();
  }

  /** A row whose lease ran out was being sent by a replica that stopped: the trail says so before the resend. */
  async function logInterrupted(trx: Transaction<Database>, rows: DeliveryRow[], now: number) {
    if (rows.length === 0) return;
    await trx
      .insertInto('outbox_attempt')
      .values(
        rows.map((r) =>
          attemptRow(r, {
            channel: '',
            outcome: 'interrupted',
            provider_answer: null,
            error: `lease of ${r.lease_owner ?? '?'} ran out before it settled the send`,
            attempted_at: now,
          }),
        ),
      )
      .execute();
  }

  async function settle(trx: Transaction<Database>, owner: string, s: Settlement, now: number) {
    for (const ids of chunks(s.ids)) {
      if (s.kind === 'delivered') {
        // Whoever holds the lease now: the provider acknowledged, so this row must never be sent again.
        await trx
          .updateTable('outbox_delivery')
          .set({
            state: 'delivered',
            lease_owner: null,
            lease_until: null,
            last_error: null,
            updated_at: now,
          })
          .where('id', 'in', ids)
          .where('state', '!=', 'delivered')
          .execute();
        continue;
      }
      await trx
        .updateTable('outbox_delivery')
        .set({
          state: s.kind === 'dead' ? 'dead' : 'pending',
          next_attempt_at: s.kind === 'retry' ? s.nextAttemptAt : now,
          lease_owner: null,
          lease_until: null,
          last_error: bounded(s.error),
          updated_at: now,
        })
        .where('id', 'in', ids)
        .where('state', '=', 'in-flight')
        .where('lease_owner', '=', owner)
        .execute();
    }
  }

  async function logAttempt(trx: Transaction<Database>, ids: readonly number[], attempt: AttemptRecord) {
    for (const part of chunks(ids)) {
      const rows = await trx
        .selectFrom('outbox_delivery')
        .select(['id', 'alert_key', 'receiver', 'notification'])
        .where('id', 'in', part)
        .execute();
      await trx
        .insertInto('outbox_attempt')
        .values(
          rows
            .map((r) =>
              attemptRow(r, {
                channel: attempt.channel,
                outcome: attempt.outcome,
                provider_answer: bounded(attempt.providerAnswer),
                error: bounded(attempt.error),
                attempted_at: attempt.at,
              }),
            )
            .map((row) => (attempt.providerRef ? { ...row, provider_ref: attempt.providerRef } : row)),
        )
        .execute();
    }
  }

  return {
    async enqueue(entries, now) {
      let inserted = 0;
      for (const part of chunks(entries)) {
        const rows = part.map((e) => ({
          idempotency_key: e.notification.idempotencyKey,
          receiver: e.receiver,
          alert_key: e.notification.alertKey,
          notification: JSON.stringify(e.notification),
          state: 'pending',
          attempts: 0,
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        }));
        const insert = db.insertInto('outbox_delivery').values(rows);
        const result = await (
          store.dialect === 'mysql'
            ? insert.ignore()
            : insert.onConflict((oc) => oc.columns(['idempotency_key', 'receiver']).doNothing())
        ).executeTakeFirst();
        inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
      }
      return inserted;
    },

    async dueReceivers(now, limit) {
      const rows = await db
        .selectFrom('outbox_delivery')
        .where(isDue(now))
        .select('receiver')
        .distinct()
        .limit(limit)
        .execute();
      return rows.map((r) => r.receiver);
    },

    async claim(receiver, owner, now, leaseUntil, limit) {
      return db.transaction().execute(async (trx) => {
        const locked = await lockDue(trx, receiver, now, limit);
        if (locked.length === 0) return [];
        const ids = locked.map((r) => r.id);
        const rows = await trx.selectFrom('outbox_delivery').selectAll().where('id', 'in', ids).execute();
        await logInterrupted(
          trx,
          rows.filter((r) => r.state === 'in-flight'),
          now,
        );
        await trx
          .updateTable('outbox_delivery')
          .set((eb) => ({
            state: 'in-flight',
            lease_owner: owner,
            lease_until: leaseUntil,
            attempts: eb('attempts', '+', 1),
            updated_at: now,
          }))
          .where('id', 'in', ids)
          .execute();
        return rows
          .sort((a, b) => a.id - b.id)
          .map((r) => ({
            id: Number(r.id),
            receiver: r.receiver,
            attempts: Number(r.attempts) + 1,
            notification: JSON.parse(r.notification) as Notification,
          }));
      });
    },

    async complete(owner, settlement, attempt) {
      if (settlement.ids.length === 0) return;
      await db.transaction().execute(async (trx) => {
        await settle(trx, owner, settlement, attempt.at);
        await logAttempt(trx, settlement.ids, attempt);
      });
    },

    async deadLetters(limit, beforeId, owner) {
      let query = db
        .selectFrom('outbox_delivery')
        .select(['id', 'receiver', 'alert_key', 'idempotency_key', 'attempts', 'last_error', 'updated_at'])
        .where('state', '=', 'dead');
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      if (owner !== undefined) query = query.where('receiver', 'like', ownerPattern(owner));
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({
        id: Number(r.id),
        receiver: r.receiver,
        alertKey: r.alert_key,
        idempotencyKey: r.idempotency_key,
        attempts: Number(r.attempts),
        ...(r.last_error === null ? {} : { lastError: r.last_error }),
        updatedAt: Number(r.updated_at),
      }));
    },

    async retryDead(id, now, owner) {
      let query = db
        .updateTable('outbox_delivery')
        .set({ state: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
        .where('id', '=', id)
        .where('state', '=', 'dead');
      if (owner !== undefined) query = query.where('receiver', 'like', ownerPattern(owner));
      const result = await query.executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async trail(alertKey) {
      const rows = await db
        .selectFrom('outbox_attempt')
        .selectAll()
        .where('alert_key', '=', alertKey)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        deliveryId: Number(r.delivery_id),
        receiver: r.receiver,
        channel: r.channel,
        recipients: JSON.parse(r.recipients) as string[],
        outcome: r.outcome,
        ...(r.provider_answer === null ? {} : { providerAnswer: r.provider_answer }),
        ...(r.error === null ? {} : { error: r.error }),
        at: Number(r.attempted_at),
      }));
    },

    async pendingCalls(since, limit) {
      const placed = await db
        .selectFrom('outbox_attempt')
        .select(['delivery_id', 'receiver', 'provider_ref', 'attempted_at'])
        .where('channel', '=', 'voice')
        .where('outcome', '=', 'delivered')
        .where('provider_ref', 'is not', null)
        .where('attempted_at', '>=', since)
        .orderBy('id')
        .limit(limit)
        .execute();
      if (placed.length === 0) return [];
      const done = new Set<string>();
      for (const ids of chunks([...new Set(placed.map((p) => Number(p.delivery_id)))])) {
        const results = await db
          .selectFrom('outbox_attempt')
          .select(['delivery_id', 'provider_ref'])
          .where('delivery_id', 'in', ids)
          .where('outcome', 'in', CALL_RESULTS)
          .execute();
        for (const r of results) done.add(`${Number(r.delivery_id)} ${r.provider_ref ?? ''}`);
      }
      return placed.flatMap((p) =>
        (p.provider_ref ?? '')
          .split(' ')
          .filter((ref) => ref && !done.has(`${Number(p.delivery_id)} ${ref}`))
          .map((ref) => ({
            deliveryId: Number(p.delivery_id),
            receiver: p.receiver,
            ref,
            placedAt: Number(p.attempted_at),
          })),
      );
    },

    async recordCallResult(call, outcome, detail, now) {
      return db.transaction().execute(async (trx) => {
        const known = await trx
          .selectFrom('outbox_attempt')
          .select('id')
          .where('delivery_id', '=', call.deliveryId)
          .where('provider_ref', '=', call.ref)
          .where('outcome', 'in', CALL_RESULTS)
          .executeTakeFirst();
        if (known) return false;
        const delivery = await trx
          .selectFrom('outbox_delivery')
          .select(['id', 'alert_key', 'receiver', 'notification'])
          .where('id', '=', call.deliveryId)
          .executeTakeFirst();
        if (!delivery) return false;
        await trx
          .insertInto('outbox_attempt')
          .values({
            ...attemptRow(delivery, {
              channel: 'voice',
              outcome,
              provider_answer: bounded(`${call.ref}: ${detail}`),
              error: null,
              attempted_at: now,
            }),
            provider_ref: call.ref,
          })
          .execute();
        return true;
      });
    },

    async cancelPending(alertKey, now) {
      const result = await db
        .updateTable('outbox_delivery')
        .set({ state: 'cancelled', updated_at: now })
        .where('alert_key', '=', alertKey)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async depth() {
      const rows = await db
        .selectFrom('outbox_delivery')
        .select((eb) => ['state', eb.fn.countAll().as('count')])
        .groupBy('state')
        .execute();
      const depth: Record<DeliveryState, number> = {
        pending: 0,
        'in-flight': 0,
        delivered: 0,
        dead: 0,
        cancelled: 0,
      };
      for (const r of rows) depth[r.state as DeliveryState] = Number(r.count);
      return depth;
    },
  };
}
