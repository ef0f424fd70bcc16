import { Type, type Static } from '@sinclair/typebox';
import { groupOf } from './api-groups.js';
import { Opt, defineRoute } from './routes.js';

/**
 * The `gpu-quota.ks-gpu-ml.io` API group: the GPU catalogue, base/max GPU quotas per project and per workspace,
 * and the cluster view. Domain rules: docs/adr/0004; this API: docs/adr/0006.
 */
export const GPU_QUOTA_GROUP = groupOf('gpu-quota');

const Counts = Type.Record(Type.String(), Type.Number());

/** One problem of a request or one warning of an answer: where, which message (locale key), and its values. */
export const GpuQuotaProblem = Type.Object({
  /** The request field, in the same form as BACKEND_INVALID_FIELD: `body.resources.1.base`. */
  path: Type.String(),
  /** Locale key of the message (`GPU_QUOTA_*` in locales/<lang>/backend.json). */
  code: Type.String(),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  /** The message in the caller's language. */
  message: Type.String(),
});
export type GpuQuotaProblem = Static<typeof GpuQuotaProblem>;

const Figures = {
  capacity: Type.Number(),
  allocatable: Type.Number(),
  /** Allocatable on nodes that cannot take new pods (cordoned, not Ready). */
  unavailable: Type.Number(),
  nodes: Type.Integer(),
  /** Physical GPUs behind HAMi's vGPU slots. */
  physicalDevices: Opt(Type.Number()),
};

export const GpuResourceInfo = Type.Object({
  resource: Type.String(),
  vendor: Type.String(),
  kind: Type.String(),
  unit: Type.String(),
  countable: Type.Boolean(),
  modelLabel: Opt(Type.String()),
  ...Figures,
  models: Type.Array(Type.Object({ model: Type.String(), ...Figures })),
  sharedNodes: Type.Integer(),
});

export const EnforcerInfo = Type.Object({
  /** What enforces base on this cluster: `kueue`, `volcano`, or `none` (base recorded only). */
  enforcer: Type.String(),
  /** The cluster's setting (GPU_QUOTA_ENFORCER): `auto` (detected), `kueue`, `volcano` or `none`. */
  setting: Type.String(),
  /** Queue-aware schedulers whose CRDs are installed. */
  installed: Type.Array(Type.String()),
  /** Set when the chosen enforcer is not installed: base is then recorded, not enforced. */
  problem: Opt(GpuQuotaProblem),
});

export const GpuResourceList = Type.Object({
  items: Type.Array(GpuResourceInfo),
  migStrategies: Counts,
  migProfiles: Type.Array(Type.String()),
  enforcer: EnforcerInfo,
});
export type GpuResourceList = Static<typeof GpuResourceList>;

/** A quota row as entered: base (guaranteed) and max (ceiling) of one GPU resource, optionally one model. */
export const GpuQuotaRowInput = Type.Object(
  {
    resource: Type.String({ minLength: 1, maxLength: 253 }),
    model: Opt(Type.String({ minLength: 1, maxLength: 253 })),
    // Numbers, not integers: the domain validation explains negative and fractional amounts per field.
    base: Type.Number(),
    max: Type.Number(),
  },
  { additionalProperties: false },
);
export type GpuQuotaRowInput = Static<typeof GpuQuotaRowInput>;

export const GpuQuotaUpdate = Type.Object(
  {
    resources: Type.Array(GpuQuotaRowInput, { maxItems: 64 }),
    /** Accept a max below current use (running pods keep their GPUs). */
    force: Opt(Type.Boolean()),
    /**
     * Accept bases that add up to more than the cluster can guarantee: an explicit over-commitment, for
     * platform administrators only (403 otherwise); the cluster view marks the resource over-committed.
     */
    allowBaseOvercommit: Opt(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type GpuQuotaUpdate = Static<typeof GpuQuotaUpdate>;

const EnforcedBy = Type.Object({ state: Type.String(), by: Type.Array(Type.String()) });

/** A quota row in an answer: one GPU resource (optionally one model), its base and max. Every row below adds to it. */
const QuotaRowOut = Type.Object({
  resource: Type.String(),
  model: Opt(Type.String()),
  base: Type.Number(),
  max: Type.Number(),
});

/** A row with its use: `used` now, `pending` asked for by blocked work. */
const QuotaRowUsage = Type.Composite([
  QuotaRowOut,
  Type.Object({ used: Type.Number(), pending: Type.Number() }),
]);

export const ProjectQuotaRow = Type.Composite([
  QuotaRowUsage,
  Type.Object({
    unit: Type.String(),
    /** `enforced`, `enforced-as-total` or `recorded` for base and max, and what enforces each. */
    enforcement: Type.Object({ base: EnforcedBy, max: EnforcedBy }),
  }),
]);

export const BlockedWorkItem = Type.Object({
  reason: Type.Union([Type.Literal('quota'), Type.Literal('capacity'), Type.Literal('queue')]),
  namespace: Type.String(),
  object: Type.Object({ kind: Type.String(), name: Type.String() }),
  requests: Counts,
  /** Verbatim from the apiserver or the scheduler. */
  message: Type.String(),
  quota: Opt(Type.Object({ quota: Type.String(), requested: Counts, used: Counts, limited: Counts })),
  lastSeen: Opt(Type.String()),
  count: Opt(Type.Number()),
});

export const ProjectGpuQuota = Type.Object({
  namespace: Type.String(),
  workspace: Opt(Type.String()),
  enforcer: EnforcerInfo,
  rows: Type.Array(ProjectQuotaRow),
  /** Use of GPU resources without a row (they are not limited by this quota). */
  unlimitedUse: Counts,
  blocked: Type.Array(BlockedWorkItem),
  /** Drift, other quotas limiting the same GPUs, base not enforced, and (after PUT) accepted risks. */
  warnings: Type.Array(GpuQuotaProblem),
  /**
   * Whether the caller may PUT this quota: a platform administrator, or the workspace's administrator when the
   * workspace has a GPU quota; never the project's own members (docs/adr/0013).
   */
  canEdit: Type.Boolean(),
  /** Whether the caller may over-commit the cluster's guarantee (allowBaseOvercommit): platform administrators. */
  canOvercommit: Type.Boolean(),
});
export type ProjectGpuQuota = Static<typeof ProjectGpuQuota>;

export const WorkspaceGpuQuota = Type.Object({
  workspace: Type.String(),
  /** Where the workspace quota is kept: KubeSphere's workspace ResourceQuota, or our ConfigMap. */
  storage: Type.Union([Type.Literal('kubesphere'), Type.Literal('configmap')]),
  rows: Type.Array(
    Type.Composite([
      QuotaRowOut,
      Type.Object({
        allocatedBase: Type.Number(),
        allocatedMax: Type.Number(),
        remainingBase: Type.Number(),
        remainingMax: Type.Number(),
        holders: Type.Array(
          Type.Object({ namespace: Type.String(), base: Type.Number(), max: Type.Number() }),
        ),
      }),
    ]),
  ),
  projects: Type.Array(Type.Object({ namespace: Type.String(), rows: Type.Array(QuotaRowOut) })),
  warnings: Type.Array(GpuQuotaProblem),
  canEdit: Type.Boolean(),
});
export type WorkspaceGpuQuota = Static<typeof WorkspaceGpuQuota>;

export const WorkspaceGpuQuotaUpdate = Type.Object(
  { resources: Type.Array(GpuQuotaRowInput, { maxItems: 64 }) },
  { additionalProperties: false },
);
export type WorkspaceGpuQuotaUpdate = Static<typeof WorkspaceGpuQuotaUpdate>;

const Consumer = Type.Object({
  namespace: Type.String(),
  workspace: Opt(Type.String()),
  used: Type.Number(),
  max: Opt(Type.Number()),
});

export const ClusterQuotaView = Type.Object({
  resources: Type.Array(
    Type.Object({
      resource: Type.String(),
      model: Opt(Type.String()),
      unit: Type.String(),
      countable: Type.Boolean(),
      capacity: Type.Number(),
      allocatable: Type.Number(),
      physicalDevices: Opt(Type.Number()),
      sumBase: Type.Number(),
      sumMax: Type.Number(),
      used: Type.Number(),
      pending: Type.Number(),
      projects: Type.Integer(),
      /** Σbase > allocatable. */
      overcommitted: Type.Boolean(),
      topConsumers: Type.Array(Consumer),
    }),
  ),
  projects: Type.Array(
    Type.Object({
      namespace: Type.String(),
      workspace: Opt(Type.String()),
      rows: Type.Array(QuotaRowUsage),
    }),
  ),
  overcommitted: Type.Integer(),
  enforcer: EnforcerInfo,
});
export type ClusterQuotaView = Static<typeof ClusterQuotaView>;

const base = { group: GPU_QUOTA_GROUP } as const;

export const gpuQuotaRoutes = {
  listGpuResources: defineRoute({
    ...base,
    id: 'gpu-quota.listGpuResources',
    method: 'GET',
    scope: 'cluster',
    resource: 'gpuresources',
    named: false,
    grant: 'authenticated',
    summary: 'Every GPU resource the nodes offer, with capacity and allocatable per resource and model',
    schemas: { response: { 200: GpuResourceList } },
  }),
  getProjectQuota: defineRoute({
    ...base,
    id: 'gpu-quota.getProjectQuota',
    method: 'GET',
    scope: 'namespace',
    resource: 'gpuquotas',
    named: false,
    grant: 'view',
    summary: "The project's GPU quota: base and max per resource, use, blocked work and enforcement",
    schemas: { response: { 200: ProjectGpuQuota } },
  }),
  updateProjectQuota: defineRoute({
    ...base,
    id: 'gpu-quota.updateProjectQuota',
    method: 'PUT',
    scope: 'namespace',
    resource: 'gpuquotas',
    named: false,
    grant: 'admin',
    summary: "Replaces the project's GPU quota rows (an empty list removes the quota)",
    schemas: { body: GpuQuotaUpdate, response: { 200: ProjectGpuQuota } },
  }),
  getWorkspaceQuota: defineRoute({
    ...base,
    id: 'gpu-quota.getWorkspaceQuota',
    method: 'GET',
    scope: 'workspace',
    resource: 'gpuquotas',
    named: false,
    grant: 'view',
    summary: "The workspace's GPU quota and its split across the workspace's projects",
    schemas: { response: { 200: WorkspaceGpuQuota } },
  }),
  updateWorkspaceQuota: defineRoute({
    ...base,
    id: 'gpu-quota.updateWorkspaceQuota',
    method: 'PUT',
    scope: 'workspace',
    resource: 'gpuquotas',
    named: false,
    grant: 'admin',
    summary: "Replaces the workspace's GPU quota rows (an empty list removes it)",
    schemas: { body: WorkspaceGpuQuotaUpdate, response: { 200: WorkspaceGpuQuota } },
  }),
  getClusterView: defineRoute({
    ...base,
    id: 'gpu-quota.getClusterView',
    method: 'GET',
    scope: 'cluster',
    resource: 'clusterquotaview',
    named: false,
    grant: 'admin',
    summary: 'Capacity vs Σbase vs Σmax per resource and model, every project, top consumers',
    schemas: { response: { 200: ClusterQuotaView } },
  }),
} as const;

/**
 * Permissions the gpu-quota service asks for besides each route's own (docs/adr/0013), in the shape of a route
 * so the RoleTemplates and the sandbox RBAC grant them too. A project's own roles hold neither, so a project's
 * members never set their own quota.
 */
export const gpuQuotaAuthority = {
  /** A cluster-level role: workspace quotas, project quotas outside a workspace quota, over-commitment. */
  cluster: {
    group: GPU_QUOTA_GROUP,
    scope: 'cluster',
    resource: 'gpuquotas',
    verb: 'update',
    grant: 'admin',
  },
  /** A workspace's admin: the quotas of its projects, within the workspace quota. */
  workspace: {
    group: GPU_QUOTA_GROUP,
    scope: 'workspace',
    resource: 'gpuquotas',
    verb: 'update',
    grant: 'admin',
  },
} as const;
