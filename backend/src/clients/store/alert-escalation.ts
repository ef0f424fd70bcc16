import type { AlertBusiness } from '@ks-gpu-ml/contracts';
import { sql, type Kysely } from 'kysely';
import type { Database, Store } from './index.js';
import type { AlertEscalationTable } from './schema.js';

/**
 * cmdb-alerting's escalations and acknowledgements behind an interface that speaks alerts (docs/adr/0021, 0029).
 * Every write is conditional, so replicas sharing one database can run the engine side by side: the first to
 * start, advance or end an escalation wins and the others' writes change nothing.
 */
export type EscalationStateName = 'escalating' | 'acknowledged' | 'resolved' | 'exhausted';

export interface EscalationAlert {
  fingerprint: string;
  startsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** The business system, resolved when the escalation started (kept in the alert's JSON; docs/adr/0039). */
  business?: AlertBusiness;
}

export interface EscalationRow<P> {
  alertKey: string;
  /** '' when the cluster's policy runs, else the workspace whose policy does. */
  owner: string;
  /** The policy as it was when the alert started: editing it later does not move a running escalation. */
  policy: P;
  alert: EscalationAlert;
  firingAt: number;
  state: EscalationStateName;
  stepsSent: number;
  /** Receiver references notified so far. */
  notified: string[];
}

/** An alert state the intake recorded, as the engine reads them in order. */
export interface IntakeEvent extends EscalationAlert {
  id: number;
  status: string;
}

export interface EscalationStore<P> {
  /** False when the alert has an escalation already (another replica started it, or an HA copy). */
  start(row: EscalationRow<P>, now: number): Promise<boolean>;
  /**
   * Starts many at once, a few statements for a whole intake batch instead of a commit each; the keys it inserted
   * (the others had an escalation already). One row per key.
   */
  startMany(rows: readonly EscalationRow<P>[], now: number): Promise<Set<string>>;
  get(alertKey: string): Promise<EscalationRow<P> | undefined>;
  /** Escalations still running, oldest first; after the row `afterId` when given (the engine pages through all). */
  escalating(limit: number, afterId?: number): Promise<(EscalationRow<P> & { id: number })[]>;
  /** One owner's escalations (a workspace's, or '' the cluster's), newest first, older than `beforeId` when given. */
  ofOwner(owner: string, limit: number, beforeId?: number): Promise<(EscalationRow<P> & { id: number })[]>;
  /** Records steps as sent, only if nobody did since `fromStepsSent` was read; false when someone did. */
  advance(
    alertKey: string,
    fromStepsSent: number,
    toStepsSent: number,
    notified: string[],
    now: number,
  ): Promise<boolean>;
  /** Moves the escalation to `to` from one of `from`; false when it was in none of them (someone moved it). */
  transition(
    alertKey: string,
    from: readonly EscalationStateName[],
    to: EscalationStateName,
    now: number,
  ): Promise<boolean>;
  /** False when this person acknowledged this alert before (a link works once). */
  acknowledge(alertKey: string, person: string, via: string, now: number): Promise<boolean>;
  acknowledgedBy(alertKey: string): Promise<string[]>;
  /** The same for many alerts in one query: alert key → who acknowledged, in order (absent: nobody). */
  acknowledgedByAll(alertKeys: readonly string[]): Promise<Map<string, string[]>>;
  /** Intake rows after `afterId`, oldest first. */
  intakeAfter(afterId: number, limit: number): Promise<IntakeEvent[]>;
  cursor(): Promise<number>;
  /** Moves the shared cursor forward only (a slower replica never moves it back). */
  moveCursor(to: number, now: number): Promise<void>;
}

const CURSOR_KEY = 'cmdb-alerting.escalation.cursor';

/** An escalation's row as read: its table's columns but the id and the update time. */
type Row = Omit<AlertEscalationTable, 'id' | 'updated_at'>;

const toRow = <P>(r: Row): EscalationRow<P> => ({
  alertKey: r.alert_key,
  owner: r.owner,
  policy: JSON.parse(r.policy) as P,
  alert: JSON.parse(r.alert) as EscalationAlert,
  firingAt: Number(r.firing_at),
  state: r.state as EscalationStateName,
  stepsSent: Number(r.steps_sent),
  notified: JSON.parse(r.notified) as string[],
});

/** Rows per insert of `startMany` (9 parameters each, well inside SQLite's and PostgreSQL's limits). */
const START_CHUNK = 200;

export function createEscalationStore<P>(store: Store): EscalationStore<P> {
  const db: Kysely<Database> = store.db;
  const select = () =>
    db
      .selectFrom('alert_escalation')
      .select(['alert_key', 'owner', 'policy', 'alert', 'firing_at', 'state', 'steps_sent', 'notified']);
  /** Insert unless the unique key exists: true when this call inserted. */
  const insertOnce = async <T extends 'alert_escalation' | 'alert_ack'>(
    table: T,
    values: Parameters<ReturnType<typeof db.insertInto<T>>['values']>[0],
    conflict: string[],
  ) => {
    const insert = db.insertInto(table).values(values);
    const result = await (
      store.dialect === 'mysql'
        ? insert.ignore()
        : insert.onConflict((oc) => oc.columns(conflict as never).doNothing())
    ).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  };
  const columns = (row: EscalationRow<P>, now: number) => ({
    alert_key: row.alertKey,
    owner: row.owner,
    policy: JSON.stringify(row.policy),
    alert: JSON.stringify(row.alert),
    firing_at: row.firingAt,
    state: row.state,
    steps_sent: row.stepsSent,
    notified: JSON.stringify(row.notified),
    updated_at: now,
  });
  return {
    async start(row, now) {
      return insertOnce('alert_escalation', columns(row, now), ['alert_key']);
    },
    async startMany(rows, now) {
      const inserted = new Set<string>();
      // MySQL has no RETURNING to say which rows were new: one insert each there.
      if (store.dialect === 'mysql') {
        for (const row of rows)
          if (await insertOnce('alert_escalation', columns(row, now), ['alert_key']))
            inserted.add(row.alertKey);
        return inserted;
      }
      for (let i = 0; i < rows.length; i += START_CHUNK) {
        const added = await db
          .insertInto('alert_escalation')
          .values(rows.slice(i, i + START_CHUNK).map((r) => columns(r, now)))
          .onConflict((oc) => oc.column('alert_key').doNothing())
          .returning('alert_key')
          .execute();
        for (const r of added) inserted.add(r.alert_key);
      }
      return inserted;
    },
    async get(alertKey) {
      const row = await select().where('alert_key', '=', alertKey).executeTakeFirst();
      return row ? toRow<P>(row) : undefined;
    },
    async ofOwner(owner, limit, beforeId) {
      let query = db
        .selectFrom('alert_escalation')
        .select([
          'id',
          'alert_key',
          'owner',
          'policy',
          'alert',
          'firing_at',
          'state',
          'steps_sent',
          'notified',
        ])
        .where('owner', '=', owner);
      if (beforeId !== undefined) query = query.where('id', '<', beforeId);
      const rows = await query.orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => ({ ...toRow<P>(r), id: Number(r.id) }));
    },
    async escalating(limit, afterId = 0) {
      const rows = await select()
        .select('id')
        .where('state', '=', 'escalating')
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({ ...toRow<P>(r), id: Number(r.id) }));
    },
    async advance(alertKey, fromStepsSent, toStepsSent, notified, now) {
      const result = await db
        .updateTable('alert_escalation')
        .set({ steps_sent: toStepsSent, notified: JSON.stringify(notified), updated_at: now })
        .where('alert_key', '=', alertKey)
        .where('steps_sent', '=', fromStepsSent)
        .where('state', '=', 'escalating')
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async transition(alertKey, from, to, now) {
      const result = await db
        .updateTable('alert_escalation')
        .set({ state: to, updated_at: now })
        .where('alert_key', '=', alertKey)
        .where('state', 'in', [...from])
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async acknowledge(alertKey, person, via, now) {
      return insertOnce('alert_ack', { alert_key: alertKey, person, via, acked_at: now }, [
        'alert_key',
        'person',
      ]);
    },
    async acknowledgedBy(alertKey) {
      const rows = await db
        .selectFrom('alert_ack')
        .select('person')
        .where('alert_key', '=', alertKey)
        .orderBy('id')
        .execute();
      return rows.map((r) => r.person);
    },
    async acknowledgedByAll(alertKeys) {
      const byKey = new Map<string, string[]>();
      if (alertKeys.length === 0) return byKey;
      const rows = await db
        .selectFrom('alert_ack')
        .select(['alert_key', 'person'])
        .where('alert_key', 'in', [...alertKeys])
        .orderBy('id')
        .execute();
      for (const r of rows) byKey.set(r.alert_key, [...(byKey.get(r.alert_key) ?? []), r.person]);
      return byKey;
    },
    async intakeAfter(afterId, limit) {
      const rows = await db
        .selectFrom('alert_event')
        .select(['id', 'fingerprint', 'status', 'starts_at', 'labels', 'annotations'])
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: Number(r.id),
        fingerprint: r.fingerprint,
        status: r.status,
        startsAt: r.starts_at,
        labels: JSON.parse(r.labels) as Record<string, string>,
        annotations: JSON.parse(r.annotations) as Record<string, string>,
      }));
    },
    async cursor() {
      const row = await db
        .selectFrom('app_meta')
        .select('value')
        .where('key', '=', CURSOR_KEY)
        .executeTakeFirst();
      return row ? Number(row.value) : 0;
    },
    async moveCursor(to, now) {
      const value = String(to);
      await insertOnceMeta(db, store.dialect, CURSOR_KEY, value, now);
      // Compared as numbers: a replica that read an older cursor never moves it back.
      await db
        .updateTable('app_meta')
        .set({ value, updated_at: now })
        .where('key', '=', CURSOR_KEY)
        .where(store.dialect === 'mysql' ? sql`CAST(value AS SIGNED)` : sql`CAST(value AS BIGINT)`, '<', to)
        .execute();
    },
  };
}

async function insertOnceMeta(
  db: Kysely<Database>,
  dialect: Store['dialect'],
  key: string,
  value: string,
  now: number,
) {
  const insert = db.insertInto('app_meta').values({ key, value, updated_at: now });
  await (
    dialect === 'mysql' ? insert.ignore() : insert.onConflict((oc) => oc.column('key').doNothing())
  ).execute();
}
