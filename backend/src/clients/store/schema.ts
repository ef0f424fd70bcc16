import type { Generated } from 'kysely';

/**
 * The store's tables, as Kysely sees them. Kubernetes is the store for quotas and ML apps; this database holds
 * only what has no Kubernetes home (alert intake, deliveries, acknowledgements, CMDB cache — added by their
 * features' migrations). The core owns `app_meta`.
 */
export interface AppMetaTable {
  key: string;
  value: string;
  /** Milliseconds since the epoch (bigint: portable across SQLite, PostgreSQL and MySQL). */
  updated_at: number | string | bigint;
}

export interface AppEventTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  created_at: number | string | bigint;
}

export interface Database {
  app_meta: AppMetaTable;
  app_event: AppEventTable;
}
