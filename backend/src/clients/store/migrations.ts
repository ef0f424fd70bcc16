import type { Kysely, Migration, MigrationProvider } from 'kysely';
import { createTables, dropTables, nullable, type Dialect, type TableSpec } from './table-spec.js';

export type { Dialect } from './table-spec.js';

/**
 * Tables of one shape: rows of an owner's named, validated JSON spec ('' = the cluster, else a workspace), as
 * receivers, escalation policies, routing policies and settings are kept (clients/store/alert-config.ts).
 */
const ownedSpecTables = (...tables: string[]): Record<string, TableSpec> =>
  Object.fromEntries(
    tables.map((table) => [
      table,
      {
        id: true,
        columns: { owner: 'varchar(63)', name: 'varchar(63)', spec: 'text', updated_at: 'bigint' },
        unique: { [`${table}_owner_name`]: ['owner', 'name'] },
      },
    ]),
  );

/**
 * Migrations as code, written once as table specs (table-spec.ts spells them with Kysely's schema builder) so the
 * same steps run on SQLite, PostgreSQL and MySQL. Names sort in order of application; never edit one that has
 * shipped (its SQL, that is: the spelling may change only when the SQL it builds stays the same), add the next.
 * Features append their own (`<nnnn>_<feature>_<what>`) when they land.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  const create = (db: Kysely<unknown>, tables: Record<string, TableSpec>) =>
    createTables(db, dialect, tables);
  return {
    '0001_core_app_meta': {
      async up(db: Kysely<unknown>) {
        // varchar, not text: MySQL cannot index a TEXT column without a prefix length.
        await create(db, {
          app_meta: {
            columns: {
              key: { type: 'varchar(191)', primaryKey: true },
              value: 'text',
              updated_at: 'bigint',
            },
          },
        });
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['app_meta']),
    },
    '0002_core_app_event': {
      // A generic append-only event log (e.g. audit of configuration changes); also the store tests' proof that
      // auto-increment keys behave the same on the three databases.
      async up(db: Kysely<unknown>) {
        await create(db, {
          app_event: {
            id: true,
            columns: { kind: 'varchar(191)', payload: 'text', created_at: 'bigint' },
            indexes: { app_event_kind_created: ['kind', 'created_at'] },
          },
        });
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['app_event']),
    },
    '0003_cmdb_alerting_intake': {
      // Alertmanager batches as received, and one row per alert whose unique dedup_key (groupKey, fingerprint,
      // status, startsAt) makes an HA peer's copy or a retry a no-op (docs/adr/0022).
      async up(db: Kysely<unknown>) {
        await create(db, {
          alert_batch: {
            id: true,
            columns: {
              group_key: 'text',
              receiver: 'varchar(1024)',
              status: 'varchar(16)',
              payload: 'text',
              received_at: 'bigint',
            },
          },
          alert_event: {
            id: true,
            columns: {
              dedup_key: { type: 'varchar(64)', unique: true },
              batch_id: { type: 'integer', references: 'alert_batch.id' },
              fingerprint: 'varchar(64)',
              status: 'varchar(16)',
              starts_at: 'varchar(40)',
              labels: 'text',
              annotations: 'text',
              received_at: 'bigint',
            },
            indexes: { alert_event_fingerprint: ['fingerprint', 'received_at'] },
          },
        });
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['alert_event', 'alert_batch']),
    },
    '0004_cmdb_alerting_outbox': {
      // One delivery per (notification, receiver) with its state, attempts and lease (claimed rows survive a replica
      // dying mid-send: the lease runs out and another claims them), and the attempt log that is the audit trail.
      async up(db: Kysely<unknown>) {
        await create(db, {
          outbox_delivery: {
            id: true,
            columns: {
              idempotency_key: 'varchar(191)',
              receiver: 'varchar(191)',
              alert_key: 'varchar(191)',
              notification: 'text',
              state: 'varchar(16)',
              attempts: 'integer',
              next_attempt_at: 'bigint',
              lease_owner: nullable('varchar(191)'),
              lease_until: nullable('bigint'),
              last_error: nullable('text'),
              created_at: 'bigint',
              updated_at: 'bigint',
            },
            unique: { outbox_delivery_key_receiver: ['idempotency_key', 'receiver'] },
            indexes: {
              outbox_delivery_due: ['receiver', 'state', 'next_attempt_at'],
              outbox_delivery_alert: ['alert_key', 'state'],
            },
          },
          outbox_attempt: {
            id: true,
            columns: {
              delivery_id: { type: 'integer', references: 'outbox_delivery.id' },
              alert_key: 'varchar(191)',
              receiver: 'varchar(191)',
              channel: 'varchar(32)',
              recipients: 'text',
              outcome: 'varchar(16)',
              provider_answer: nullable('text'),
              error: nullable('text'),
              attempted_at: 'bigint',
            },
            indexes: { outbox_attempt_alert: ['alert_key', 'attempted_at'] },
          },
        });
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['outbox_attempt', 'outbox_delivery']),
    },
    '0005_cmdb_alerting_policies': {
      // Receivers and escalation policies per owner ('' = the cluster, else a workspace), each row the validated
      // JSON the API took; one escalation per alert (its key unique, so two replicas never start two); one
      // acknowledgement per alert and person, which makes a signed link single-use (docs/adr/0031).
      async up(db: Kysely<unknown>) {
        await create(db, {
          ...ownedSpecTables('alert_receiver', 'alert_policy'),
          alert_escalation: {
            id: true,
            columns: {
              alert_key: { type: 'varchar(80)', unique: true },
              owner: 'varchar(63)',
              policy: 'text',
              alert: 'text',
              firing_at: 'bigint',
              state: 'varchar(16)',
              steps_sent: 'integer',
              notified: 'text',
              updated_at: 'bigint',
            },
            indexes: { alert_escalation_state: ['state'] },
          },
          alert_ack: {
            id: true,
            columns: {
              alert_key: 'varchar(80)',
              person: 'varchar(191)',
              via: 'varchar(16)',
              acked_at: 'bigint',
            },
            unique: { alert_ack_key_person: ['alert_key', 'person'] },
          },
        });
      },
      down: (db: Kysely<unknown>) =>
        dropTables(db, ['alert_ack', 'alert_escalation', 'alert_policy', 'alert_receiver']),
    },
    '0006_ml_apps_model_registry': {
      // ml-apps' model registry (issue 17): models per project (namespace), their numbered versions (the fields as
      // the API validated them, JSON in `spec`; stage a column, as lists filter on it) and the audit of who changed
      // what when. A model's versions are unique by number, so two concurrent registrations never share one.
      async up(db: Kysely<unknown>) {
        await create(db, {
          ml_model: {
            id: true,
            columns: {
              namespace: 'varchar(63)',
              name: 'varchar(63)',
              description: nullable('text'),
              created_by: 'varchar(191)',
              created_at: 'bigint',
            },
            unique: { ml_model_namespace_name: ['namespace', 'name'] },
          },
          ml_model_version: {
            id: true,
            columns: {
              model_id: { type: 'integer', references: 'ml_model.id' },
              version: 'integer',
              spec: 'text',
              stage: 'varchar(16)',
              created_by: 'varchar(191)',
              created_at: 'bigint',
              updated_by: 'varchar(191)',
              updated_at: 'bigint',
            },
            unique: { ml_model_version_model_version: ['model_id', 'version'] },
          },
          ml_model_event: {
            id: true,
            columns: {
              model_id: { type: 'integer', references: 'ml_model.id' },
              version: nullable('integer'),
              action: 'varchar(32)',
              detail: 'text',
              actor: 'varchar(191)',
              at: 'bigint',
            },
            indexes: { ml_model_event_model: ['model_id', 'at'] },
          },
        });
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['ml_model_event', 'ml_model_version', 'ml_model']),
    },
    '0007_cmdb_alerting_routing': {
      // cmdb-alerting's routing policies by business and its settings (the cluster's CMDB connection, Secret
      // references only), rows of the same shape as receivers and escalation policies (docs/adr/0043).
      async up(db: Kysely<unknown>) {
        await create(db, ownedSpecTables('alert_route', 'alert_setting'));
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['alert_setting', 'alert_route']),
    },
    '0008_cmdb_alerting_call_refs': {
      // The provider's id of each placed phone call (`provider:callId`, space-separated) on the delivered attempt,
      // so the call's result (answered, not answered, failed) can be read back and added to the trail (docs/adr/0044).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('outbox_attempt').addColumn('provider_ref', 'varchar(1024)').execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.alterTable('outbox_attempt').dropColumn('provider_ref').execute();
      },
    },
    '0009_cmdb_alerting_reply_codes': {
      // Whom a WeCom app message asked to reply "ACK <code>": one row per code, receiver and WeCom user id, until its
      // expiry, so a reply acknowledges only from someone the alert's message was sent to (docs/adr/0047).
      async up(db: Kysely<unknown>) {
        await create(db, {
          alert_reply_code: {
            id: true,
            columns: {
              code: 'varchar(16)',
              alert_key: 'varchar(80)',
              receiver: 'varchar(191)',
              user_id: 'varchar(64)',
              expires_at: 'bigint',
            },
            indexes: { alert_reply_code_lookup: ['code', 'receiver', 'user_id'] },
          },
        });
      },
      down: (db: Kysely<unknown>) => dropTables(db, ['alert_reply_code']),
    },
  };
}

export const coreMigrations = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});
