import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, Store } from './index.js';
import type { AlertEventTable } from './schema.js';

/**
 * cmdb-alerting's intake tables behind an interface that speaks alerts, not SQL: the feature never sees which
 * database it runs on (docs/adr/0021). The dialect shows only where SQL itself differs (insert-or-ignore, ids).
 */
export interface IntakeAlert {
  /** Unique per alert state (groupKey, fingerprint, status, startsAt): the second copy is not stored. */
  dedupKey: string;
  fingerprint: string;
  status: string;
  startsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface IntakeBatch {
  groupKey: string;
  receiver: string;
  status: string;
  /** The batch's JSON as received, kept for the delivery and audit stages. */
  payload: string;
  alerts: IntakeAlert[];
  receivedAt: number;
}

export interface RecordedAlert {
  id: number;
  batchId: number;
  fingerprint: string;
  status: string;
  startsAt: string;
  labels: Record<string, string>;
  /** Milliseconds since the epoch. */
  receivedAt: number;
}

export interface AlertIntakeStore {
  /**
   * Commits the batch's new alerts (and the batch, when any is new) in one transaction; resolves only once they
   * are committed. Rejects when the database cannot be reached or written.
   */
  record(batch: IntakeBatch): Promise<{ recorded: number; duplicates: number }>;
  /** The stored states of one alert, oldest first. */
  alertsOf(fingerprint: string): Promise<RecordedAlert[]>;
  /** How many alert states are stored. */
  countAlerts(): Promise<number>;
  /** Up to `limit` alert states, newest first, older than `beforeId` when given (keyset pagination). */
  recent(limit: number, beforeId?: number): Promise<RecordedAlert[]>;
}

/** Removes alerts listed twice in one batch (same key), keeping the first. */
function distinct(alerts: IntakeAlert[]): IntakeAlert[] {
  const seen = new Set<string>();
  return alerts.filter((a) => !seen.has(a.dedupKey) && seen.add(a.dedupKey));
}

// Keys per `IN (…)` and rows per INSERT: far below every database's bound-parameter limit (SQLite 32,766).
const CHUNK = 500;
const chunks = <T>(items: T[]): T[][] =>
  Array.from({ length: Math.ceil(items.length / CHUNK) }, (_, i) => items.slice(i * CHUNK, (i + 1) * CHUNK));

async function existingKeys(trx: Transaction<Database>, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks(keys)) {
    const rows = await trx
      .selectFrom('alert_event')
      .select('dedup_key')
      .where('dedup_key', 'in', part)
      .execute();
    for (const row of rows) found.add(row.dedup_key);
  }
  return found;
}

type AlertRow = Pick<
  Selectable<AlertEventTable>,
  'id' | 'batch_id' | 'fingerprint' | 'status' | 'starts_at' | 'labels' | 'received_at'
>;

const toRecordedAlert = (r: AlertRow): RecordedAlert => ({
  id: Number(r.id),
  batchId: Number(r.batch_id),
  fingerprint: r.fingerprint,
  status: r.status,
  startsAt: r.starts_at,
  labels: JSON.parse(r.labels) as Record<string, string>,
  receivedAt: Number(r.received_at),
});

export function createAlertIntakeStore(store: Store): AlertIntakeStore {
  const db: Kysely<Database> = store.db;
  const selectAlerts = () =>
    db
      .selectFrom('alert_event')
      .select(['id', 'batch_id', 'fingerprint', 'status', 'starts_at', 'labels', 'received_at']);

  async function insertBatch(trx: Transaction<Database>, batch: IntakeBatch): Promise<number> {
    const values = {
      group_key: batch.groupKey,
      receiver: batch.receiver,
      status: batch.status,
      payload: batch.payload,
      received_at: batch.receivedAt,
    };
    if (store.dialect === 'postgres') {
      const row = await trx
        .insertInto('alert_batch')
        .values(values)
        .returning('id')
        .executeTakeFirstOrThrow();
      return Number(row.id);
    }
    const result = await trx.insertInto('alert_batch').values(values).executeTakeFirstOrThrow();
    return Number(result.insertId);
  }

  /** Inserts the rows, skipping any key another replica committed meanwhile; returns how many were inserted. */
  async function insertAlerts(
    trx: Transaction<Database>,
    batchId: number,
    batch: IntakeBatch,
    alerts: IntakeAlert[],
  ) {
    let inserted = 0;
    for (const part of chunks(alerts)) {
      const rows = part.map((a) => ({
        dedup_key: a.dedupKey,
        batch_id: batchId,
        fingerprint: a.fingerprint,
        status: a.status,
        starts_at: a.startsAt,
        labels: JSON.stringify(a.labels),
        annotations: JSON.stringify(a.annotations),
        received_at: batch.receivedAt,
      }));
      const insert = trx.insertInto('alert_event').values(rows);
      const result = await (
        store.dialect === 'mysql'
          ? insert.ignore()
          : insert.onConflict((oc) => oc.column('dedup_key').doNothing())
      ).executeTakeFirst();
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return inserted;
  }

  return {
    async record(batch) {
      const alerts = distinct(batch.alerts);
      return db.transaction().execute(async (trx) => {
        const known = await existingKeys(
          trx,
          alerts.map((a) => a.dedupKey),
        );
        const fresh = alerts.filter((a) => !known.has(a.dedupKey));
        if (fresh.length === 0) return { recorded: 0, duplicates: batch.alerts.length };
        const batchId = await insertBatch(trx, batch);
        const recorded = await insertAlerts(trx, batchId, batch, fresh);
        return { recorded, duplicates: batch.alerts.length - recorded };
      });
    },
    async alertsOf(fingerprint) {
      const rows = await selectAlerts().where('fingerprint', '=', fingerprint).orderBy('id').execute();
      return rows.map(toRecordedAlert);
    },
    async recent(limit, beforeId) {
      let query = selectAlerts();
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toRecordedAlert);
    },
    async countAlerts() {
      const { count } = await db
        .selectFrom('alert_event')
        .select((eb) => eb.fn.countAll().as('count'))
        .executeTakeFirstOrThrow();
      return Number(count);
    },
  };
}
