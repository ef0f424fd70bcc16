import type { CreateTableBuilder, Kysely, Migration, MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * Migrations as code, written once with Kysely's schema builder so the same steps run on SQLite, PostgreSQL and
 * MySQL. Names sort in order of application; never edit one that has shipped, add the next.
 * Features append their own (`<nnnn>_<feature>_<what>`) when they land.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  /** An auto-increment integer primary key `id`, spelt as each database wants it (the SQL is what it always was). */
  const withId = <T extends CreateTableBuilder<string, never>>(table: T) =>
    table.addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    );
  return {
    '0001_core_app_meta': {
      async up(db: Kysely<unknown>) {
        // varchar, not text: MySQL cannot index a TEXT column without a prefix length.
        await db.schema
          .createTable('app_meta')
          .addColumn('key', 'varchar(191)', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('app_meta').execute();
      },
    },
    '0002_core_app_event': {
      // A generic append-only event log (e.g. audit of configuration changes); also the store tests' proof that
      // auto-increment keys behave the same on the three databases.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('app_event')
          .$call(withId)
          .addColumn('kind', 'varchar(191)', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('app_event_kind_created')
          .on('app_event')
          .columns(['kind', 'created_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('app_event').execute();
      },
    },
    '0003_cmdb_alerting_intake': {
      // Alertmanager batches as received, and one row per alert whose unique dedup_key (groupKey, fingerprint,
      // status, startsAt) makes an HA peer's copy or a retry a no-op (docs/adr/0022).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('alert_batch')
          .$call(withId)
          .addColumn('group_key', 'text', (c) => c.notNull())
          .addColumn('receiver', 'varchar(1024)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('alert_event')
          .$call(withId)
          .addColumn('dedup_key', 'varchar(64)', (c) => c.notNull().unique())
          .addColumn('batch_id', 'integer', (c) => c.notNull().references('alert_batch.id'))
          .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
          .addColumn('status', 'varchar(16)', (c) => c.notNull())
          .addColumn('starts_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('labels', 'text', (c) => c.notNull())
          .addColumn('annotations', 'text', (c) => c.notNull())
          .addColumn('received_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('alert_event_fingerprint')
          .on('alert_event')
          .columns(['fingerprint', 'received_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('alert_event').execute();
        await db.schema.dropTable('alert_batch').execute();
      },
    },
    '0004_cmdb_alerting_outbox': {
      // One delivery per (notification, receiver) with its state, attempts and lease (claimed rows survive a replica
      // dying mid-send: the lease runs out and another claims them), and the attempt log that is the audit trail.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('outbox_delivery')
          .$call(withId)
          .addColumn('idempotency_key', 'varchar(191)', (c) => c.notNull())
          .addColumn('receiver', 'varchar(191)', (c) => c.notNull())
          .addColumn('alert_key', 'varchar(191)', (c) => c.notNull())
          .addColumn('notification', 'text', (c) => c.notNull())
          .addColumn('state', 'varchar(16)', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
          .addColumn('lease_owner', 'varchar(191)')
          .addColumn('lease_until', 'bigint')
          .addColumn('last_error', 'text')
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('outbox_delivery_key_receiver', ['idempotency_key', 'receiver'])
          .execute();
        await db.schema
          .createIndex('outbox_delivery_due')
          .on('outbox_delivery')
          .columns(['receiver', 'state', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('outbox_delivery_alert')
          .on('outbox_delivery')
          .columns(['alert_key', 'state'])
          .execute();
        await db.schema
          .createTable('outbox_attempt')
          .$call(withId)
          .addColumn('delivery_id', 'integer', (c) => c.notNull().references('outbox_delivery.id'))
          .addColumn('alert_key', 'varchar(191)', (c) => c.notNull())
          .addColumn('receiver', 'varchar(191)', (c) => c.notNull())
          .addColumn('channel', 'varchar(32)', (c) => c.notNull())
          .addColumn('recipients', 'text', (c) => c.notNull())
          .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
          .addColumn('provider_answer', 'text')
          .addColumn('error', 'text')
          .addColumn('attempted_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('outbox_attempt_alert')
          .on('outbox_attempt')
          .columns(['alert_key', 'attempted_at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        await db.schema.dropTable('outbox_attempt').execute();
        await db.schema.dropTable('outbox_delivery').execute();
      },
    },
    '0005_cmdb_alerting_policies': {
      // Receivers and escalation policies per owner ('' = the cluster, else a workspace), each row the validated
      // JSON the API took; one escalation per alert (its key unique, so two replicas never start two); one
      // acknowledgement per alert and person, which makes a signed link single-use (docs/adr/0031).
      async up(db: Kysely<unknown>) {
        for (const table of ['alert_receiver', 'alert_policy']) {
          await db.schema
            .createTable(table)
            .$call(withId)
            .addColumn('owner', 'varchar(63)', (c) => c.notNull())
            .addColumn('name', 'varchar(63)', (c) => c.notNull())
            .addColumn('spec', 'text', (c) => c.notNull())
            .addColumn('updated_at', 'bigint', (c) => c.notNull())
            .addUniqueConstraint(`${table}_owner_name`, ['owner', 'name'])
            .execute();
        }
        await db.schema
          .createTable('alert_escalation')
          .$call(withId)
          .addColumn('alert_key', 'varchar(80)', (c) => c.notNull().unique())
          .addColumn('owner', 'varchar(63)', (c) => c.notNull())
          .addColumn('policy', 'text', (c) => c.notNull())
          .addColumn('alert', 'text', (c) => c.notNull())
          .addColumn('firing_at', 'bigint', (c) => c.notNull())
          .addColumn('state', 'varchar(16)', (c) => c.notNull())
          .addColumn('steps_sent', 'integer', (c) => c.notNull())
          .addColumn('notified', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('alert_escalation_state')
          .on('alert_escalation')
          .column('state')
          .execute();
        await db.schema
          .createTable('alert_ack')
          .$call(withId)
          .addColumn('alert_key', 'varchar(80)', (c) => c.notNull())
          .addColumn('person', 'varchar(191)', (c) => c.notNull())
          .addColumn('via', 'varchar(16)', (c) => c.notNull())
          .addColumn('acked_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('alert_ack_key_person', ['alert_key', 'person'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['alert_ack', 'alert_escalation', 'alert_policy', 'alert_receiver'])
          await db.schema.dropTable(table).execute();
      },
    },
    '0006_ml_apps_model_registry': {
      // ml-apps' model registry (issue 17): models per project (namespace), their numbered versions (the fields as
      // the API validated them, JSON in `spec`; stage a column, as lists filter on it) and the audit of who changed
      // what when. A model's versions are unique by number, so two concurrent registrations never share one.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('ml_model')
          .$call(withId)
          .addColumn('namespace', 'varchar(63)', (c) => c.notNull())
          .addColumn('name', 'varchar(63)', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('created_by', 'varchar(191)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('ml_model_namespace_name', ['namespace', 'name'])
          .execute();
        await db.schema
          .createTable('ml_model_version')
          .$call(withId)
          .addColumn('model_id', 'integer', (c) => c.notNull().references('ml_model.id'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('spec', 'text', (c) => c.notNull())
          .addColumn('stage', 'varchar(16)', (c) => c.notNull())
          .addColumn('created_by', 'varchar(191)', (c) => c.notNull())
          .addColumn('created_at', 'bigint', (c) => c.notNull())
          .addColumn('updated_by', 'varchar(191)', (c) => c.notNull())
          .addColumn('updated_at', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('ml_model_version_model_version', ['model_id', 'version'])
          .execute();
        await db.schema
          .createTable('ml_model_event')
          .$call(withId)
          .addColumn('model_id', 'integer', (c) => c.notNull().references('ml_model.id'))
          .addColumn('version', 'integer')
          .addColumn('action', 'varchar(32)', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull())
          .addColumn('actor', 'varchar(191)', (c) => c.notNull())
          .addColumn('at', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('ml_model_event_model')
          .on('ml_model_event')
          .columns(['model_id', 'at'])
          .execute();
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['ml_model_event', 'ml_model_version', 'ml_model'])
          await db.schema.dropTable(table).execute();
      },
    },
    '0007_cmdb_alerting_routing': {
      // cmdb-alerting's routing policies by business and its settings (the cluster's CMDB connection, Secret
      // references only), rows of the same shape as receivers and escalation policies (docs/adr/0043).
      async up(db: Kysely<unknown>) {
        for (const table of ['alert_route', 'alert_setting']) {
          await db.schema
            .createTable(table)
            .$call(withId)
            .addColumn('owner', 'varchar(63)', (c) => c.notNull())
            .addColumn('name', 'varchar(63)', (c) => c.notNull())
            .addColumn('spec', 'text', (c) => c.notNull())
            .addColumn('updated_at', 'bigint', (c) => c.notNull())
            .addUniqueConstraint(`${table}_owner_name`, ['owner', 'name'])
            .execute();
        }
      },
      async down(db: Kysely<unknown>) {
        for (const table of ['alert_setting', 'alert_route']) await db.schema.dropTable(table).execute();
      },
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
  };
}

export const coreMigrations = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});
