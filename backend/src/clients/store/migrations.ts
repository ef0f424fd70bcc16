import type { Kysely, Migration, MigrationProvider } from 'kysely';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * Migrations as code, written once with Kysely's schema builder so the same steps run on SQLite, PostgreSQL and
 * MySQL. Names sort in order of application; never edit one that has shipped, add the next.
 * Features append their own (`<nnnn>_<feature>_<what>`) when they land.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
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
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
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
  };
}

export const coreMigrations = (dialect: Dialect): MigrationProvider => ({
  getMigrations: async () => migrations(dialect),
});
