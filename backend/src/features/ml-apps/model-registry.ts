// The model registry's requests: models with numbered versions per project, kept in the backend's store (the
// store client speaks SQL; this module checks what a schema cannot see and shapes the answers). A version names
// the TrainJob that produced it only when that TrainJob exists here and has finished (Trainer's Complete
// condition): registering "from a training job" is then one step that cannot point at a failed or running run.
import {
  MODEL_VERSIONS_PAGE,
  type ModelCreate,
  type ModelDetail,
  type ModelDetailQuery,
  type ModelList,
  type ModelStageUpdate,
  type ModelSummary,
  type ModelVersionCreate,
} from '@ks-gpu-ml/contracts';
import type { KubeTrainJob } from '../../clients/ml-apps-kube.js';
import type { ModelRecord, ModelRegistryStore, ModelRow } from '../../clients/store/model-registry.js';
import { AppError } from '../../core/errors.js';
import { invalid } from './create-checks.js';

export interface ModelRegistryDeps {
  store: ModelRegistryStore;
  /** The TrainJob a version names, or undefined when there is none (or the cluster does not serve TrainJobs). */
  trainJob(namespace: string, name: string): Promise<KubeTrainJob | undefined>;
  now?: () => number;
}

export interface ModelRegistry {
  list(namespace: string): Promise<ModelList>;
  /** The model with one page of its versions (the newest MODEL_VERSIONS_PAGE unless `page` asks otherwise). */
  get(namespace: string, name: string, page?: ModelDetailQuery): Promise<ModelDetail>;
  create(namespace: string, input: ModelCreate, actor: string): Promise<ModelDetail>;
  addVersion(namespace: string, name: string, input: ModelVersionCreate, actor: string): Promise<ModelDetail>;
  setStage(namespace: string, name: string, input: ModelStageUpdate, actor: string): Promise<ModelDetail>;
  remove(namespace: string, name: string): Promise<{ name: string }>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export const modelNotFound = (name: string) =>
  new AppError(404, 'NotFound', 'ML_APPS_MODEL_NOT_FOUND', { name }, { name });

export function summaryView(row: ModelRow): ModelSummary {
  return {
    name: row.name,
    namespace: row.namespace,
    ...(row.description ? { description: row.description } : {}),
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    versionCount: row.versionCount,
    ...(row.latestVersion !== undefined ? { latestVersion: row.latestVersion } : {}),
    ...(row.productionVersion !== undefined ? { productionVersion: row.productionVersion } : {}),
  };
}

export function detailView(record: ModelRecord): ModelDetail {
  return {
    ...summaryView(record.model),
    versions: record.versions.map((v) => ({
      version: v.version,
      format: v.spec.format,
      ...(v.spec.formatVersion ? { formatVersion: v.spec.formatVersion } : {}),
      storageUri: v.spec.storageUri,
      ...(v.spec.frameworkVersion ? { frameworkVersion: v.spec.frameworkVersion } : {}),
      metrics: v.spec.metrics ?? {},
      parameters: v.spec.parameters ?? {},
      ...(v.spec.trainJob ? { trainJob: v.spec.trainJob } : {}),
      ...(v.spec.description ? { description: v.spec.description } : {}),
      stage: v.stage,
      createdBy: v.createdBy,
      createdAt: iso(v.createdAt),
      updatedBy: v.updatedBy,
      updatedAt: iso(v.updatedAt),
    })),
    ...(record.more && record.versions.length
      ? { nextBefore: record.versions[record.versions.length - 1]!.version }
      : {}),
    history: record.events.map((e) => ({
      at: iso(e.at),
      by: e.by,
      action: e.action,
      ...(e.version !== undefined ? { version: e.version } : {}),
      ...(e.from ? { from: e.from } : {}),
      ...(e.to ? { to: e.to } : {}),
    })),
  };
}

/** Trainer v2's verdict: Complete=True is finished; Failed=True or no verdict yet is not. */
export function trainJobFinished(job: KubeTrainJob): boolean {
  const conditions = job.status?.conditions ?? [];
  const is = (type: string) => conditions.some((c) => c.type === type && c.status === 'True');
  return is('Complete') && !is('Failed');
}

export function createModelRegistry(deps: ModelRegistryDeps): ModelRegistry {
  const { store } = deps;
  const now = deps.now ?? Date.now;

  async function checkVersion(namespace: string, input: ModelVersionCreate, field: string): Promise<void> {
    if (!input.trainJob) return;
    const job = await deps.trainJob(namespace, input.trainJob);
    if (!job) {
      throw invalid(`${field}.trainJob`, 'ML_APPS_MODEL_UNKNOWN_TRAINJOB', { name: input.trainJob });
    }
    if (!trainJobFinished(job)) {
      throw new AppError(
        409,
        'Conflict',
        'ML_APPS_MODEL_TRAINJOB_NOT_FINISHED',
        { name: input.trainJob },
        { field: `${field}.trainJob`, name: input.trainJob },
      );
    }
  }

  async function detail(namespace: string, name: string, page: ModelDetailQuery = {}): Promise<ModelDetail> {
    const record = await store.getModel(namespace, name, {
      limit: page.limit ?? MODEL_VERSIONS_PAGE,
      before: page.before,
    });
    if (!record) throw modelNotFound(name);
    return detailView(record);
  }

  return {
    list: async (namespace) => ({ items: (await store.listModels(namespace)).map(summaryView) }),
    get: detail,

    async create(namespace, input, actor) {
      if (input.firstVersion) await checkVersion(namespace, input.firstVersion, 'body.firstVersion');
      const created = await store.createModel(
        namespace,
        input.name,
        input.description,
        input.firstVersion,
        actor,
        now(),
      );
      if (!created) {
        throw new AppError(
          409,
          'Conflict',
          'ML_APPS_MODEL_EXISTS',
          { name: input.name },
          { name: input.name },
        );
      }
      return detail(namespace, input.name);
    },

    async addVersion(namespace, name, input, actor) {
      await checkVersion(namespace, input, 'body');
      const version = await store.addVersion(namespace, name, input, actor, now());
      if (version === undefined) throw modelNotFound(name);
      return detail(namespace, name);
    },

    async setStage(namespace, name, input, actor) {
      const result = await store.setStage(namespace, name, input.version, input.stage, actor, now());
      if (result === 'no-model') throw modelNotFound(name);
      if (result === 'no-version') {
        const params = { name, version: input.version };
        throw new AppError(404, 'NotFound', 'ML_APPS_MODEL_VERSION_NOT_FOUND', params, params);
      }
      return detail(namespace, name);
    },

    async remove(namespace, name) {
      if (!(await store.deleteModel(namespace, name))) throw modelNotFound(name);
      return { name };
    },
  };
}
