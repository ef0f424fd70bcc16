import type { ModelStage, ModelVersionCreate } from '@ks-gpu-ml/contracts';
import type { Generated, Kysely, Transaction } from 'kysely';
import type { Store } from './index.js';

/**
 * ml-apps' model registry behind an interface that speaks projects, models and version numbers, not SQL
 * (migration 0006). A version's fields are stored as the JSON the API validated; the stage is a column.
 */
interface MlModelTable {
  id: Generated<number>;
  namespace: string;
  name: string;
  description: string | null;
  created_by: string;
  created_at: number | string | bigint;
}

interface MlModelVersionTable {
  id: Generated<number>;
  model_id: number;
  version: number;
  spec: string;
  stage: string;
  created_by: string;
  created_at: number | string | bigint;
  updated_by: string;
  updated_at: number | string | bigint;
}

interface MlModelEventTable {
  id: Generated<number>;
  model_id: number;
  version: number | null;
  action: string;
  detail: string;
  actor: string;
  at: number | string | bigint;
}

/** The registry's tables (Kysely's view of migration 0006). */
export interface ModelRegistryDatabase {
  ml_model: MlModelTable;
  ml_model_version: MlModelVersionTable;
  ml_model_event: MlModelEventTable;
}

export type VersionSpec = ModelVersionCreate;

export interface ModelRow {
  namespace: string;
  name: string;
  description?: string;
  createdBy: string;
  /** Milliseconds since the epoch. */
  createdAt: number;
  versionCount: number;
  latestVersion?: number;
  productionVersion?: number;
}

export interface VersionRow {
  version: number;
  spec: VersionSpec;
  stage: ModelStage;
  createdBy: string;
  createdAt: number;
  updatedBy: string;
  updatedAt: number;
}

export interface EventRow {
  action: 'model-created' | 'version-registered' | 'stage-changed';
  version?: number;
  from?: ModelStage;
  to?: ModelStage;
  by: string;
  at: number;
}

export interface ModelRecord {
  model: ModelRow;
  /** One page, newest first. */
  versions: VersionRow[];
  /** Older versions than the page's exist. */
  more: boolean;
  /** Newest first. */
  events: EventRow[];
}

export type StageResult = 'no-model' | 'no-version' | { from: ModelStage };

export interface ModelRegistryStore {
  listModels(namespace: string): Promise<ModelRow[]>;
  /** The model with at most `page.limit` versions, newest first, below `page.before` when given. */
  getModel(
    namespace: string,
    name: string,
    page: { limit: number; before?: number | undefined },
  ): Promise<ModelRecord | undefined>;
  getVersion(namespace: string, name: string, version: number): Promise<VersionRow | undefined>;
  /** False when the project already has a model of that name (nothing written). */
  createModel(
    namespace: string,
    name: string,
    description: string | undefined,
    firstVersion: VersionSpec | undefined,
    actor: string,
    now: number,
  ): Promise<boolean>;
  /** The number given to the new version, or undefined when there is no such model. */
  addVersion(
    namespace: string,
    name: string,
    spec: VersionSpec,
    actor: string,
    now: number,
  ): Promise<number | undefined>;
  setStage(
    namespace: string,
    name: string,
    version: number,
    stage: ModelStage,
    actor: string,
    now: number,
  ): Promise<StageResult>;
  /** False when there was no such model. */
  deleteModel(namespace: string, name: string): Promise<boolean>;
}

type Db = Kysely<ModelRegistryDatabase>;

/** A unique constraint broke (two registrations raced for one number, or one name): the three databases' codes. */
function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown } | null;
  return (
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || // better-sqlite3
    e?.code === '23505' || // PostgreSQL unique_violation
    e?.code === 'ER_DUP_ENTRY' || // MySQL / MariaDB
    e?.errno === 1062
  );
}

async function insertVersion(
  trx: Transaction<ModelRegistryDatabase>,
  modelId: number,
  spec: VersionSpec,
  actor: string,
  now: number,
): Promise<number> {
  const last = await trx
    .selectFrom('ml_model_version')
    .select((eb) => eb.fn.max('version').as('max'))
    .where('model_id', '=', modelId)
    .executeTakeFirst();
  const version = Number(last?.max ?? 0) + 1;
  await trx
    .insertInto('ml_model_version')
    .values({
      model_id: modelId,
      version,
      spec: JSON.stringify(spec),
      stage: 'none',
      created_by: actor,
      created_at: now,
      updated_by: actor,
      updated_at: now,
    })
    .execute();
  await trx
    .insertInto('ml_model_event')
    .values({ model_id: modelId, version, action: 'version-registered', detail: '{}', actor, at: now })
    .execute();
  return version;
}

export function createModelRegistryStore(store: Store): ModelRegistryStore {
  // The registry's tables are not in the core's Database type: this module is their only reader and writer.
  const db = store.db as unknown as Db;

  const modelId = async (q: Db | Transaction<ModelRegistryDatabase>, namespace: string, name: string) =>
    (
      await q
        .selectFrom('ml_model')
        .select('id')
        .where('namespace', '=', namespace)
        .where('name', '=', name)
        .executeTakeFirst()
    )?.id;

  const toVersion = (r: MlModelVersionRowOut): VersionRow => ({
    version: Number(r.version),
    spec: JSON.parse(r.spec) as VersionSpec,
    stage: r.stage as ModelStage,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
    updatedBy: r.updated_by,
    updatedAt: Number(r.updated_at),
  });

  /** Retries a transaction that lost a race for a unique number (a few times; each loser reads the new max). */
  async function retrying<T>(fn: (trx: Transaction<ModelRegistryDatabase>) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await db.transaction().execute(fn);
      } catch (err) {
        if (!isUniqueViolation(err) || attempt >= 5) throw err;
      }
    }
  }

  async function summaries(namespace: string, name?: string): Promise<ModelRow[]> {
    let models = db
      .selectFrom('ml_model')
      .select(['id', 'namespace', 'name', 'description', 'created_by', 'created_at'])
      .where('namespace', '=', namespace);
    if (name !== undefined) models = models.where('name', '=', name);
    const rows = await models.orderBy('name').execute();
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [counts, production] = await Promise.all([
      db
        .selectFrom('ml_model_version')
        .select((eb) => ['model_id', eb.fn.countAll().as('count'), eb.fn.max('version').as('latest')])
        .where('model_id', 'in', ids)
        .groupBy('model_id')
        .execute(),
      db
        .selectFrom('ml_model_version')
        .select((eb) => ['model_id', eb.fn.max('version').as('version')])
        .where('model_id', 'in', ids)
        .where('stage', '=', 'production')
        .groupBy('model_id')
        .execute(),
    ]);
    const countOf = new Map(counts.map((c) => [Number(c.model_id), c]));
    const productionOf = new Map(production.map((p) => [Number(p.model_id), Number(p.version)]));
    return rows.map((r) => {
      const c = countOf.get(Number(r.id));
      const prod = productionOf.get(Number(r.id));
      return {
        namespace: r.namespace,
        name: r.name,
        ...(r.description ? { description: r.description } : {}),
        createdBy: r.created_by,
        createdAt: Number(r.created_at),
        versionCount: Number(c?.count ?? 0),
        ...(c?.latest != null ? { latestVersion: Number(c.latest) } : {}),
        ...(prod !== undefined ? { productionVersion: prod } : {}),
      };
    });
  }

  return {
    listModels: (namespace) => summaries(namespace),

    async getModel(namespace, name, page) {
      const [model] = await summaries(namespace, name);
      const id = model && (await modelId(db, namespace, name));
      if (!model || id === undefined) return undefined;
      const [versions, events] = await Promise.all([
        db
          .selectFrom('ml_model_version')
          .selectAll()
          .where('model_id', '=', id)
          .$if(page.before !== undefined, (q) => q.where('version', '<', page.before!))
          .orderBy('version', 'desc')
          .limit(page.limit + 1)
          .execute(),
        db
          .selectFrom('ml_model_event')
          .selectAll()
          .where('model_id', '=', id)
          .orderBy('at', 'desc')
          .orderBy('id', 'desc')
          .limit(100)
          .execute(),
      ]);
      return {
        model,
        versions: versions.slice(0, page.limit).map(toVersion),
        more: versions.length > page.limit,
        events: events.map((e) => {
          const detail = JSON.parse(e.detail) as { from?: ModelStage; to?: ModelStage };
          return {
            action: e.action as EventRow['action'],
            ...(e.version != null ? { version: Number(e.version) } : {}),
            ...detail,
            by: e.actor,
            at: Number(e.at),
          };
        }),
      };
    },

    async getVersion(namespace, name, version) {
      const row = await db
        .selectFrom('ml_model_version')
        .innerJoin('ml_model', 'ml_model.id', 'ml_model_version.model_id')
        .selectAll('ml_model_version')
        .where('ml_model.namespace', '=', namespace)
        .where('ml_model.name', '=', name)
        .where('ml_model_version.version', '=', version)
        .executeTakeFirst();
      return row ? toVersion(row) : undefined;
    },

    async createModel(namespace, name, description, firstVersion, actor, now) {
      try {
        await db.transaction().execute(async (trx) => {
          const inserted = await trx
            .insertInto('ml_model')
            .values({ namespace, name, description: description ?? null, created_by: actor, created_at: now })
            .executeTakeFirstOrThrow();
          const id =
            inserted.insertId !== undefined
              ? Number(inserted.insertId)
              : (await modelId(trx, namespace, name))!;
          await trx
            .insertInto('ml_model_event')
            .values({ model_id: id, version: null, action: 'model-created', detail: '{}', actor, at: now })
            .execute();
          if (firstVersion) await insertVersion(trx, id, firstVersion, actor, now);
        });
        return true;
      } catch (err) {
        if (isUniqueViolation(err)) return false;
        throw err;
      }
    },

    async addVersion(namespace, name, spec, actor, now) {
      return retrying(async (trx) => {
        const id = await modelId(trx, namespace, name);
        return id === undefined ? undefined : insertVersion(trx, id, spec, actor, now);
      });
    },

    async setStage(namespace, name, version, stage, actor, now) {
      return db.transaction().execute(async (trx): Promise<StageResult> => {
        const id = await modelId(trx, namespace, name);
        if (id === undefined) return 'no-model';
        const row = await trx
          .selectFrom('ml_model_version')
          .select('stage')
          .where('model_id', '=', id)
          .where('version', '=', version)
          .executeTakeFirst();
        if (!row) return 'no-version';
        const from = row.stage as ModelStage;
        await trx
          .updateTable('ml_model_version')
          .set({ stage, updated_by: actor, updated_at: now })
          .where('model_id', '=', id)
          .where('version', '=', version)
          .execute();
        await trx
          .insertInto('ml_model_event')
          .values({
            model_id: id,
            version,
            action: 'stage-changed',
            detail: JSON.stringify({ from, to: stage }),
            actor,
            at: now,
          })
          .execute();
        return { from };
      });
    },

    async deleteModel(namespace, name) {
      return db.transaction().execute(async (trx) => {
        const id = await modelId(trx, namespace, name);
        if (id === undefined) return false;
        await trx.deleteFrom('ml_model_event').where('model_id', '=', id).execute();
        await trx.deleteFrom('ml_model_version').where('model_id', '=', id).execute();
        await trx.deleteFrom('ml_model').where('id', '=', id).execute();
        return true;
      });
    },
  };
}

/** A version's row as read back: its table's columns but the ids. */
type MlModelVersionRowOut = Omit<MlModelVersionTable, 'id' | 'model_id'>;
