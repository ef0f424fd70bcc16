import { Type, type Static } from '@sinclair/typebox';
import { groupOf } from './api-groups.js';
import { DnsLabel, Opt, defineRoute } from './routes.js';

/**
 * The `ml-apps.ks-gpu-ml.io` API group: which ML operators the cluster has, and Kubeflow Notebooks with the
 * quota pre-check before anything is created, and Kubeflow Trainer v2 TrainJobs. Decisions: docs/adr/0032.
 */
export const ML_APPS_GROUP = groupOf('ml-apps');

/**
 * Where an open notebook is served: ks-apiserver's ReverseProxy passes `<prefix>/<namespace>/<name>/...` to our
 * backend unchanged, which forwards it to the notebook's Service, and Jupyter's base URL (NB_PREFIX) is the same
 * path, so its own links stay under the proxy. Decision: docs/adr/0046.
 */
export const NOTEBOOK_OPEN_PREFIX = `/proxy/${ML_APPS_GROUP}/notebook`;
export const notebookOpenPath = (namespace: string, name: string): string =>
  `${NOTEBOOK_OPEN_PREFIX}/${namespace}/${name}`;

/**
 * The name of a training job or served model: a DNS label starting with a letter, and short, because the controllers
 * derive longer names from it (`<name>-<type>-<index>` pods, `<name>-predictor-00001-deployment`).
 */
export const AppName = Type.String({ pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 40 });

/** The ML kinds the pages are built on; the console names what to install for each (locales `ml-apps.operator.*`). */
export const ML_OPERATOR_IDS = [
  'notebooks',
  'trainjobs',
  'tfjobs',
  'pytorchjobs',
  'xgboostjobs',
  'mpijobs',
  'inferenceservices',
  'kueue-workloads',
] as const;
export type MlOperatorId = (typeof ML_OPERATOR_IDS)[number];

export const MlOperator = Type.Object({
  id: Type.Union(ML_OPERATOR_IDS.map((id) => Type.Literal(id))),
  group: Type.String(),
  /** The version our pages speak (e.g. `v1`); installed only when the API server serves it. */
  version: Type.String(),
  kind: Type.String(),
  /** The plural resource name (`notebooks`). */
  resource: Type.String(),
  installed: Type.Boolean(),
});
export type MlOperator = Static<typeof MlOperator>;

export const MlOperatorList = Type.Object({ items: Type.Array(MlOperator) });
export type MlOperatorList = Static<typeof MlOperatorList>;

/**
 * What a notebook is doing. `waiting`: asked to run, but its pod is not running (or not there yet); `reason`
 * and `message` are then the upstream's own words (scheduler, quota admission, kubelet), verbatim.
 */
export const NOTEBOOK_PHASES = ['running', 'waiting', 'stopped', 'terminating', 'failed'] as const;

/**
 * An app's state: one of `phases`; `reason`, the machine-readable cause as the upstream named it
 * (`Unschedulable`, `FailedCreate`, `ErrImagePull`, …), and `message`, the upstream's message verbatim.
 */
export const phaseStatus = <P extends readonly string[]>(phases: P) =>
  Type.Object({
    phase: Type.Union(phases.map((p) => Type.Literal(p as P[number]))),
    reason: Opt(Type.String()),
    message: Opt(Type.String()),
  });

export const NotebookStatus = phaseStatus(NOTEBOOK_PHASES);
export type NotebookStatus = Static<typeof NotebookStatus>;

/** A condition of an upstream object (TrainJob, InferenceService, …) as its controller wrote it, words verbatim. */
export const UpstreamCondition = Type.Object({
  type: Type.String(),
  status: Type.String(),
  reason: Opt(Type.String()),
  message: Opt(Type.String()),
});

/** GPUs of one or more resources, each with how many (per pod, per node or per replica: as the field says). */
export const GpuAmounts = Type.Array(Type.Object({ resource: Type.String(), count: Type.Number() }));

export const NotebookGpu = Type.Object({
  resource: Type.String({ minLength: 1, maxLength: 253 }),
  count: Type.Integer({ minimum: 1, maximum: 64 }),
  /** A GPU model (node label value, e.g. `NVIDIA-A100-SXM4-80GB`); the notebook is placed on such nodes. */
  model: Opt(Type.String({ minLength: 1, maxLength: 253 })),
});
export type NotebookGpu = Static<typeof NotebookGpu>;

export const Notebook = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  image: Type.String(),
  status: NotebookStatus,
  /** CPU request in cores, memory request in bytes (as the pod asks). */
  cpu: Type.Number(),
  memoryBytes: Type.Number(),
  gpus: Type.Array(Type.Object({ resource: Type.String(), count: Type.Number(), model: Opt(Type.String()) })),
  createdAt: Type.String(),
  /** The Kubeflow controller's culling annotation, when it writes one. */
  lastActivity: Opt(Type.String()),
  creator: Opt(Type.String()),
  /** GPUs × hours its pods that exist now have run (until now, or until they finished); absent without any. */
  gpuHours: Opt(Type.Number()),
  /**
   * Where it opens through the console's ReverseProxy (`notebookOpenPath`), when it was made with that path as its
   * Jupyter base URL; absent for a notebook made elsewhere (Kubeflow's own UI serves it under /notebook/...).
   */
  openPath: Opt(Type.String()),
  /** GPU-aware idle culling (docs/adr/0041): what the workspace's culler has seen and done; absent when nothing. */
  cull: Opt(
    Type.Object({
      /** Since when its GPUs have been allocated but idle (gpu-monitoring's idle-allocated definition). */
      idleSince: Opt(Type.String()),
      /** When the owner was warned that it will be stopped. */
      warnedAt: Opt(Type.String()),
      /** When the culler stops it, while it stays idle (the policy's limit, at least the warning's lead). */
      stopAt: Opt(Type.String()),
      /** When the culler stopped it for idle GPUs (kept until it is started again). */
      culledAt: Opt(Type.String()),
    }),
  ),
});
export type Notebook = Static<typeof Notebook>;

/**
 * A workspace's GPU-aware idle culling (off by default): a notebook whose GPUs have been allocated but idle longer
 * than `idleHours` is stopped, `warnMinutes` after its owner was warned.
 */
export const NotebookCullPolicy = Type.Object(
  {
    enabled: Type.Boolean(),
    idleHours: Type.Number({ minimum: 0.5, maximum: 720 }),
    warnMinutes: Type.Integer({ minimum: 0, maximum: 1440 }),
  },
  { additionalProperties: false },
);
export type NotebookCullPolicy = Static<typeof NotebookCullPolicy>;

/** The policy when a workspace has none: off. */
export const DEFAULT_NOTEBOOK_CULL_POLICY: NotebookCullPolicy = {
  enabled: false,
  idleHours: 24,
  warnMinutes: 60,
};

export const NotebookCullPolicyView = Type.Object({
  workspace: Type.String(),
  policy: NotebookCullPolicy,
  /** Who saved it and when; absent while the default applies. */
  updatedBy: Opt(Type.String()),
  updatedAt: Opt(Type.String()),
  /** How the owner is warned: through cmdb-alerting (an alert to Alertmanager) or an Event and the page's banner. */
  warnedBy: Type.Union([Type.Literal('cmdb-alerting'), Type.Literal('event')]),
});
export type NotebookCullPolicyView = Static<typeof NotebookCullPolicyView>;

export const NotebookList = Type.Object({ items: Type.Array(Notebook) });
export type NotebookList = Static<typeof NotebookList>;

/** Kubernetes quantity as a user types it: `4Gi`, `512Mi`, `10G`. */
export const MemoryQuantity = Type.String({
  pattern: '^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$',
  maxLength: 32,
});
const MountPath = Type.String({ pattern: '^/[A-Za-z0-9._/-]+$', maxLength: 512 });
const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_.-]*$', minLength: 1, maxLength: 253 });
/** Environment variables of the app's containers. */
const EnvVars = Type.Array(
  Type.Object({ name: EnvName, value: Type.String({ maxLength: 4096 }) }, { additionalProperties: false }),
  { maxItems: 64 },
);
/** A container image reference (no white space). */
export const ImageRef = Type.String({ pattern: '^[^\\s]+$', minLength: 1, maxLength: 512 });
/** CPU cores requested per pod (0.1 to 256). */
export const CpuCores = Type.Number({ minimum: 0.1, maximum: 256 });
const Command = Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 64 });
const Args = Type.Array(Type.String({ maxLength: 4096 }), { maxItems: 256 });

export const WorkspaceVolumeInput = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('new'),
      size: MemoryQuantity,
      storageClass: Opt(DnsLabel),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('existing'), claimName: DnsLabel }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
]);
export type WorkspaceVolumeInput = Static<typeof WorkspaceVolumeInput>;

export const NotebookCreate = Type.Object(
  {
    /** Also the name of its StatefulSet and Service: a DNS label, shorter so the pod name `<name>-0` fits. */
    name: Type.String({ pattern: '^[a-z]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 52 }),
    image: ImageRef,
    cpu: CpuCores,
    memory: MemoryQuantity,
    gpu: Opt(NotebookGpu),
    workspaceVolume: WorkspaceVolumeInput,
    dataVolumes: Opt(
      Type.Array(
        Type.Object(
          { claimName: DnsLabel, mountPath: MountPath, readOnly: Type.Boolean() },
          { additionalProperties: false },
        ),
        { maxItems: 16 },
      ),
    ),
    env: Opt(EnvVars),
  },
  { additionalProperties: false },
);
export type NotebookCreate = Static<typeof NotebookCreate>;

export const NotebookUpdate = Type.Object({ stopped: Type.Boolean() }, { additionalProperties: false });
export type NotebookUpdate = Static<typeof NotebookUpdate>;

/** What the create form offers: the platform's images, the GPU resources nodes advertise, the project's PVCs. */
export const NotebookOptions = Type.Object({
  images: Type.Array(Type.String()),
  gpus: Type.Array(
    Type.Object({
      resource: Type.String(),
      models: Type.Array(Type.String()),
      /** The most one schedulable node has free now: a larger single-pod request cannot be placed. */
      largestFree: Type.Number(),
    }),
  ),
  claims: Type.Array(Type.String()),
});
export type NotebookOptions = Static<typeof NotebookOptions>;

/**
 * One limit a create would break (a 409's `details.refusals`): `source` is `quota` (a ResourceQuota's
 * `hard` key, `max` its value) or `capacity` (`free` is the most one matching node has free).
 */
export const PrecheckRefusal = Type.Object({
  source: Type.Union([Type.Literal('quota'), Type.Literal('capacity')]),
  resource: Type.String(),
  asked: Type.Number(),
  used: Opt(Type.Number()),
  max: Opt(Type.Number()),
  free: Opt(Type.Number()),
  /** The ResourceQuota that would refuse, for `quota`. */
  quota: Opt(Type.String()),
});
export type PrecheckRefusal = Static<typeof PrecheckRefusal>;

/** A Kubeflow Trainer v2 TrainJob's state, from its conditions and then its pods (waiting: the upstream's words). */
export const TRAINJOB_PHASES = ['running', 'waiting', 'succeeded', 'failed', 'suspended'] as const;
export const TrainJobStatus = phaseStatus(TRAINJOB_PHASES);

/** One node's pod of a TrainJob (the JobSet's pods): where it runs and, when it waits, why. */
/** The Kueue queue of a job when Kueue manages it (a Workload owned by the job): waiting there is not running. */
export const KueueQueue = Type.Object({
  /** The LocalQueue (the Workload's queueName). */
  name: Type.String(),
  /** The Workload name, for an administrator's kubectl. */
  workload: Type.String(),
  admitted: Type.Boolean(),
  /**
   * While pending: its place in Kueue's queues, 0-based as Kueue's visibility API (pendingworkloads) gives it: 0 is
   * next in its LocalQueue, resp. in the ClusterQueue the LocalQueue feeds.
   */
  position: Opt(Type.Object({ inLocalQueue: Type.Integer(), inClusterQueue: Type.Integer() })),
  /**
   * While pending without a position, why: `not-served` (no `visibility.kueue.x-k8s.io`: Kueue older than 0.9, its
   * VisibilityOnDemand gate off, or no Kueue manager running), `unreachable` (the API failed to answer), `not-listed`
   * (Kueue did not list the Workload among its LocalQueue's pending ones, e.g. not yet queued or beyond the page).
   */
  positionUnavailable: Opt(
    Type.Union([Type.Literal('not-served'), Type.Literal('unreachable'), Type.Literal('not-listed')]),
  ),
});

export const TrainJobReplica = Type.Object({
  pod: Type.String(),
  node: Opt(Type.String()),
  status: TrainJobStatus,
});

/** Where a TrainJob's initializer fetches from: Trainer's `storageUri` (a URI such as `hf://org/model`, `s3://…`, or an absolute path). */
const StorageUri = Type.String({
  pattern: '^([A-Za-z][A-Za-z0-9+.-]*://.+|/.*)$',
  minLength: 2,
  maxLength: 2048,
});

/**
 * A TrainJob's dataset and model initializers (Trainer's `spec.initializer`): each runs before training in the job
 * of the runtime that has it (labelled `trainer.kubeflow.org/trainjob-ancestor-step: dataset-initializer` resp.
 * `model-initializer`); asking one of a runtime without it is refused.
 */
export const TrainJobInitializer = Type.Object(
  {
    dataset: Opt(Type.Object({ storageUri: StorageUri }, { additionalProperties: false })),
    model: Opt(Type.Object({ storageUri: StorageUri }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type TrainJobInitializer = Static<typeof TrainJobInitializer>;

export const TrainJob = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  runtime: Type.Object({ kind: Type.String(), name: Type.String() }),
  image: Type.String(),
  numNodes: Type.Integer(),
  /** GPUs per node (the trainer's resourcesPerNode). */
  gpusPerNode: GpuAmounts,
  status: TrainJobStatus,
  conditions: Type.Array(UpstreamCondition),
  /** What its initializers fetch, when it has any. */
  initializer: Opt(TrainJobInitializer),
  /** Trainer's progress (its TrainJobStatus feature), when it reports it. */
  progress: Opt(
    Type.Object({ percentage: Opt(Type.Number()), estimatedRemainingSeconds: Opt(Type.Number()) }),
  ),
  replicas: Type.Array(TrainJobReplica),
  queue: Opt(KueueQueue),
  /** GPUs × hours its pods that exist now have run (until now, or until they finished); absent without any. */
  gpuHours: Opt(Type.Number()),
  createdAt: Type.String(),
  creator: Opt(Type.String()),
});
export type TrainJob = Static<typeof TrainJob>;

export const TrainJobList = Type.Object({ items: Type.Array(TrainJob) });

export const TrainJobCreate = Type.Object(
  {
    name: AppName,
    runtimeRef: Type.Object(
      {
        kind: Type.Union([Type.Literal('ClusterTrainingRuntime'), Type.Literal('TrainingRuntime')]),
        name: DnsLabel,
      },
      { additionalProperties: false },
    ),
    image: ImageRef,
    command: Opt(Command),
    args: Opt(Args),
    numNodes: Type.Integer({ minimum: 1, maximum: 64 }),
    /** Per node: CPU cores, memory, and the GPUs of one resource (optionally one model). */
    cpu: CpuCores,
    memory: MemoryQuantity,
    gpu: Opt(NotebookGpu),
    env: Opt(EnvVars),
    /** Dataset and model to fetch before training, where the runtime has those initializers. */
    initializer: Opt(TrainJobInitializer),
  },
  { additionalProperties: false },
);
export type TrainJobCreate = Static<typeof TrainJobCreate>;

/** A Training Operator v1 job (TFJob, PyTorchJob, XGBoostJob, MPIJob): its replica types and each replica's pod. */
export const TrainingJob = Type.Object({
  kind: Type.String(),
  name: Type.String(),
  namespace: Type.String(),
  status: TrainJobStatus,
  conditions: TrainJob.properties.conditions,
  replicaTypes: Type.Array(
    Type.Object({
      type: Type.String(),
      replicas: Type.Integer(),
      gpus: GpuAmounts,
    }),
  ),
  /** Each replica's pod, with its replica type and index (the operator's labels) and its node. */
  replicas: Type.Array(
    Type.Composite([TrainJobReplica, Type.Object({ type: Opt(Type.String()), index: Opt(Type.String()) })]),
  ),
  queue: Opt(KueueQueue),
  /** GPUs × hours its pods that exist now have run (until now, or until they finished); absent without any. */
  gpuHours: Opt(Type.Number()),
  createdAt: Type.String(),
  creator: Opt(Type.String()),
});
export type TrainingJob = Static<typeof TrainingJob>;

export const TrainingJobList = Type.Object({
  /** The v1 kinds this cluster serves (the list covers those). */
  kinds: Type.Array(Type.String()),
  items: Type.Array(TrainingJob),
});
export type TrainingJobList = Static<typeof TrainingJobList>;

/** The Training Operator v1 kinds a project can submit. */
export const TRAINING_JOB_KINDS = ['TFJob', 'PyTorchJob', 'XGBoostJob', 'MPIJob'] as const;
export type TrainingJobKind = (typeof TRAINING_JOB_KINDS)[number];

/** The replica types each kind takes (its `<kind>ReplicaSpecs` keys, as the operator's webhooks accept them). */
export const TRAINING_REPLICA_TYPES: Readonly<Record<TrainingJobKind, readonly string[]>> = {
  TFJob: ['Chief', 'Master', 'PS', 'Worker', 'Evaluator'],
  PyTorchJob: ['Master', 'Worker'],
  XGBoostJob: ['Master', 'Worker'],
  MPIJob: ['Launcher', 'Worker'],
};
/** Replica types the operator runs once at most (its webhooks refuse more). */
export const SINGLE_REPLICA_TYPES: readonly string[] = ['Chief', 'Master', 'Evaluator', 'Launcher'];
/** The replica type a kind cannot run without. */
export const REQUIRED_REPLICA_TYPE: Readonly<Partial<Record<TrainingJobKind, string>>> = {
  XGBoostJob: 'Master',
  MPIJob: 'Launcher',
};

/** One replica type of a v1 job: how many replicas, and per replica the image, command and resources. */
export const TrainingReplicaCreate = Type.Object(
  {
    type: Type.String({ pattern: '^[A-Z][A-Za-z]*$', minLength: 1, maxLength: 32 }),
    replicas: Type.Integer({ minimum: 1, maximum: 64 }),
    image: ImageRef,
    command: Opt(Command),
    args: Opt(Args),
    /** Per replica: CPU cores, memory, and the GPUs of one resource (optionally one model). */
    cpu: CpuCores,
    memory: MemoryQuantity,
    gpu: Opt(NotebookGpu),
  },
  { additionalProperties: false },
);
export type TrainingReplicaCreate = Static<typeof TrainingReplicaCreate>;

export const TrainingJobCreate = Type.Object(
  {
    kind: Type.Union(TRAINING_JOB_KINDS.map((k) => Type.Literal(k))),
    /** Pods are `<name>-<type>-<index>`: shorter than a DNS label leaves room for the suffix. */
    name: AppName,
    replicaSpecs: Type.Array(TrainingReplicaCreate, { minItems: 1, maxItems: 5 }),
    /** The same variables in every replica. */
    env: Opt(EnvVars),
  },
  { additionalProperties: false },
);
export type TrainingJobCreate = Static<typeof TrainingJobCreate>;

/** A replica-type rule a schema cannot say: the field it concerns, a message key (`ml-apps.replica.*`), values. */
export interface ReplicaProblem {
  field: string;
  key: 'unknownType' | 'duplicateType' | 'singleReplica' | 'requiredType';
  params: Record<string, string | number>;
}

/** The first rule of the kind's replica types a submit breaks (both sides check it; the operator would refuse). */
export function replicaProblem(
  kind: TrainingJobKind,
  specs: readonly Pick<TrainingReplicaCreate, 'type' | 'replicas'>[],
): ReplicaProblem | undefined {
  const allowed = TRAINING_REPLICA_TYPES[kind];
  const seen = new Set<string>();
  for (const [i, spec] of specs.entries()) {
    const field = `body.replicaSpecs.${i}`;
    if (!allowed.includes(spec.type)) {
      return {
        field: `${field}.type`,
        key: 'unknownType',
        params: { kind, type: spec.type, available: allowed.join(', ') },
      };
    }
    if (seen.has(spec.type))
      return { field: `${field}.type`, key: 'duplicateType', params: { type: spec.type } };
    seen.add(spec.type);
    if (SINGLE_REPLICA_TYPES.includes(spec.type) && spec.replicas !== 1) {
      return { field: `${field}.replicas`, key: 'singleReplica', params: { type: spec.type } };
    }
  }
  const required = REQUIRED_REPLICA_TYPE[kind];
  if (required && !seen.has(required)) {
    return { field: 'body.replicaSpecs', key: 'requiredType', params: { kind, type: required } };
  }
  return undefined;
}

export const TrainingJobKindQuery = Type.Object(
  { kind: Type.Union(TRAINING_JOB_KINDS.map((k) => Type.Literal(k))) },
  { additionalProperties: false },
);

/** The kinds of ML app whose events and pods the pages show. */
export const ML_APP_KINDS = ['Notebook', 'TrainJob', ...TRAINING_JOB_KINDS] as const;
export type MlAppKind = (typeof ML_APP_KINDS)[number];

export const MlAppEventsQuery = Type.Object(
  { kind: Type.Union(ML_APP_KINDS.map((k) => Type.Literal(k))), name: DnsLabel },
  { additionalProperties: false },
);

/** One event about an app, its controller objects (StatefulSet, JobSet: the app's name) or its pods, verbatim. */
export const MlAppEvent = Type.Object({
  type: Type.String(),
  reason: Type.String(),
  message: Type.String(),
  /** What it is about: `Pod/nb-0`, `Notebook/nb`, `StatefulSet/nb`. */
  object: Type.String(),
  count: Type.Integer(),
  /** When it last happened (ISO 8601). */
  lastSeen: Type.String(),
});
export type MlAppEvent = Static<typeof MlAppEvent>;

export const MlAppEventList = Type.Object({
  /** Newest first, at most 200. */
  items: Type.Array(MlAppEvent),
  /** The app's pods now (the log route takes these names). */
  pods: Type.Array(Type.Object({ name: Type.String(), containers: Type.Array(Type.String()) })),
});
export type MlAppEventList = Static<typeof MlAppEventList>;

export const PodLogQuery = Type.Object(
  {
    container: Opt(DnsLabel),
    /** The last lines (default 500). */
    tailLines: Opt(Type.Integer({ minimum: 1, maximum: 5000 })),
    /** The previous run of the container (after a restart). */
    previous: Opt(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type PodLogQuery = Static<typeof PodLogQuery>;

export const PodLog = Type.Object({
  pod: Type.String(),
  container: Type.String(),
  /** The log text as the kubelet serves it, cut at 1 MiB. */
  log: Type.String(),
});
export type PodLog = Static<typeof PodLog>;

const base = { group: ML_APPS_GROUP } as const;

export const mlAppsRoutes = {
  listOperators: defineRoute({
    ...base,
    id: 'ml-apps.listOperators',
    method: 'GET',
    scope: 'cluster',
    resource: 'mloperators',
    named: false,
    grant: 'authenticated',
    summary: 'Which ML operators (CRDs) the cluster serves, found by API discovery',
    schemas: { response: { 200: MlOperatorList } },
  }),
  listNotebooks: defineRoute({
    ...base,
    id: 'ml-apps.listNotebooks',
    method: 'GET',
    scope: 'namespace',
    resource: 'notebooks',
    named: false,
    grant: 'view',
    summary:
      "The project's notebooks with status (waiting pods with the upstream's reason), GPUs, CPU, memory",
    schemas: { response: { 200: NotebookList } },
  }),
  getNotebookOptions: defineRoute({
    ...base,
    id: 'ml-apps.getNotebookOptions',
    method: 'GET',
    scope: 'namespace',
    resource: 'notebookoptions',
    named: false,
    grant: 'view',
    summary:
      'What a new notebook may use: curated images, GPU resources and models, the project volume claims',
    schemas: { response: { 200: NotebookOptions } },
  }),
  createNotebook: defineRoute({
    ...base,
    id: 'ml-apps.createNotebook',
    method: 'POST',
    scope: 'namespace',
    resource: 'notebooks',
    named: false,
    grant: 'edit',
    summary:
      'Creates a notebook after the quota and capacity pre-check (409 with the numbers, nothing created)',
    schemas: { body: NotebookCreate, response: { 200: Notebook } },
  }),
  updateNotebook: defineRoute({
    ...base,
    id: 'ml-apps.updateNotebook',
    method: 'PATCH',
    scope: 'namespace',
    resource: 'notebooks',
    named: true,
    grant: 'edit',
    summary: 'Stops or starts a notebook (the kubeflow-resource-stopped annotation)',
    schemas: { body: NotebookUpdate, response: { 200: Notebook } },
  }),
  deleteNotebook: defineRoute({
    ...base,
    id: 'ml-apps.deleteNotebook',
    method: 'DELETE',
    scope: 'namespace',
    resource: 'notebooks',
    named: true,
    grant: 'edit',
    summary: 'Deletes a notebook (its workspace volume claim stays)',
    schemas: { response: { 200: Type.Object({ name: Type.String() }) } },
  }),
  getNotebookCullPolicy: defineRoute({
    ...base,
    id: 'ml-apps.getNotebookCullPolicy',
    method: 'GET',
    scope: 'namespace',
    resource: 'notebookcullpolicies',
    named: false,
    grant: 'view',
    summary: "The GPU-aware idle culling policy of the project's workspace (off by default)",
    schemas: { response: { 200: NotebookCullPolicyView } },
  }),
  getWorkspaceNotebookCullPolicy: defineRoute({
    ...base,
    id: 'ml-apps.getWorkspaceNotebookCullPolicy',
    method: 'GET',
    scope: 'workspace',
    resource: 'notebookcullpolicies',
    named: false,
    grant: 'view',
    summary: "The workspace's GPU-aware idle culling policy (off by default)",
    schemas: { response: { 200: NotebookCullPolicyView } },
  }),
  updateNotebookCullPolicy: defineRoute({
    ...base,
    id: 'ml-apps.updateNotebookCullPolicy',
    method: 'PUT',
    scope: 'workspace',
    resource: 'notebookcullpolicies',
    named: false,
    grant: 'admin',
    summary: "Sets the workspace's GPU-aware idle culling policy (workspace administrators)",
    schemas: { body: NotebookCullPolicy, response: { 200: NotebookCullPolicyView } },
  }),
  listTrainJobs: defineRoute({
    ...base,
    id: 'ml-apps.listTrainJobs',
    method: 'GET',
    scope: 'namespace',
    resource: 'trainjobs',
    named: false,
    grant: 'view',
    summary:
      "The project's TrainJobs with status (waiting pods with the upstream's reason), per-node pods, progress",
    schemas: { response: { 200: TrainJobList } },
  }),
  createTrainJob: defineRoute({
    ...base,
    id: 'ml-apps.createTrainJob',
    method: 'POST',
    scope: 'namespace',
    resource: 'trainjobs',
    named: false,
    grant: 'edit',
    summary:
      'Submits a TrainJob after the quota and capacity pre-check for all its nodes (409 with the numbers)',
    schemas: { body: TrainJobCreate, response: { 200: TrainJob } },
  }),
  deleteTrainJob: defineRoute({
    ...base,
    id: 'ml-apps.deleteTrainJob',
    method: 'DELETE',
    scope: 'namespace',
    resource: 'trainjobs',
    named: true,
    grant: 'edit',
    summary: 'Deletes a TrainJob',
    schemas: { response: { 200: Type.Object({ name: Type.String() }) } },
  }),
  listTrainingJobs: defineRoute({
    ...base,
    id: 'ml-apps.listTrainingJobs',
    method: 'GET',
    scope: 'namespace',
    resource: 'trainingjobs',
    named: false,
    grant: 'view',
    summary:
      "The project's Training Operator v1 jobs (TFJob, PyTorchJob, XGBoostJob, MPIJob) with status and replica pods",
    schemas: { response: { 200: TrainingJobList } },
  }),
  createTrainingJob: defineRoute({
    ...base,
    id: 'ml-apps.createTrainingJob',
    method: 'POST',
    scope: 'namespace',
    resource: 'trainingjobs',
    named: false,
    grant: 'edit',
    summary:
      'Submits a TFJob, PyTorchJob, XGBoostJob or MPIJob after the quota and capacity pre-check of all its replicas (409 with the numbers)',
    schemas: { body: TrainingJobCreate, response: { 200: TrainingJob } },
  }),
  listAppEvents: defineRoute({
    ...base,
    id: 'ml-apps.listAppEvents',
    method: 'GET',
    scope: 'namespace',
    resource: 'mlevents',
    named: false,
    grant: 'view',
    summary:
      'Events about a notebook or training job, its StatefulSet or JobSet and its pods (scheduler, quota, kubelet), newest first, and its pods',
    schemas: { querystring: MlAppEventsQuery, response: { 200: MlAppEventList } },
  }),
  getPodLog: defineRoute({
    ...base,
    id: 'ml-apps.getPodLog',
    method: 'GET',
    scope: 'namespace',
    resource: 'mlpods',
    named: true,
    subresource: 'log',
    grant: 'view',
    summary:
      "A notebook's or training replica's pod log through the apiserver (only pods of ML apps; 409 with the apiserver's words while it cannot be read)",
    schemas: { querystring: PodLogQuery, response: { 200: PodLog } },
  }),
  deleteTrainingJob: defineRoute({
    ...base,
    id: 'ml-apps.deleteTrainingJob',
    method: 'DELETE',
    scope: 'namespace',
    resource: 'trainingjobs',
    named: true,
    grant: 'edit',
    summary: 'Deletes a Training Operator v1 job of the kind the query names',
    schemas: { querystring: TrainingJobKindQuery, response: { 200: Type.Object({ name: Type.String() }) } },
  }),
} as const;
