import { Type, type Static } from '@sinclair/typebox';
import { ML_APPS_GROUP } from './ml-apps.js';
import { Opt, defineRoute } from './routes.js';

/**
 * ml-apps' model registry (models with versions, kept in the backend's store) and their serving as KServe
 * InferenceServices (issue 17). Same API group as notebooks and training (`ml-apps.ks-gpu-ml.io`).
 */

/** The model formats a version may have: KServe's `modelFormat.name` values its runtimes match on. */
export const MODEL_FORMATS = [
  'sklearn',
  'xgboost',
  'lightgbm',
  'pytorch',
  'tensorflow',
  'onnx',
  'triton',
  'huggingface',
  'mlflow',
  'paddle',
  'pmml',
  'custom',
] as const;
export type ModelFormat = (typeof MODEL_FORMATS)[number];

/** Where a model's files are: the storage initializer's schemes we offer (KServe `storageUri`). */
export const STORAGE_URI_SCHEMES = ['s3', 'gs', 'pvc', 'hf'] as const;
/** `s3://bucket/path`, `gs://bucket/path`, `pvc://claim/path`, `hf://org/model`: a scheme, then a non-empty host part. */
export const STORAGE_URI_PATTERN = '^(s3|gs|pvc|hf)://[A-Za-z0-9][A-Za-z0-9._-]*(/[^\\s]*)?$';

/** A rule both sides apply: is this a storage URI we accept? (the schema's pattern, as a function). */
export function isStorageUri(uri: string): boolean {
  return new RegExp(STORAGE_URI_PATTERN).test(uri);
}

export const MODEL_STAGES = ['none', 'staging', 'production', 'archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];
const Stage = Type.Union(MODEL_STAGES.map((s) => Type.Literal(s)));

/** A model's name: a DNS label, so an InferenceService can carry it in a label. */
export const ModelName = Type.String({
  pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  minLength: 1,
  maxLength: 63,
});
/** A registered version's number: 1 for the first, counting up. */
export const ModelVersionNumber = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Key = Type.String({ pattern: '^[A-Za-z0-9_.:/-]+$', minLength: 1, maxLength: 128 });

// additionalProperties: a Record keyed by a pattern is only `patternProperties`, which lets any other key through
// with any value (schemathesis sent a metric named in control characters holding arrays; the reply then failed).
const Metrics = Type.Record(Key, Type.Number(), { maxProperties: 64, additionalProperties: false });
const Parameters = Type.Record(Key, Type.String({ maxLength: 1024 }), {
  maxProperties: 128,
  additionalProperties: false,
});

/** What a version says about itself; the registry adds its number, stage and audit. */
export const ModelVersionCreate = Type.Object(
  {
    format: Type.Union(MODEL_FORMATS.map((f) => Type.Literal(f))),
    /** The format's own version (e.g. `1` for ONNX opset family, `2` for TensorFlow). */
    formatVersion: Opt(Type.String({ pattern: '^[^\\s]+$', minLength: 1, maxLength: 32 })),
    storageUri: Type.String({ pattern: STORAGE_URI_PATTERN, maxLength: 2048 }),
    /** The framework that trained it (`torch 2.4.0`). */
    frameworkVersion: Opt(Type.String({ minLength: 1, maxLength: 64 })),
    metrics: Opt(Metrics),
    parameters: Opt(Parameters),
    /** The Trainer v2 TrainJob of this project that produced it; it must have finished (Complete). */
    trainJob: Opt(Type.String({ pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 63 })),
    description: Opt(Type.String({ maxLength: 2048 })),
  },
  { additionalProperties: false },
);
export type ModelVersionCreate = Static<typeof ModelVersionCreate>;

/** One change to a model or version: who did what, when (stage changes carry from → to). */
export const ModelEvent = Type.Object({
  at: Type.String(),
  by: Type.String(),
  action: Type.Union([
    Type.Literal('model-created'),
    Type.Literal('version-registered'),
    Type.Literal('stage-changed'),
  ]),
  version: Opt(Type.Integer()),
  from: Opt(Stage),
  to: Opt(Stage),
});
export type ModelEvent = Static<typeof ModelEvent>;

export const ModelVersion = Type.Object({
  version: Type.Integer({ minimum: 1 }),
  format: Type.String(),
  formatVersion: Opt(Type.String()),
  storageUri: Type.String(),
  frameworkVersion: Opt(Type.String()),
  metrics: Type.Record(Type.String(), Type.Number()),
  parameters: Type.Record(Type.String(), Type.String()),
  trainJob: Opt(Type.String()),
  description: Opt(Type.String()),
  stage: Stage,
  createdBy: Type.String(),
  createdAt: Type.String(),
  updatedBy: Type.String(),
  updatedAt: Type.String(),
});
export type ModelVersion = Static<typeof ModelVersion>;

export const ModelSummary = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  description: Opt(Type.String()),
  createdBy: Type.String(),
  createdAt: Type.String(),
  versionCount: Type.Integer(),
  latestVersion: Opt(Type.Integer()),
  /** The newest version in production, when one is. */
  productionVersion: Opt(Type.Integer()),
});
export type ModelSummary = Static<typeof ModelSummary>;

export const ModelList = Type.Object({ items: Type.Array(ModelSummary) });
export type ModelList = Static<typeof ModelList>;

export const ModelDetail = Type.Composite([
  ModelSummary,
  Type.Object({
    /** One page, newest first: the newest `limit` versions, or the `limit` older than `before`. */
    versions: Type.Array(ModelVersion),
    /** Older versions exist beyond this page: ask with `before` set to this (the page's oldest version). */
    nextBefore: Opt(Type.Integer({ minimum: 1 })),
    /** The newest 100 changes, newest first. */
    history: Type.Array(ModelEvent),
  }),
]);
export type ModelDetail = Static<typeof ModelDetail>;

/** Versions a model's page holds unless the request asks for another number. */
export const MODEL_VERSIONS_PAGE = 100;

/** A page of a model's versions: at most `limit`, newest first, those below `before` when given. */
export const ModelDetailQuery = Type.Object(
  {
    limit: Opt(Type.Integer({ minimum: 1, maximum: 1_000 })),
    before: Opt(ModelVersionNumber),
  },
  { additionalProperties: false },
);
export type ModelDetailQuery = Static<typeof ModelDetailQuery>;

export const ModelCreate = Type.Object(
  {
    name: ModelName,
    description: Opt(Type.String({ maxLength: 2048 })),
    /** Registers version 1 with the model in one step (e.g. from a finished TrainJob). */
    firstVersion: Opt(ModelVersionCreate),
  },
  { additionalProperties: false },
);
export type ModelCreate = Static<typeof ModelCreate>;

export const ModelStageUpdate = Type.Object(
  { version: ModelVersionNumber, stage: Stage },
  { additionalProperties: false },
);
export type ModelStageUpdate = Static<typeof ModelStageUpdate>;

const base = { group: ML_APPS_GROUP, scope: 'namespace' } as const;

export const mlAppsModelRoutes = {
  listModels: defineRoute({
    ...base,
    id: 'ml-apps.listModels',
    method: 'GET',
    resource: 'models',
    named: false,
    grant: 'view',
    summary: "The project's registered models with their version count, latest and production version",
    schemas: { response: { 200: ModelList } },
  }),
  getModel: defineRoute({
    ...base,
    id: 'ml-apps.getModel',
    method: 'GET',
    resource: 'models',
    named: true,
    grant: 'view',
    summary:
      'A model with a page of its versions (format, storage URI, metrics, parameters, stage) and who changed what when',
    schemas: { querystring: ModelDetailQuery, response: { 200: ModelDetail } },
  }),
  createModel: defineRoute({
    ...base,
    id: 'ml-apps.createModel',
    method: 'POST',
    resource: 'models',
    named: false,
    grant: 'edit',
    summary: 'Registers a model, optionally with its first version',
    schemas: { body: ModelCreate, response: { 200: ModelDetail } },
  }),
  deleteModel: defineRoute({
    ...base,
    id: 'ml-apps.deleteModel',
    method: 'DELETE',
    resource: 'models',
    named: true,
    grant: 'edit',
    summary: 'Deletes a model with its versions and history (services already deployed stay)',
    schemas: { response: { 200: Type.Object({ name: Type.String() }) } },
  }),
  createModelVersion: defineRoute({
    ...base,
    id: 'ml-apps.createModelVersion',
    method: 'POST',
    resource: 'models',
    named: true,
    subresource: 'versions',
    grant: 'edit',
    summary: 'Registers the next version of a model, by hand or from a finished TrainJob',
    schemas: { body: ModelVersionCreate, response: { 200: ModelDetail } },
  }),
  updateModelStage: defineRoute({
    ...base,
    id: 'ml-apps.updateModelStage',
    method: 'PUT',
    resource: 'models',
    named: true,
    subresource: 'stage',
    grant: 'edit',
    summary: 'Moves one version to a stage (none, staging, production, archived); recorded with who and when',
    schemas: { body: ModelStageUpdate, response: { 200: ModelDetail } },
  }),
} as const;
