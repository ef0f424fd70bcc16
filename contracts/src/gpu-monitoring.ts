import { Type, type Static } from '@sinclair/typebox';
import { groupOf } from './api-groups.js';
import { Opt, defineRoute } from './routes.js';

/**
 * The `gpu-monitoring.ks-gpu-ml.io` API group: GPU dashboards read from Prometheus (dcgm-exporter and
 * kube-state-metrics series, and our recording rules for GPU-hours). Cluster routes are for cluster
 * administrators; tenants read their workspace and project routes, which only ever see the namespaces of
 * that workspace or project. Design: docs/adr/0008.
 *
 * Units are Prometheus base units: utilization and tensor activity are ratios 0–1, memory is bytes, power
 * watts, temperature °C, times Unix seconds. A figure Prometheus has no series for is absent, never 0.
 */
export const GPU_MONITORING_GROUP = groupOf('gpu-monitoring');

const lit = <const T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v as T[number])));

/** The figures a row has when Prometheus has their series (absent otherwise), in the order rows list them. */
export const GPU_FIGURES = [
  'utilization',
  'tensorActive',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'powerWatts',
  'temperatureC',
] as const;
export type GpuFigureName = (typeof GPU_FIGURES)[number];

export const GPU_METRICS = [...GPU_FIGURES, 'devices'] as const;
export type GpuMetricName = (typeof GPU_METRICS)[number];
export const GpuMetricName = lit(GPU_METRICS);

/** Where figures are grouped; `gpu` is one row per GPU or MIG instance, `workload` per pod container. */
export const GPU_LEVELS = ['cluster', 'node', 'gpu', 'workspace', 'namespace', 'workload'] as const;
export type GpuLevel = (typeof GPU_LEVELS)[number];
export const GpuLevel = lit(GPU_LEVELS);

/** The levels each scope may ask for: a tenant never groups by node or across the cluster. */
export const LEVELS_BY_SCOPE = {
  cluster: ['cluster', 'node', 'gpu', 'workspace', 'namespace', 'workload'],
  workspace: ['workspace', 'namespace', 'workload', 'gpu'],
  namespace: ['namespace', 'workload', 'gpu'],
} as const satisfies Record<string, readonly GpuLevel[]>;

/** A temperature at or above this is shown as "hot" (the same threshold as the GPUTemperatureHigh alert). */
export const GPU_HOT_CELSIUS = 85;

// ---- shared shapes ----------------------------------------------------------------------------------------

/** Idle-allocated detection: held for `idleMinutes` and below `idlePercent` utilization all that time. */
const IdleQuery = {
  idleMinutes: Opt(Type.Integer({ minimum: 5, maximum: 1440, default: 30 })),
  idlePercent: Opt(Type.Number({ minimum: 0, maximum: 100, default: 5 })),
};

export const IdleSettings = Type.Object({ windowSeconds: Type.Integer(), threshold: Type.Number() });

/** The label scheme the backend detected on this cluster's dcgm-exporter series (nothing to configure). */
export const LabelSchemeInfo = Type.Object({
  hostLabel: Type.String(),
  workload: Type.String(),
  mig: Type.Boolean(),
  kubeStateMetrics: Type.Boolean(),
  /** False when Prometheus has no dcgm-exporter series at all: "nothing to show yet", not an error. */
  dcgmSeen: Type.Boolean(),
  /** Idle-allocated counts come from the extension's recording rules (loaded and covering every GPU). */
  recordingRules: Type.Boolean(),
});

/** The figures of one group (node, workspace, project, workload) or of a whole view. */
const Figures = {
  /** GPUs and MIG instances. */
  devices: Type.Number(),
  utilization: Opt(Type.Number()),
  tensorActive: Opt(Type.Number()),
  memoryUsedBytes: Opt(Type.Number()),
  memoryTotalBytes: Opt(Type.Number()),
  powerWatts: Opt(Type.Number()),
  temperatureC: Opt(Type.Number()),
};

export const GpuHolder = Type.Object({
  namespace: Type.String(),
  pod: Type.String(),
  container: Opt(Type.String()),
});
export type GpuHolder = Static<typeof GpuHolder>;

const Device = {
  node: Type.String(),
  /** The GPU's index on its node, as dcgm-exporter labels it. */
  gpu: Type.String(),
  uuid: Type.String(),
  model: Type.String(),
  /** MIG instances only. */
  migProfile: Opt(Type.String()),
  migInstance: Opt(Type.String()),
};

export const GpuCard = Type.Object({
  ...Device,
  ...Figures,
  holders: Type.Array(GpuHolder),
  /** `xid`: the GPU reported an XID error; `hot`: at or above GPU_HOT_CELSIUS. */
  health: lit(['ok', 'hot', 'xid'] as const),
  xid: Opt(Type.Object({ code: Type.String(), message: Type.String() })),
});
export type GpuCard = Static<typeof GpuCard>;

export const IdleGpu = Type.Object({
  ...Device,
  ...GpuHolder.properties,
  workspace: Opt(Type.String()),
});
export type IdleGpu = Static<typeof IdleGpu>;

export const GpuNodeRow = Type.Object({
  node: Type.String(),
  ...Figures,
  allocated: Type.Number(),
  idleAllocated: Type.Number(),
  /** GPUs on the node whose last reported XID code is not 0. */
  xidDevices: Type.Number(),
});
export type GpuNodeRow = Static<typeof GpuNodeRow>;

/** GPUs requested by running pods, by resource name (`nvidia.com/gpu`, `nvidia.com/mig-1g.10gb`, …). */
const Requested = Type.Record(Type.String(), Type.Number());

export const GpuUsageRow = Type.Object({
  workspace: Opt(Type.String()),
  namespace: Opt(Type.String()),
  pod: Opt(Type.String()),
  container: Opt(Type.String()),
  ...Figures,
  idleAllocated: Opt(Type.Number()),
  requested: Opt(Requested),
  /**
   * Workload rows: the container holds a shared GPU (HAMi vGPU slots, time-slicing, or another pod on the same
   * device). `utilization` and `tensorActive` are then left out: dcgm-exporter reports the whole device's.
   */
  shared: Opt(Type.Boolean()),
  /** With `shared`: HAMi's own utilization of this container (0–1), where HAMi's monitor reports it. */
  sharedUtilization: Opt(Type.Number()),
});
export type GpuUsageRow = Static<typeof GpuUsageRow>;

const Time = Type.Number({ description: 'Unix seconds' });

// ---- answers ----------------------------------------------------------------------------------------------

export const GpuSummary = Type.Object({
  time: Time,
  totals: Type.Object({
    devices: Type.Number(),
    allocated: Type.Number(),
    busy: Type.Number(),
    idleAllocated: Type.Number(),
  }),
  /** By GPU model, and MIG profile for MIG instances. */
  models: Type.Array(
    Type.Object({
      model: Type.String(),
      migProfile: Opt(Type.String()),
      devices: Type.Number(),
      allocated: Type.Number(),
      busy: Type.Number(),
      idleAllocated: Type.Number(),
    }),
  ),
  /** kube-state-metrics: what nodes offer and running pods request, by resource name. */
  resources: Type.Array(
    Type.Object({ resource: Type.String(), allocatable: Opt(Type.Number()), requested: Type.Number() }),
  ),
  idle: IdleSettings,
  labels: LabelSchemeInfo,
});
export type GpuSummary = Static<typeof GpuSummary>;

const Page = {
  /** Rows matching the filters, before limit/offset. */
  total: Type.Integer(),
};

export const GpuNodeList = Type.Object({ time: Time, items: Type.Array(GpuNodeRow), idle: IdleSettings });
export type GpuNodeList = Static<typeof GpuNodeList>;

export const GpuNodeDetail = Type.Object({ time: Time, node: GpuNodeRow, gpus: Type.Array(GpuCard) });
export type GpuNodeDetail = Static<typeof GpuNodeDetail>;

export const GpuCardList = Type.Object({ time: Time, ...Page, items: Type.Array(GpuCard) });
export type GpuCardList = Static<typeof GpuCardList>;

export const IdleGpuList = Type.Object({ time: Time, items: Type.Array(IdleGpu), idle: IdleSettings });
export type IdleGpuList = Static<typeof IdleGpuList>;

export const GpuUsageList = Type.Object({ time: Time, items: Type.Array(GpuUsageRow) });
export type GpuUsageList = Static<typeof GpuUsageList>;

/** A workspace's or project's page: its totals, its groups, the GPUs it holds and those it holds idle. */
export const GpuScopeUsage = Type.Object({
  time: Time,
  workspace: Opt(Type.String()),
  namespace: Opt(Type.String()),
  totals: GpuUsageRow,
  /** Per project (workspace page) or per workload container (project page). */
  rows: Type.Array(GpuUsageRow),
  gpus: Type.Array(GpuCard),
  idle: Type.Array(IdleGpu),
  idleSettings: IdleSettings,
});
export type GpuScopeUsage = Static<typeof GpuScopeUsage>;

/** One pod's GPU tab: per container, and the GPUs it holds. */
export const GpuWorkloadUsage = Type.Object({
  time: Time,
  namespace: Type.String(),
  pod: Type.String(),
  containers: Type.Array(GpuUsageRow),
  gpus: Type.Array(GpuCard),
});
export type GpuWorkloadUsage = Static<typeof GpuWorkloadUsage>;

export const SeriesLabels = Type.Object({
  node: Opt(Type.String()),
  gpu: Opt(Type.String()),
  uuid: Opt(Type.String()),
  model: Opt(Type.String()),
  migProfile: Opt(Type.String()),
  workspace: Opt(Type.String()),
  namespace: Opt(Type.String()),
  pod: Opt(Type.String()),
  container: Opt(Type.String()),
});
export type SeriesLabels = Static<typeof SeriesLabels>;

/**
 * `[time, value]`. Written as a two-number array rather than Type.Tuple: TypeBox writes tuples in the draft-07
 * array form of `items`, which OpenAPI 3.1 (JSON Schema 2020-12) rejects; the static type stays a pair.
 */
const Point = Type.Unsafe<[number, number]>(Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }));

export const GpuSeries = Type.Object({
  metric: GpuMetricName,
  level: GpuLevel,
  start: Time,
  end: Time,
  /** Seconds between points, chosen from the range (about 300 points) and never below the scrape interval. */
  step: Type.Integer(),
  series: Type.Array(
    Type.Object({
      labels: SeriesLabels,
      /** [time, value]; a gap in the data is a missing point, not a 0. */
      points: Type.Array(Point),
    }),
  ),
});
export type GpuSeries = Static<typeof GpuSeries>;

export const GpuTopList = Type.Object({
  metric: GpuMetricName,
  level: GpuLevel,
  windowSeconds: Opt(Type.Integer()),
  items: Type.Array(Type.Object({ labels: SeriesLabels, value: Type.Number() })),
});
export type GpuTopList = Static<typeof GpuTopList>;

/** How a GPU-hours report groups its rows: by workspace, project, ML app (in its project) or app creator. */
export const GPU_HOURS_GROUPS = ['namespace', 'workspace', 'app', 'user'] as const;

export const GpuHoursRow = Type.Object({
  workspace: Opt(Type.String()),
  namespace: Opt(Type.String()),
  /** groupBy `app`: the app's kind (`Notebook`, `TrainJob`, `PyTorchJob`, …, else the pod's owner kind or `Pod`). */
  appKind: Opt(Type.String()),
  /** groupBy `app`: the notebook's or job's name (the end of its pods' owner chain). */
  app: Opt(Type.String()),
  /** groupBy `user`: the apps' `kubesphere.io/creator`; absent on the row of apps without one. */
  user: Opt(Type.String()),
  /** GPU-hours requested by running pods, by resource name. */
  allocatedByResource: Type.Record(Type.String(), Type.Number()),
  /** Σ over resources of allocatedByResource. */
  allocatedGpuHours: Type.Number(),
  /** Utilization-weighted GPU-hours: what the held GPUs really worked. */
  utilizedGpuHours: Type.Number(),
});
export type GpuHoursRow = Static<typeof GpuHoursRow>;

export const GpuHoursReport = Type.Object({
  start: Time,
  end: Time,
  groupBy: lit(GPU_HOURS_GROUPS),
  rows: Type.Array(GpuHoursRow),
  totals: Type.Object({ allocatedGpuHours: Type.Number(), utilizedGpuHours: Type.Number() }),
  /** Resource names present in the rows, for CSV columns and table headers. */
  resources: Type.Array(Type.String()),
});
export type GpuHoursReport = Static<typeof GpuHoursReport>;

// ---- query strings ----------------------------------------------------------------------------------------

/** A query's time bound: Unix seconds, capped so Prometheus can always parse it (year 2286). */
const QueryTime = Type.Number({ minimum: 0, maximum: 10_000_000_000 });

const Range = {
  /** Default: an hour before `end`. */
  start: Opt(QueryTime),
  /** Default: now. */
  end: Opt(QueryTime),
};

export const SeriesQuery = Type.Object(
  {
    metric: GpuMetricName,
    level: GpuLevel,
    ...Range,
    node: Opt(Type.String({ minLength: 1, maxLength: 253 })),
    uuid: Opt(Type.String({ minLength: 1, maxLength: 128 })),
    namespace: Opt(Type.String({ minLength: 1, maxLength: 63 })),
    pod: Opt(Type.String({ minLength: 1, maxLength: 253 })),
    maxPoints: Opt(Type.Integer({ minimum: 10, maximum: 2000 })),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;

export const GPU_SORT_KEYS = [
  'node',
  'utilization',
  'memoryUsedBytes',
  'powerWatts',
  'temperatureC',
  'tensorActive',
] as const;

/** The GPU table's page length when a request names none. */
export const GPU_CARDS_PER_PAGE = 100;

export const GpuCardQuery = Type.Object(
  {
    node: Opt(Type.String({ minLength: 1, maxLength: 253 })),
    uuid: Opt(Type.String({ minLength: 1, maxLength: 128 })),
    namespace: Opt(Type.String({ minLength: 1, maxLength: 63 })),
    /** Only GPUs held by a pod (`true`) or only free ones (`false`). */
    held: Opt(Type.Boolean()),
    health: Opt(lit(['ok', 'hot', 'xid'] as const)),
    sortBy: Opt(lit(GPU_SORT_KEYS)),
    order: Opt(lit(['asc', 'desc'] as const)),
    limit: Opt(Type.Integer({ minimum: 1, maximum: 10_000, default: GPU_CARDS_PER_PAGE })),
    offset: Opt(Type.Integer({ minimum: 0, default: 0 })),
  },
  { additionalProperties: false },
);
export type GpuCardQuery = Static<typeof GpuCardQuery>;

export const TopQuery = Type.Object(
  {
    metric: GpuMetricName,
    level: lit(['node', 'gpu', 'workspace', 'namespace', 'workload'] as const),
    n: Opt(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
    /** Average each GPU over this many minutes first; absent = the latest value. */
    windowMinutes: Opt(Type.Integer({ minimum: 1, maximum: 10_080 })),
  },
  { additionalProperties: false },
);
export type TopQuery = Static<typeof TopQuery>;

export const GpuHoursQuery = Type.Object(
  {
    /** Required: the report's range (at most 93 days, accounting rules' resolution is one minute). */
    start: QueryTime,
    end: QueryTime,
    groupBy: Opt(lit(GPU_HOURS_GROUPS)),
    /** `csv` answers text/csv (one row per group, a column per resource) as a download. */
    format: Opt(lit(['json', 'csv'] as const)),
  },
  { additionalProperties: false },
);
export type GpuHoursQuery = Static<typeof GpuHoursQuery>;

/** `format=csv`: the same rows as text, one column per resource, sent as a download. */
const GpuHoursCsv = { 'text/csv': Type.String() };

const IdleOnly = Type.Object(IdleQuery, { additionalProperties: false });
export type IdleQuery = Static<typeof IdleOnly>;

// ---- routes -----------------------------------------------------------------------------------------------

const base = { group: GPU_MONITORING_GROUP, method: 'GET', named: false } as const;
const cluster = { ...base, scope: 'cluster', grant: 'admin' } as const;
const workspace = { ...base, scope: 'workspace', grant: 'view' } as const;
const namespace = { ...base, scope: 'namespace', grant: 'view' } as const;

export const gpuMonitoringRoutes = {
  getClusterSummary: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.getClusterSummary',
    resource: 'gpusummary',
    summary: 'GPUs total, allocated, busy and idle-allocated, by model and by resource',
    schemas: { querystring: IdleOnly, response: { 200: GpuSummary } },
  }),
  listNodes: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.listNodes',
    resource: 'gpunodes',
    summary: 'One row per GPU node: devices, allocation, utilization, memory, power, temperature, XID',
    schemas: { querystring: IdleOnly, response: { 200: GpuNodeList } },
  }),
  getNode: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.getNode',
    resource: 'gpunodes',
    named: true,
    summary: "One GPU node's row and its GPU cards",
    schemas: { querystring: IdleOnly, response: { 200: GpuNodeDetail } },
  }),
  listGpus: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.listGpus',
    resource: 'gpus',
    summary: 'GPU cards (and MIG instances): model, node, figures, the pod holding each, health',
    schemas: { querystring: GpuCardQuery, response: { 200: GpuCardList } },
  }),
  listIdleGpus: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.listIdleGpus',
    resource: 'idlegpus',
    summary: 'GPUs held by a pod and idle for the whole window, with who holds each',
    schemas: { querystring: IdleOnly, response: { 200: IdleGpuList } },
  }),
  listWorkspaceUsage: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.listWorkspaceUsage',
    resource: 'gpuworkspaces',
    summary: 'GPU use per workspace',
    schemas: { querystring: IdleOnly, response: { 200: GpuUsageList } },
  }),
  listProjectUsage: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.listProjectUsage',
    resource: 'gpuprojects',
    summary: 'GPU use per project',
    schemas: { querystring: IdleOnly, response: { 200: GpuUsageList } },
  }),
  getClusterSeries: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.getClusterSeries',
    resource: 'gpumetrics',
    summary: 'A GPU figure over time at any level (query_range, step chosen from the range)',
    schemas: { querystring: SeriesQuery, response: { 200: GpuSeries } },
  }),
  getTopN: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.getTopN',
    resource: 'gputop',
    summary: 'The N largest nodes, GPUs, workspaces, projects or workloads by a GPU figure',
    schemas: { querystring: TopQuery, response: { 200: GpuTopList } },
  }),
  getClusterGpuHours: defineRoute({
    ...cluster,
    id: 'gpu-monitoring.getClusterGpuHours',
    resource: 'gpuhours',
    summary: 'GPU-hours allocated and utilized over a range, by workspace or project (JSON or CSV)',
    schemas: { querystring: GpuHoursQuery, response: { 200: GpuHoursReport }, alternateContent: GpuHoursCsv },
  }),
  getWorkspaceUsage: defineRoute({
    ...workspace,
    id: 'gpu-monitoring.getWorkspaceUsage',
    resource: 'gpuusage',
    summary: "The workspace's GPU use: totals, per project, GPUs held and idle",
    schemas: { querystring: IdleOnly, response: { 200: GpuScopeUsage } },
  }),
  getWorkspaceSeries: defineRoute({
    ...workspace,
    id: 'gpu-monitoring.getWorkspaceSeries',
    resource: 'gpumetrics',
    summary: "A GPU figure over time within the workspace's projects",
    schemas: { querystring: SeriesQuery, response: { 200: GpuSeries } },
  }),
  getWorkspaceGpuHours: defineRoute({
    ...workspace,
    id: 'gpu-monitoring.getWorkspaceGpuHours',
    resource: 'gpuhours',
    summary: "GPU-hours of the workspace's projects over a range (JSON or CSV)",
    schemas: { querystring: GpuHoursQuery, response: { 200: GpuHoursReport }, alternateContent: GpuHoursCsv },
  }),
  getProjectUsage: defineRoute({
    ...namespace,
    id: 'gpu-monitoring.getProjectUsage',
    resource: 'gpuusage',
    summary: "The project's GPU use: totals, per workload container, GPUs held and idle",
    schemas: { querystring: IdleOnly, response: { 200: GpuScopeUsage } },
  }),
  getProjectSeries: defineRoute({
    ...namespace,
    id: 'gpu-monitoring.getProjectSeries',
    resource: 'gpumetrics',
    summary: "A GPU figure over time within the project's workloads",
    schemas: { querystring: SeriesQuery, response: { 200: GpuSeries } },
  }),
  getProjectGpuHours: defineRoute({
    ...namespace,
    id: 'gpu-monitoring.getProjectGpuHours',
    resource: 'gpuhours',
    summary: "The project's GPU-hours over a range (JSON or CSV)",
    schemas: { querystring: GpuHoursQuery, response: { 200: GpuHoursReport }, alternateContent: GpuHoursCsv },
  }),
  getWorkloadUsage: defineRoute({
    ...namespace,
    id: 'gpu-monitoring.getWorkloadUsage',
    resource: 'gpuworkloads',
    named: true,
    summary: "One pod's GPU tab: figures per container and the GPUs it holds",
    schemas: { response: { 200: GpuWorkloadUsage } },
  }),
} as const;
