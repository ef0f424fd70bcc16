import type { Kysely } from 'kysely';
import type { Database, Store } from './index.js';

/**
 * cmdb-alerting's configuration (receivers, escalation policies) behind an interface that speaks owners and names,
 * not SQL (docs/adr/0021). An owner is '' for the cluster, else a workspace's name. The spec is stored as the JSON
 * the API validated; it holds Secret references only, never a secret's value.
 */
export type ConfigTable = 'alert_receiver' | 'alert_policy' | 'alert_route' | 'alert_setting';

export interface ConfigRow<T> {
  owner: string;
  name: string;
  spec: T;
  /** Milliseconds since the epoch. */
  updatedAt: number;
}

export interface ConfigStore<T> {
  list(owner: string): Promise<ConfigRow<T>[]>;
  /** The rows of several owners at once (a workspace's and the cluster's), by owner then name. */
  listOwners(owners: readonly string[]): Promise<ConfigRow<T>[]>;
  get(owner: string, name: string): Promise<ConfigRow<T> | undefined>;
  /** False when the owner already has one of that name (nothing written). */
  create(owner: string, name: string, spec: T, now: number): Promise<boolean>;
  /** False when there is none of that name (nothing written). */
  update(owner: string, name: string, spec: T, now: number): Promise<boolean>;
  /** False when there was none of that name. */
  remove(owner: string, name: string): Promise<boolean>;
}

interface Row {
  owner: string;
  name: string;
  spec: string;
  updated_at: number | string | bigint;
}

const toConfigRow = <T>(row: Row): ConfigRow<T> => ({
  owner: row.owner,
  name: row.name,
  spec: JSON.parse(row.spec) as T,
  updatedAt: Number(row.updated_at),
});

export function createConfigStore<T>(store: Store, table: ConfigTable): ConfigStore<T> {
  const db: Kysely<Database> = store.db;
  const select = () => db.selectFrom(table).select(['owner', 'name', 'spec', 'updated_at']);
  return {
    async list(owner) {
      const rows = await select().where('owner', '=', owner).orderBy('name').execute();
      return rows.map((r) => toConfigRow<T>(r));
    },
    async listOwners(owners) {
      if (owners.length === 0) return [];
      const rows = await select()
        .where('owner', 'in', [...owners])
        .orderBy('owner')
        .orderBy('name')
        .execute();
      return rows.map((r) => toConfigRow<T>(r));
    },
    async get(owner, name) {
      const row = await select().where('owner', '=', owner).where('name', '=', name).executeTakeFirst();
      return row ? toConfigRow<T>(row) : undefined;
    },
    async create(owner, name, spec, now) {
      const insert = db
        .insertInto(table)
        .values({ owner, name, spec: JSON.stringify(spec), updated_at: now });
      // The unique (owner, name) constraint decides between two concurrent creates, on every database.
      const result = await (
        store.dialect === 'mysql'
          ? insert.ignore()
          : insert.onConflict((oc) => oc.columns(['owner', 'name']).doNothing())
      ).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async update(owner, name, spec, now) {
      const result = await db
        .updateTable(table)
        .set({ spec: JSON.stringify(spec), updated_at: now })
        .where('owner', '=', owner)
        .where('name', '=', name)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async remove(owner, name) {
      const result = await db
        .deleteFrom(table)
        .where('owner', '=', owner)
        .where('name', '=', name)
        .executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}
