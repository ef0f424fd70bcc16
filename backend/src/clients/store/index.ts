import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { coreMigrations, type Dialect } from './migrations.js';
import type { Database } from './schema.js';

export type { Database } from './schema.js';
export type { Dialect } from './migrations.js';

/** One query layer over SQLite (default, one replica), PostgreSQL or MySQL (several replicas). */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** Waits for running queries, then closes connections / the file. */
  close(): Promise<void>;
}

export function dialectOf(url: string): Dialect {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  if (url.startsWith('mysql://')) return 'mysql';
  throw new Error(`STORE_URL must start with sqlite:, postgres:// or mysql:// (got ${url.split(':')[0]}:…)`);
}

/** Every call has a deadline: a database that hangs makes a request fail (cmdb-alerting's intake answers 503). */
export interface StoreOptions {
  /** Longest wait for a connection, and for one query's answer (PostgreSQL, MySQL); SQLite's lock wait. */
  timeoutMs?: number;
}

function createDialect(url: string, dialect: Dialect, timeoutMs: number) {
  switch (dialect) {
    case 'sqlite': {
      const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const database = new BetterSqlite3(path);
      // WAL lets readers proceed during a write; busy_timeout waits instead of failing on a locked file.
      database.pragma('journal_mode = WAL');
      database.pragma(`busy_timeout = ${timeoutMs}`);
      database.pragma('foreign_keys = ON');
      return new SqliteDialect({ database });
    }
    // The PostgreSQL and MySQL drivers load only when STORE_URL names them (kysely takes a pool factory): each
    // would add ~15 MB of RSS to every replica that never uses it (issue #13's memory figures).
    case 'postgres':
      return new PostgresDialect({ pool: () => postgresPool(url, timeoutMs) });
    case 'mysql':
      return new MysqlDialect({
        pool: async () =>
          (await import('mysql2')).createPool({
            uri: url,
            connectionLimit: 10,
            supportBigNumbers: true,
            connectTimeout: timeoutMs,
          }),
      });
  }
}

async function postgresPool(url: string, timeoutMs: number) {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // An idle connection the server closes (restart, failover) is an 'error' event on the pool; unhandled, it
  // would end the process. The pool drops that connection itself and the next query opens a new one.
  pool.on('error', () => undefined);
  return pool;
}

export function createStore(url: string, options: StoreOptions = {}): Store {
  const dialect = dialectOf(url);
  const db = new Kysely<Database>({ dialect: createDialect(url, dialect, options.timeoutMs ?? 5_000) });
  return {
    db,
    dialect,
    async migrate() {
      const migrator = new Migrator({ db, provider: coreMigrations(dialect) });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async close() {
      await db.destroy();
    },
  };
}
