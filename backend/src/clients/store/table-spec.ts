import type { ColumnDataType, CreateTableBuilder, Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres' | 'mysql';

/**
 * A column: its type alone when it is `not null` (most are), else its type with what sets it apart. A primary key
 * is spelt without `not null`, as the migrations always spelt it.
 */
export type ColumnSpec =
  | ColumnDataType
  | { type: ColumnDataType; nullable?: true; unique?: true; primaryKey?: true; references?: string };

/** A table as data, so each migration states its columns once and the builder spells them for every database. */
export interface TableSpec {
  /** Starts with an auto-increment integer primary key `id`, spelt as each database wants it. */
  id?: true;
  columns: Record<string, ColumnSpec>;
  /** Unique constraints over several columns, by constraint name. */
  unique?: Record<string, string[]>;
  /** Indexes created after the table, by index name. */
  indexes?: Record<string, string[]>;
}

export const nullable = (type: ColumnDataType): ColumnSpec => ({ type, nullable: true });

export async function createTable(
  db: Kysely<unknown>,
  dialect: Dialect,
  name: string,
  spec: TableSpec,
): Promise<void> {
  let table: CreateTableBuilder<string, string> = db.schema.createTable(name);
  if (spec.id)
    table = table.addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    );
  for (const [column, columnSpec] of Object.entries(spec.columns)) {
    const { type, nullable, unique, primaryKey, references } =
      typeof columnSpec === 'string' ? { type: columnSpec } : columnSpec;
    table = table.addColumn(column, type, (c) => {
      let built = primaryKey ? c.primaryKey() : nullable ? c : c.notNull();
      if (unique) built = built.unique();
      if (references) built = built.references(references);
      return built;
    });
  }
  for (const [constraint, columns] of Object.entries(spec.unique ?? {}))
    table = table.addUniqueConstraint(constraint, columns);
  await table.execute();
  for (const [index, columns] of Object.entries(spec.indexes ?? {}))
    await db.schema.createIndex(index).on(name).columns(columns).execute();
}

/** Creates the tables in the order given (referenced tables first). */
export async function createTables(
  db: Kysely<unknown>,
  dialect: Dialect,
  tables: Record<string, TableSpec>,
): Promise<void> {
  for (const [name, spec] of Object.entries(tables)) await createTable(db, dialect, name, spec);
}

/** Drops the tables in the order given (referencing tables first). */
export async function dropTables(db: Kysely<unknown>, names: string[]): Promise<void> {
  for (const name of names) await db.schema.dropTable(name).execute();
}
