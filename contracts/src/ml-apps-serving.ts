import { Type, type Static } from '@sinclair/typebox';
import {
  AppName,
  CpuCores,
  GpuAmounts,
  ImageRef,
  MemoryQuantity,
  ML_APPS_GROUP,
  NotebookGpu,
  phaseStatus,
  UpstreamCondition,
} from './ml-apps.js';
import { ModelName, ModelVersionNumber } from './ml-apps-models.js';
import { Opt, defineRoute } from './routes.js';

/**
 * ml-apps' serving: a registered model version deployed as a KServe `serving.kserve.io/v1beta1`
 * InferenceService, its runtimes, its state with the controller's own words, canary roll-outs (issue 17).
 */

export const RUNTIME_KINDS = ['ServingRuntime', 'ClusterServingRuntime'] as const;
const RuntimeKind = Type.Union(RUNTIME_KINDS.map((k) => Type.Literal(k)));

export const ServingRuntimeOption = Type.Object({
  kind: RuntimeKind,
  name: Type.String(),
  formats: Type.Array(
    Type.Object({
      name: Type.String(),
      version: Opt(Type.String()),
      autoSelect: Type.Boolean(),
      priority: Opt(Type.Number()),
    }),
  ),
  protocolVersions: Type.Array(Type.String()),
  disabled: Type.Boolean(),
});
export type ServingRuntimeOption = Static<typeof ServingRuntimeOption>;

export const ServingOptions = Type.Object({
  /** The project's ServingRuntimes and the cluster's ClusterServingRuntimes. */
  runtimes: Type.Array(ServingRuntimeOption),
  /** Whether the cluster serves KServe's LLMInferenceService (v1alpha1). */
  llmInferenceService: Type.Boolean(),
});
export type ServingOptions = Static<typeof ServingOptions>;

/**
 * What a service is doing. `failed`: the controller or the model server said why (model load failure,
 * crashing predictor), `reason` and `message` verbatim; `waiting`: not ready yet, with the first words that say
 * why (a condition, a pod's waiting state, a warning event).
 */
export const SERVING_PHASES = ['ready', 'waiting', 'failed', 'stopped'] as const;
export const ServingStatus = phaseStatus(SERVING_PHASES);
export type ServingStatus = Static<typeof ServingStatus>;

const ModelRef = Type.Object({ name: Type.String(), version: Type.Integer() });

export const ServingRevision = Type.Object({
  revisionName: Type.String(),
  percent: Type.Number(),
  tag: Opt(Type.String()),
  latest: Type.Boolean(),
  /** The registered version it serves, when we deployed it. */
  model: Opt(ModelRef),
});

export const InferenceServiceSummary = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  /** The registered model version the spec serves (our labels), absent for services deployed elsewhere. */
  model: Opt(ModelRef),
  format: Opt(Type.String()),
  storageUri: Opt(Type.String()),
  runtime: Opt(Type.String()),
  protocolVersion: Opt(Type.String()),
  url: Opt(Type.String()),
  status: ServingStatus,
  replicas: Type.Object({
    min: Opt(Type.Integer()),
    max: Opt(Type.Integer()),
    /** Predictor pods running with every container ready, and all predictor pods. */
    ready: Type.Integer(),
    pods: Type.Integer(),
  }),
  /** GPUs per replica. */
  gpus: GpuAmounts,
  /** GPU-hours of the pods that exist now (every component), from their start to now or their end. */
  gpuHours: Opt(Type.Number()),
  /** During a canary roll-out: the percent the new revision takes, and the version it replaces. */
  canary: Opt(Type.Object({ percent: Type.Number(), previous: Opt(ModelRef) })),
  traffic: Type.Array(ServingRevision),
  createdAt: Type.String(),
  creator: Opt(Type.String()),
});
export type InferenceServiceSummary = Static<typeof InferenceServiceSummary>;

/**
 * A KServe `LLMInferenceService` (v1alpha1) of the project: readiness from its knative conditions (`Ready` over
 * the workloads and the router, the first false sub-condition saying why, a crashing workload pod's words), URL,
 * the registered version it serves, its replicas and GPUs per replica.
 */
export const LLMInferenceServiceSummary = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  /** The registered model version (our labels), absent for services deployed elsewhere. */
  model: Opt(ModelRef),
  /** `spec.model.uri` and `.name` as written. */
  modelUri: Opt(Type.String()),
  modelName: Opt(Type.String()),
  url: Opt(Type.String()),
  status: ServingStatus,
  replicas: Type.Object({
    /** `spec.replicas`. */
    desired: Opt(Type.Integer()),
    /** Workload pods running with every container ready, and all workload pods. */
    ready: Type.Integer(),
    pods: Type.Integer(),
  }),
  /** GPUs per replica (the `main` container's limits). */
  gpus: GpuAmounts,
  /** GPU-hours of the pods that exist now, from their start to now or their end. */
  gpuHours: Opt(Type.Number()),
  /** Whether KServe's managed router (scheduler, HTTPRoute, Gateway) was asked for. */
  router: Type.Boolean(),
  createdAt: Type.String(),
  creator: Opt(Type.String()),
});
export type LLMInferenceServiceSummary = Static<typeof LLMInferenceServiceSummary>;

export const InferenceServiceList = Type.Object({
  items: Type.Array(InferenceServiceSummary),
  /** The project's LLMInferenceServices; present only when the cluster serves that CRD. */
  llmItems: Opt(Type.Array(LLMInferenceServiceSummary)),
  /**
   * A fingerprint of what the list was made from (the services and their pods as the backend's watch saw them):
   * pass it back as `since` to wait for the next change.
   */
  revision: Opt(Type.String()),
});
export type InferenceServiceList = Static<typeof InferenceServiceList>;

/** Longest a list request with `since` waits for a change before answering the list unchanged. */
export const SERVING_LIST_MAX_WAIT_SECONDS = 30;

/**
 * The list at once, or — with `since`, a revision an earlier answer carried — once the project's services or
 * their pods changed from it (at most `waitSeconds`, default 25): the console's watch, a long poll (ADR 0040).
 */
export const InferenceServiceListQuery = Type.Object(
  {
    since: Opt(Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })),
    waitSeconds: Opt(Type.Integer({ minimum: 1, maximum: SERVING_LIST_MAX_WAIT_SECONDS })),
  },
  { additionalProperties: false },
);
export type InferenceServiceListQuery = Static<typeof InferenceServiceListQuery>;

/**
 * One service at once, or — with `since`, a revision an earlier detail carried — once it changed or a new warning
 * event about one of its pods came (at most `waitSeconds`, default 25): the detail's own wait, so a pod's warnings
 * show while the panel is open without the list moving (ADR 0040).
 */
export const InferenceServiceDetailQuery = InferenceServiceListQuery;
export type InferenceServiceDetailQuery = Static<typeof InferenceServiceDetailQuery>;

export const InferenceServiceDetail = Type.Composite([
  InferenceServiceSummary,
  Type.Object({
    /**
     * A fingerprint of the service, its pods and the warnings shown (names and resourceVersions): pass it back
     * as `since` to wait for the next change of any of them.
     */
    revision: Opt(Type.String()),
    conditions: Type.Array(
      Type.Object({ ...UpstreamCondition.properties, lastTransitionTime: Opt(Type.String()) }),
    ),
    modelStatus: Opt(
      Type.Object({
        transitionStatus: Opt(Type.String()),
        activeModelState: Opt(Type.String()),
        targetModelState: Opt(Type.String()),
        lastFailureInfo: Opt(
          Type.Object({
            reason: Opt(Type.String()),
            message: Opt(Type.String()),
            location: Opt(Type.String()),
            exitCode: Opt(Type.Number()),
          }),
        ),
      }),
    ),
    pods: Type.Array(
      Type.Object({
        name: Type.String(),
        component: Opt(Type.String()),
        node: Opt(Type.String()),
        status: ServingStatus,
      }),
    ),
    events: Type.Array(
      Type.Object({
        object: Type.String(),
        reason: Opt(Type.String()),
        message: Opt(Type.String()),
        at: Opt(Type.String()),
      }),
    ),
  }),
]);
export type InferenceServiceDetail = Static<typeof InferenceServiceDetail>;

const DetailParts = InferenceServiceDetail.properties;

/**
 * One LLMInferenceService: its knative conditions, the pods KServe's llmisvc controller made for it (the part
 * each plays: workload, worker, prefill, router scheduler) and the warnings about it and them.
 */
export const LLMInferenceServiceDetail = Type.Composite([
  LLMInferenceServiceSummary,
  Type.Object({
    conditions: DetailParts.conditions,
    pods: DetailParts.pods,
    events: DetailParts.events,
  }),
]);
export type LLMInferenceServiceDetail = Static<typeof LLMInferenceServiceDetail>;

/**
 * A transformer (pre- and post-processing before the predictor) or an explainer as KServe's custom component: one
 * container (`kserve-container`) of the image given, with its own CPU and memory per replica; it scales with the
 * predictor's replica bounds.
 */
export const ServingComponent = Type.Object(
  {
    image: ImageRef,
    args: Opt(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 32 })),
    cpu: Type.Number({ minimum: 0.1, maximum: 64 }),
    memory: MemoryQuantity,
  },
  { additionalProperties: false },
);
export type ServingComponent = Static<typeof ServingComponent>;

export const InferenceServiceCreate = Type.Object(
  {
    /** A DNS label short enough for KServe's derived names (`<name>-predictor-00001-deployment`). */
    name: AppName,
    model: ModelName,
    version: ModelVersionNumber,
    /** A runtime offered for the version's format; absent: KServe picks an auto-select runtime. */
    runtime: Opt(
      Type.Object(
        {
          kind: RuntimeKind,
          name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', minLength: 1, maxLength: 253 }),
        },
        { additionalProperties: false },
      ),
    ),
    protocolVersion: Opt(Type.Union([Type.Literal('v1'), Type.Literal('v2')])),
    /** Per replica: CPU cores, memory, GPUs of one resource (optionally one model). */
    cpu: CpuCores,
    memory: MemoryQuantity,
    gpu: Opt(NotebookGpu),
    minReplicas: Type.Integer({ minimum: 0, maximum: 100 }),
    maxReplicas: Type.Integer({ minimum: 1, maximum: 100 }),
    scaleMetric: Opt(
      Type.Union([
        Type.Literal('concurrency'),
        Type.Literal('rps'),
        Type.Literal('cpu'),
        Type.Literal('memory'),
      ]),
    ),
    scaleTarget: Opt(Type.Integer({ minimum: 1, maximum: 100_000 })),
    transformer: Opt(ServingComponent),
    explainer: Opt(ServingComponent),
  },
  { additionalProperties: false },
);
export type InferenceServiceCreate = Static<typeof InferenceServiceCreate>;

/**
 * A registered version served as KServe's `LLMInferenceService` (`serving.kserve.io/v1alpha1`, when the cluster
 * serves it): the model's URI, `replicas` pods of one `main` container with these amounts (GPUs required), and
 * KServe's managed router (scheduler, HTTPRoute, Gateway) when `router` is set.
 */
export const LLMInferenceServiceCreate = Type.Object(
  {
    name: AppName,
    model: ModelName,
    version: ModelVersionNumber,
    replicas: Type.Integer({ minimum: 1, maximum: 16 }),
    cpu: CpuCores,
    memory: MemoryQuantity,
    gpu: NotebookGpu,
    router: Opt(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type LLMInferenceServiceCreate = Static<typeof LLMInferenceServiceCreate>;

/** A canary roll-out of another version, or its end: promote (all traffic to it) or roll back (to the previous). */
export const InferenceServiceUpdate = Type.Union([
  Type.Object(
    {
      action: Type.Literal('canary'),
      version: ModelVersionNumber,
      percent: Type.Integer({ minimum: 1, maximum: 99 }),
    },
    { additionalProperties: false },
  ),
  Type.Object({ action: Type.Literal('promote') }, { additionalProperties: false }),
  Type.Object({ action: Type.Literal('rollback') }, { additionalProperties: false }),
]);
export type InferenceServiceUpdate = Static<typeof InferenceServiceUpdate>;

export const InferenceRequest = Type.Object(
  {
    protocol: Type.Union([Type.Literal('v1'), Type.Literal('v2')]),
    /** The JSON body sent as is: V1 `{"instances": …}`, V2 `{"inputs": […]}`. */
    body: Type.Record(Type.String(), Type.Unknown()),
  },
  { additionalProperties: false },
);
export type InferenceRequest = Static<typeof InferenceRequest>;

export const InferenceAnswer = Type.Object({
  /** The predictor's HTTP status and JSON answer (or its text, when not JSON), and how long it took. */
  status: Type.Integer(),
  body: Type.Unknown(),
  latencyMs: Type.Number(),
  url: Type.String(),
});
export type InferenceAnswer = Static<typeof InferenceAnswer>;

const base = { group: ML_APPS_GROUP, scope: 'namespace' } as const;

export const mlAppsServingRoutes = {
  getServingOptions: defineRoute({
    ...base,
    id: 'ml-apps.getServingOptions',
    method: 'GET',
    resource: 'servingoptions',
    named: false,
    grant: 'view',
    summary: 'The ServingRuntimes and ClusterServingRuntimes a deploy may use, with their model formats',
    schemas: { response: { 200: ServingOptions } },
  }),
  listInferenceServices: defineRoute({
    ...base,
    id: 'ml-apps.listInferenceServices',
    method: 'GET',
    resource: 'inferenceservices',
    named: false,
    grant: 'view',
    summary:
      "The project's InferenceServices (and LLMInferenceServices where served): readiness (the controller's words), URL, version, replicas, GPUs; with `since`, once they changed",
    schemas: { querystring: InferenceServiceListQuery, response: { 200: InferenceServiceList } },
  }),
  getInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.getInferenceService',
    method: 'GET',
    resource: 'inferenceservices',
    named: true,
    grant: 'view',
    summary:
      'One InferenceService with conditions, modelStatus, predictor pods and warning events; with `since`, once they changed',
    schemas: { querystring: InferenceServiceDetailQuery, response: { 200: InferenceServiceDetail } },
  }),
  createInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.createInferenceService',
    method: 'POST',
    resource: 'inferenceservices',
    named: false,
    grant: 'edit',
    summary:
      'Deploys a registered model version as an InferenceService after the quota and capacity pre-check (409 with the numbers)',
    schemas: { body: InferenceServiceCreate, response: { 200: InferenceServiceDetail } },
  }),
  createLLMInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.createLLMInferenceService',
    method: 'POST',
    resource: 'llminferenceservices',
    named: false,
    grant: 'edit',
    summary:
      "Serves a registered model version as KServe's LLMInferenceService (when installed) after the quota and capacity pre-check",
    schemas: { body: LLMInferenceServiceCreate, response: { 200: Type.Object({ name: Type.String() }) } },
  }),
  getLLMInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.getLLMInferenceService',
    method: 'GET',
    resource: 'llminferenceservices',
    named: true,
    grant: 'view',
    summary: 'One LLMInferenceService with its conditions, its pods and the warnings about them',
    schemas: { response: { 200: LLMInferenceServiceDetail } },
  }),
  deleteLLMInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.deleteLLMInferenceService',
    method: 'DELETE',
    resource: 'llminferenceservices',
    named: true,
    grant: 'edit',
    summary: 'Deletes an LLMInferenceService',
    schemas: { response: { 200: Type.Object({ name: Type.String() }) } },
  }),
  updateInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.updateInferenceService',
    method: 'PATCH',
    resource: 'inferenceservices',
    named: true,
    grant: 'edit',
    summary:
      'Starts a canary roll-out of another version (canaryTrafficPercent), promotes it or rolls it back',
    schemas: { body: InferenceServiceUpdate, response: { 200: InferenceServiceDetail } },
  }),
  deleteInferenceService: defineRoute({
    ...base,
    id: 'ml-apps.deleteInferenceService',
    method: 'DELETE',
    resource: 'inferenceservices',
    named: true,
    grant: 'edit',
    summary: 'Deletes an InferenceService',
    schemas: { response: { 200: Type.Object({ name: Type.String() }) } },
  }),
  predict: defineRoute({
    ...base,
    id: 'ml-apps.predict',
    method: 'POST',
    resource: 'inferenceservices',
    named: true,
    subresource: 'predict',
    grant: 'view',
    summary:
      "Sends a test request (V1 or V2 inference protocol) to the service through the backend; the predictor's answer and latency",
    schemas: { body: InferenceRequest, response: { 200: InferenceAnswer } },
  }),
} as const;
