// Every PromQL string of the gpu-monitoring feature, built from the cluster's LabelScheme. Pure: no
// I/O, no clock. Label values are always escaped (promql.ts); tenants' queries carry an anchored,
// escaped namespace allow-list. Results keep the scheme's raw label names; canonicalLabels() in
// labels.ts reads them back as node/namespace/pod/container.
//
// Live views (summary, tables, views, top-N, time series) read dcgm-exporter and kube-state-metrics
// series directly: one query per column, joined in Node (reference §5.3: no per-GPU query loops). When the
// probe finds the recording rules loaded and covering every GPU (ADR 0010), idle-allocated GPUs and the
// unfiltered cluster's per-model, per-node and cluster figures read recorded series instead (recorded.ts).
// The GPU-hours report reads recording rules only (a raw 7-day query exceeds Prometheus' sample limit).
import type { GpuCardQuery } from '@ks-gpu-ml/contracts';
import { kubeStateMetricsLabel, WORKSPACE_LABEL } from '../../shared/workspace-label.js';
import {
  DEVICE_FAMILY,
  GPU_RESOURCE_REGEX,
  workloadLabels,
  type LabelScheme,
  type WorkloadLabels,
} from './labels.js';
import { allowListMatchers, by, duration, matcher, selector } from './promql.js';
import {
  DCGM_RULES_INTERVAL_SECONDS,
  RECORDED,
  RECORDED_BY_LEVEL,
  RECORDED_BY_MODEL,
  RECORDED_IDLE,
  RECORDED_NODE_COUNTS,
} from './recorded.js';
import { alignRange, DEFAULT_SCRAPE_INTERVAL_SECONDS, stepFor, type StepOptions } from './step.js';

/** 'all' for cluster admins; otherwise the namespaces a tenant may see (empty = nothing). */
export type NamespaceScope = 'all' | readonly string[];

export interface ViewOptions {
  scope?: NamespaceScope;
  /** Only this node (node and GPU detail pages). */
  node?: string;
  /** Only this GPU (its UUID; MIG instances share their parent's). */
  uuid?: string;
  /** Only GPUs held by pods of this namespace. */
  namespace?: string;
  /** Only GPUs held by this pod (with `namespace`). */
  pod?: string;
  /** Only these GPUs (UUIDs): the second read of a GPU-table page. */
  uuids?: readonly string[];
}

export interface IdleOptions {
  /** How long a GPU must have been held, and idle, to count. */
  windowSeconds: number;
  /** Utilization ratio (0–1) below which a GPU counts as idle; busy is ≥ it. */
  threshold: number;
}
/** The recording rule's definition, so default requests read the recorded answer. */
export const DEFAULT_IDLE: IdleOptions = RECORDED_IDLE;

/** Where numbers are grouped. `gpu` is one row per GPU or MIG instance. */
export type Level = 'cluster' | 'node' | 'gpu' | 'namespace' | 'workspace' | 'workload';

/**
 * Per-GPU quantities and how they aggregate. Utilization and tensor activity are ratios 0–1 (Prometheus
 * base units; the UI multiplies by 100), memory in bytes, power in watts, temperature in °C.
 */
export type GpuMetric =
  | 'devices'
  | 'utilization'
  | 'tensorActive'
  | 'memoryUsedBytes'
  | 'memoryTotalBytes'
  | 'powerWatts'
  | 'temperatureC';

const MIB = 1_048_576;
const F = {
  util: 'DCGM_FI_DEV_GPU_UTIL',
  grEngine: 'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
  tensor: 'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
  fbUsed: 'DCGM_FI_DEV_FB_USED',
  power: 'DCGM_FI_DEV_POWER_USAGE',
  temp: 'DCGM_FI_DEV_GPU_TEMP',
  xid: 'DCGM_FI_DEV_XID_ERRORS',
} as const;
// FB_FREE + FB_USED + FB_RESERVED is the board total (FB_TOTAL is not a default field, reference §1.1);
// one selector over the three exact names lets a single `sum` add them.
const FB_ALL = '{__name__=~"DCGM_FI_DEV_FB_FREE|DCGM_FI_DEV_FB_RESERVED|DCGM_FI_DEV_FB_USED"';
/** The workspace label as kube-state-metrics exports it on kube_namespace_labels. */
const KSM_WORKSPACE_LABEL = kubeStateMetricsLabel(WORKSPACE_LABEL);

interface Ctx {
  scheme: LabelScheme;
  w: WorkloadLabels;
  host: string;
  /** Only GPUs held by workloads may be shown (tenant scope, namespace/pod filters). */
  heldOnly: boolean;
  /** Matchers on dcgm series. */
  dcgm: string[];
  /** Matchers on kube-state-metrics pod series (plain namespace/pod/node labels). */
  ksm: string[];
}

/** Label names a series carries for the GPU's node and its holder. */
interface PlacementLabels {
  host: string;
  namespace: string;
  pod: string;
}

/** Matchers for the view's node, GPU, namespace scope and holder filters, on series labelled `names`. */
function viewMatchers(names: PlacementLabels, options: ViewOptions): string[] {
  const out: string[] = [];
  if (options.node !== undefined) out.push(matcher(names.host, '=', options.node));
  if (options.uuid !== undefined) out.push(matcher('UUID', '=', options.uuid));
  if (options.uuids !== undefined) out.push(...allowListMatchers('UUID', options.uuids));
  const scope = options.scope ?? 'all';
  if (scope !== 'all') out.push(...allowListMatchers(names.namespace, scope));
  if (options.namespace !== undefined) out.push(matcher(names.namespace, '=', options.namespace));
  if (options.pod !== undefined) out.push(matcher(names.pod, '=', options.pod));
  return out;
}

/** kube-state-metrics and the recording rules label plainly: node, namespace, pod. */
const PLAIN_PLACEMENT: PlacementLabels = { host: 'node', namespace: 'namespace', pod: 'pod' };

function context(scheme: LabelScheme, options: ViewOptions): Ctx {
  const w = workloadLabels(scheme);
  // kube-state-metrics knows pods, not GPUs: every filter but the GPUs' UUIDs applies to it.
  const { uuid: _gpuOnly, uuids: _gpusOnly, ...podOptions } = options;
  const scope = options.scope ?? 'all';
  const heldOnly = scope !== 'all' || options.namespace !== undefined || options.pod !== undefined;
  return {
    scheme,
    w,
    host: scheme.hostLabel,
    heldOnly,
    dcgm: viewMatchers({ host: scheme.hostLabel, namespace: w.namespace, pod: w.pod }, options),
    ksm: viewMatchers(PLAIN_PLACEMENT, podOptions),
  };
}

/** Labels identifying one GPU or MIG instance in a result row. */
function deviceLabels(c: Ctx): string[] {
  return [c.host, 'gpu', 'UUID', 'GPU_I_PROFILE', 'GPU_I_ID', 'modelName'];
}

function holderLabels(c: Ctx): string[] {
  return [c.w.namespace, c.w.pod, c.w.container];
}

/** Matchers on the exporter's series (never another job's, ADR 0015), plus the view's, plus "held" if asked. */
function dcgmMatchers(c: Ctx, held: boolean): string[] {
  return [...c.scheme.exporter, ...c.dcgm, ...(held ? [`${c.w.pod}!=""`] : [])];
}

function dcgmSelector(c: Ctx, family: string, held: boolean): string {
  return selector(family, dcgmMatchers(c, held));
}

/**
 * Pods that really request GPUs, labelled as the scheme labels workloads. A series' pod label only
 * counts as its holder if it is one of these: under a Prometheus-Operator scrape, free GPUs carry the
 * exporter's own pod in the plain labels, and the exporter requests no GPUs.
 */
function gpuPods(c: Ctx): string {
  const requests = selector('kube_pod_container_resource_requests', [
    `resource=~"${GPU_RESOURCE_REGEX}"`,
    ...c.ksm.filter((m) => !m.startsWith('node=')),
  ]);
  if (c.scheme.workload === 'plain') return requests;
  return (
    `label_replace(label_replace(${requests}, "${c.w.namespace}", "$1", "namespace", "(.+)"), ` +
    `"${c.w.pod}", "$1", "pod", "(.+)")`
  );
}

/** `expr` restricted to GPUs held by GPU pods (an atom: parenthesized). */
function heldBy(c: Ctx, expr: string): string {
  if (!c.scheme.kubeStateMetrics) return expr;
  return `(${expr} and on (${c.w.namespace}, ${c.w.pod}) ${gpuPods(c)})`;
}

/** The namespace → workspace map from kube-state-metrics, keyed by the scheme's namespace label. */
function workspaceMap(c: Ctx): string {
  let labelled = `label_replace(${selector('kube_namespace_labels', [
    `${KSM_WORKSPACE_LABEL}!=""`,
    ...c.ksm.filter((m) => m.startsWith('namespace')),
  ])}, "workspace", "$1", "${KSM_WORKSPACE_LABEL}", "(.+)")`;
  if (c.w.namespace !== 'namespace') {
    labelled = `label_replace(${labelled}, "${c.w.namespace}", "$1", "namespace", "(.+)")`;
  }
  return `max by (${c.w.namespace}, workspace) (${labelled})`;
}

type Window = { fn: 'avg_over_time' | 'max_over_time'; seconds: number };

function overWindow(sel: string, window?: Window): string {
  return window ? `${window.fn}(${sel}[${duration(window.seconds)}])` : sel;
}

/**
 * Utilization ratio 0–1 per GPU: DCGM_FI_PROF_GR_ENGINE_ACTIVE where the GPU reports it (works on MIG,
 * reference §1.1), else DCGM_FI_DEV_GPU_UTIL / 100. `or` keeps the first family's series and adds the
 * second's only for GPUs the first lacks. A window applies the range function to each family first
 * (no subquery needed).
 */
function utilization(c: Ctx, held: boolean, window?: Window): string {
  const parts: string[] = [];
  const { gpuUtil, grEngineActive } = c.scheme.utilization;
  if (grEngineActive) parts.push(overWindow(dcgmSelector(c, F.grEngine, held), window));
  if (gpuUtil) parts.push(`${overWindow(dcgmSelector(c, F.util, held), window)} / 100`);
  if (parts.length === 0) parts.push(overWindow(dcgmSelector(c, F.grEngine, held), window));
  const expr = parts.length === 1 && grEngineActive ? parts[0]! : `(${parts.join(' or ')})`;
  return held ? heldBy(c, expr) : expr;
}

interface MetricSpec {
  agg: 'sum' | 'avg' | 'max' | 'count';
  device: (c: Ctx, held: boolean, window?: Window) => string;
  /** Multiplier applied after aggregation (MiB → bytes). */
  scale?: number;
}

function family(name: string) {
  return (c: Ctx, held: boolean, window?: Window): string => {
    const expr = overWindow(dcgmSelector(c, name, held), window);
    return held ? heldBy(c, expr) : expr;
  };
}

const METRICS: Record<GpuMetric, MetricSpec> = {
  devices: { agg: 'count', device: (c, held) => family(DEVICE_FAMILY)(c, held) },
  utilization: { agg: 'avg', device: utilization },
  tensorActive: { agg: 'avg', device: family(F.tensor) },
  memoryUsedBytes: { agg: 'sum', device: family(F.fbUsed), scale: MIB },
  memoryTotalBytes: {
    agg: 'sum',
    // No window: a board's framebuffer does not change, and `*_over_time` over the three FB families would
    // drop their names and leave three series with one label set (Prometheus refuses that answer).
    device: (c, held) => {
      const sel = `${FB_ALL}${dcgmMatchers(c, held)
        .map((m) => `, ${m}`)
        .join('')}}`;
      return held ? heldBy(c, sel) : sel;
    },
    scale: MIB,
  },
  powerWatts: { agg: 'sum', device: family(F.power) },
  temperatureC: { agg: 'max', device: family(F.temp) },
};

function groupLabels(c: Ctx, level: Level): string[] {
  switch (level) {
    case 'cluster':
      return [];
    case 'node':
      return [c.host];
    case 'gpu':
      return deviceLabels(c);
    case 'namespace':
      return [c.w.namespace];
    case 'workspace':
      return ['workspace'];
    case 'workload':
      return holderLabels(c);
  }
}

const needsHolder = (c: Ctx, level: Level): boolean =>
  c.heldOnly || level === 'namespace' || level === 'workspace' || level === 'workload';

/** Aggregates per-GPU series to a level; workspace joins each GPU's namespace to its workspace. */
function aggregate(c: Ctx, level: Level, agg: string, deviceExpr: string): string {
  const inner =
    level === 'workspace'
      ? `${deviceExpr} * on (${c.w.namespace}) group_left (workspace) ${workspaceMap(c)}`
      : deviceExpr;
  return `${agg}${by(groupLabels(c, level))} (${inner})`;
}

export interface MetricQueryOptions extends ViewOptions {
  /** Average each GPU over this many seconds first (top-N "over the last hour"). */
  windowSeconds?: number;
}

/** One number per group at `level`: the building block of tables, views, top-N and time series. */
export function metricQuery(
  scheme: LabelScheme,
  metric: GpuMetric,
  level: Level,
  options: MetricQueryOptions = {},
): string {
  const c = context(scheme, options);
  const recorded = recordedAggregate(c, metric, level, options);
  if (recorded !== undefined) return recorded;
  const spec = METRICS[metric];
  const window: Window | undefined =
    options.windowSeconds !== undefined && metric !== 'devices'
      ? { fn: 'avg_over_time', seconds: options.windowSeconds }
      : undefined;
  const expr = aggregate(c, level, spec.agg, spec.device(c, needsHolder(c, level), window));
  if (level === 'workload' && DEVICE_LEVEL_METRICS.has(metric))
    return `(${expr} unless on (${holderLabels(c).join(', ')}) ${sharedDeviceHolders(c)})`;
  return spec.scale ? `${expr} * ${spec.scale}` : expr;
}

/**
 * Figures dcgm-exporter measures for the whole device: on a GPU several pods hold, each holder's series carries
 * the device's value, which is not the pod's (ADR 0015). Per workload, those holders get no such figure.
 */
const DEVICE_LEVEL_METRICS: ReadonlySet<GpuMetric> = new Set(['utilization', 'tensorActive']);

/** The recording rules are loaded and the view is the whole cluster: no scope, holder, node or GPU filter. */
function wholeClusterFromRules(c: Ctx, options: ViewOptions): boolean {
  return (
    c.scheme.recordingRules &&
    !c.heldOnly &&
    options.node === undefined &&
    options.uuid === undefined &&
    options.uuids === undefined
  );
}

/** The recording rules are loaded and record idle GPUs by the same definition as the request's. */
function rulesDefineIdle(c: Ctx, idle: IdleOptions): boolean {
  return c.scheme.recordingRules && sameIdle(idle, RECORDED_IDLE);
}

/** Whole-cluster answers that count idle GPUs (summary, nodes table) read the rules. */
function wholeClusterIdleFromRules(c: Ctx, options: ViewOptions, idle: IdleOptions): boolean {
  return wholeClusterFromRules(c, options) && rulesDefineIdle(c, idle);
}

/**
 * A recorded series with one sample per node (or one for the cluster), as metricQuery() would answer at that
 * level: the aggregation only drops the recorded name, as a raw aggregation would.
 */
function recordedPerGroup(c: Ctx, level: 'cluster' | 'node', recorded: string): string {
  return `max${by(groupLabels(c, level))} (${inSchemeLabels(c, recorded, level === 'node' ? ['node'] : [])})`;
}

/** metricQuery() from a recorded node or cluster aggregate, when one answers it; undefined otherwise. */
function recordedAggregate(
  c: Ctx,
  metric: GpuMetric,
  level: Level,
  options: MetricQueryOptions,
): string | undefined {
  if (options.windowSeconds !== undefined || !wholeClusterFromRules(c, options)) return undefined;
  if (level !== 'cluster' && level !== 'node') return undefined;
  const recorded = RECORDED_BY_LEVEL[level][metric];
  return recorded === undefined ? undefined : recordedPerGroup(c, level, recorded);
}

/** Whether metricQuery() reads a recorded series (its samples are one rule interval apart, not one scrape). */
export function readsRecordedSeries(
  scheme: LabelScheme,
  metric: GpuMetric,
  level: Level,
  options: MetricQueryOptions = {},
): boolean {
  return recordedAggregate(context(scheme, options), metric, level, options) !== undefined;
}

/**
 * Idle-allocated GPUs, one row per GPU with its holder: held now, held by the same pod `window` ago,
 * and utilization below the threshold during the whole window. Read from the recording rule when it is
 * loaded and defines idle the same way; computed from the raw series otherwise.
 */
export function idleAllocatedQuery(
  scheme: LabelScheme,
  options: ViewOptions & { idle?: IdleOptions } = {},
): string {
  const c = context(scheme, options);
  const idle = options.idle ?? DEFAULT_IDLE;
  const labels = by([...deviceLabels(c), ...holderLabels(c)]);
  if (rulesDefineIdle(c, idle)) {
    const recorded = selector(RECORDED.idleAllocated, viewMatchers(PLAIN_PLACEMENT, options));
    return `max${labels} (${inSchemeLabels(c, recorded, ['node', 'namespace', 'pod', 'container'])})`;
  }
  const d = duration(idle.windowSeconds);
  const key = `on (UUID, GPU_I_ID, ${c.w.namespace}, ${c.w.pod})`;
  const held = dcgmSelector(c, DEVICE_FAMILY, true);
  const maxUtil = utilization(c, false, { fn: 'max_over_time', seconds: idle.windowSeconds });
  const body = `${maxUtil} < ${idle.threshold}` + ` and ${key} ${held}` + ` and ${key} ${held} offset ${d}`;
  return `max${labels} (${heldBy(c, body)})`;
}

const sameIdle = (a: IdleOptions, b: IdleOptions) =>
  a.windowSeconds === b.windowSeconds && a.threshold === b.threshold;

/**
 * A recorded series (plain node/namespace/pod/container labels) relabelled to the scheme's names, so its
 * answer joins and reads (canonicalLabels) exactly like the raw query's.
 */
function inSchemeLabels(c: Ctx, recorded: string, labels: readonly PlainLabel[]): string {
  const schemeName: Record<PlainLabel, string> = {
    node: c.host,
    namespace: c.w.namespace,
    pod: c.w.pod,
    container: c.w.container,
  };
  return labels.reduce((expr, from) => {
    const to = schemeName[from];
    return to === from ? expr : `label_replace(${expr}, "${to}", "$1", "${from}", "(.+)")`;
  }, recorded);
}
type PlainLabel = 'node' | 'namespace' | 'pod' | 'container';

/** Running pods' GPU requests (kube-state-metrics: allocation truth), grouped by `labels`. */
function requestedQuery(c: Ctx, labels: readonly string[], perWorkspace = false): string {
  const requests = selector('kube_pod_container_resource_requests', [
    `resource=~"${GPU_RESOURCE_REGEX}"`,
    ...c.ksm,
  ]);
  const running = `(max by (namespace, pod) (kube_pod_status_phase{phase="Running"}) == 1)`;
  let inner = `${requests} * on (namespace, pod) group_left () ${running}`;
  if (perWorkspace) {
    const map = workspaceMap({ ...c, w: { namespace: 'namespace', pod: 'pod', container: 'container' } });
    inner = `(${inner}) * on (namespace) group_left (workspace) ${map}`;
  }
  return `sum${by(labels)} (${inner})`;
}

const MODEL = ['modelName', 'GPU_I_PROFILE'];

export interface SummaryQueries {
  /** GPUs and MIG instances by model (and MIG profile). */
  devices: string;
  allocated: string;
  busy: string;
  idleAllocated: string;
  /** kube-state-metrics: schedulable GPUs by resource (cluster admins only). */
  allocatableByResource?: string;
  /** kube-state-metrics: GPUs requested by running pods, by resource. */
  requestedByResource: string;
}

/** The summary per model: from the per-model rules for the whole cluster, else from the raw series. */
export function clusterSummaryQueries(
  scheme: LabelScheme,
  options: ViewOptions & { idle?: IdleOptions } = {},
): SummaryQueries {
  const c = context(scheme, options);
  const idle = options.idle ?? DEFAULT_IDLE;
  const queries = wholeClusterIdleFromRules(c, options, idle)
    ? recordedSummaryQueries(c)
    : rawSummaryQueries(c, options, idle);
  if (!c.heldOnly) {
    const node = options.node === undefined ? [] : [matcher('node', '=', options.node)];
    queries.allocatableByResource = `sum by (resource) (${selector('kube_node_status_allocatable', [
      `resource=~"${GPU_RESOURCE_REGEX}"`,
      ...node,
    ])})`;
  }
  return queries;
}

function recordedSummaryQueries(c: Ctx): SummaryQueries {
  const byModel = (name: string) => `sum${by(MODEL)} (${name})`;
  return {
    devices: byModel(RECORDED_BY_MODEL.devices),
    allocated: byModel(RECORDED_BY_MODEL.allocated),
    busy: byModel(RECORDED_BY_MODEL.busy),
    idleAllocated: byModel(RECORDED_BY_MODEL.idleAllocated),
    requestedByResource: requestedQuery(c, ['resource']),
  };
}

function rawSummaryQueries(c: Ctx, options: ViewOptions, idle: IdleOptions): SummaryQueries {
  return {
    devices: `count${by(MODEL)} (${METRICS.devices.device(c, c.heldOnly)})`,
    allocated: `count${by(MODEL)} (${METRICS.devices.device(c, true)})`,
    busy: `count${by(MODEL)} (${utilization(c, c.heldOnly)} >= ${idle.threshold})`,
    idleAllocated: `count${by(MODEL)} (${idleAllocatedQuery(c.scheme, { ...options, idle })})`,
    requestedByResource: requestedQuery(c, ['resource']),
  };
}

const TABLE_METRICS: readonly GpuMetric[] = [
  'utilization',
  'memoryUsedBytes',
  'memoryTotalBytes',
  'powerWatts',
  'temperatureC',
];

function columns(scheme: LabelScheme, level: Level, metrics: readonly GpuMetric[], options: ViewOptions) {
  return Object.fromEntries(metrics.map((m) => [m, metricQuery(scheme, m, level, options)])) as Record<
    GpuMetric,
    string
  >;
}

/** The nodes table: one row per node. */
export function nodeTableQueries(scheme: LabelScheme, options: ViewOptions & { idle?: IdleOptions } = {}) {
  const c = context(scheme, options);
  const idle = options.idle ?? DEFAULT_IDLE;
  const recorded = wholeClusterIdleFromRules(c, options, idle);
  return {
    ...columns(scheme, 'node', ['devices', ...TABLE_METRICS], options),
    allocated: recorded
      ? recordedPerGroup(c, 'node', RECORDED_NODE_COUNTS.allocated)
      : `count${by([c.host])} (${METRICS.devices.device(c, true)})`,
    idleAllocated: recorded
      ? recordedPerGroup(c, 'node', RECORDED_NODE_COUNTS.idleAllocated)
      : `count${by([c.host])} (${idleAllocatedQuery(scheme, options)})`,
    xidDevices: `count${by([c.host])} (${dcgmSelector(c, F.xid, c.heldOnly)} != 0)`,
  };
}

/**
 * The GPU cards table: one row per GPU or MIG instance. Health is read from `xid` (last XID code, with
 * err_code/err_msg; dcgm-exporter never resets it) and `temperatureC`; the holder from `holders`.
 */
export function gpuTableQueries(scheme: LabelScheme, options: ViewOptions = {}) {
  const c = context(scheme, options);
  const device = deviceLabels(c);
  return {
    ...columns(scheme, 'gpu', [...TABLE_METRICS, 'tensorActive'], options),
    xid: `max${by([...device, 'err_code', 'err_msg'])} (${dcgmSelector(c, F.xid, c.heldOnly)} != 0)`,
    holders: `count${by([...device, ...holderLabels(c)])} (${METRICS.devices.device(c, true)})`,
  };
}

export type GpuTableColumn = keyof ReturnType<typeof gpuTableQueries>;

/** What decides which GPUs a table page holds: its sort and its filters. */
export type GpuPageQuery = Pick<GpuCardQuery, 'held' | 'health' | 'sortBy'>;

/**
 * A GPU-table page in two reads (ADR 0011). `index` asks, for every GPU, only the columns that decide which GPUs
 * the page holds: memory used (DEVICE_FAMILY, which lists the GPUs and MIG instances the summary counts), XIDs (a
 * GPU whose fields went blank after one still gets its card; only GPUs with an XID answer, so it is small), the
 * sort's column and the filters' columns. `page(uuids)` asks the other columns for the page's GPUs only.
 */
export function gpuTablePageQueries(scheme: LabelScheme, options: ViewOptions, query: GpuPageQuery) {
  const index = new Set<GpuTableColumn>(['memoryUsedBytes', 'xid']);
  if (query.sortBy !== undefined && query.sortBy !== 'node') index.add(query.sortBy);
  if (query.held !== undefined) index.add('holders');
  if (query.health !== undefined) index.add('temperatureC');
  const split = (all: Record<GpuTableColumn, string>, inIndex: boolean) =>
    Object.fromEntries(
      Object.entries(all).filter(([name]) => index.has(name as GpuTableColumn) === inIndex),
    ) as Partial<Record<GpuTableColumn, string>>;
  return {
    index: split(gpuTableQueries(scheme, options), true),
    page: (uuids: readonly string[]) => split(gpuTableQueries(scheme, { ...options, uuids }), false),
  };
}

const VIEW_METRICS: readonly GpuMetric[] = ['devices', 'utilization', 'memoryUsedBytes', 'powerWatts'];

/** Project (namespace) view: what each namespace's pods hold and use, and what they requested. */
export function namespaceViewQueries(
  scheme: LabelScheme,
  options: ViewOptions & { idle?: IdleOptions } = {},
) {
  const c = context(scheme, options);
  return {
    ...columns(scheme, 'namespace', VIEW_METRICS, options),
    idleAllocated: `count${by([c.w.namespace])} (${idleAllocatedQuery(scheme, options)})`,
    requested: requestedQuery(c, ['namespace', 'resource']),
  };
}

/** Workspace view: namespaces joined to `kube_namespace_labels{label_kubesphere_io_workspace}`. */
export function workspaceViewQueries(
  scheme: LabelScheme,
  options: ViewOptions & { idle?: IdleOptions } = {},
) {
  const c = context(scheme, options);
  return {
    ...columns(scheme, 'workspace', VIEW_METRICS, options),
    idleAllocated: aggregate(c, 'workspace', 'count', idleAllocatedQuery(scheme, options)),
    requested: requestedQuery(c, ['workspace', 'resource'], true),
  };
}

/**
 * Workload view: one row per (namespace, pod, container) holding or requesting GPUs, with which of them hold a
 * shared GPU: there dcgm-exporter's figures are the whole device's, not the pod's (ADR 0015).
 */
export function workloadViewQueries(scheme: LabelScheme, options: ViewOptions = {}) {
  const c = context(scheme, options);
  return {
    ...columns(scheme, 'workload', [...VIEW_METRICS, 'tensorActive'], options),
    requested: requestedQuery(c, ['namespace', 'pod', 'container', 'resource']),
    ...sharedGpuQueries(c),
  };
}

/** kube-state-metrics nodes whose GPUs are shared: HAMi (cores/memory allocatable) or time-sliced (GFD replicas > 1). */
const SHARING_NODES =
  'kube_node_status_allocatable{resource=~"nvidia_com_gpucores|nvidia_com_gpumem"}' +
  ' or on (node) kube_node_labels{label_nvidia_com_gpu_replicas!~"|0|1"}';

/**
 * The caller's containers holding a device more than one pod holds (time-slicing with `--kubernetes-virtual-gpus`).
 * Every holder of the device counts, also pods outside the caller's scope; the answer names only the caller's.
 */
function sharedDeviceHolders(c: Ctx): string {
  const { namespace, pod } = c.w;
  const allHolders = `count by (UUID, GPU_I_ID, ${namespace}, ${pod}) (${selector(DEVICE_FAMILY, [
    ...c.scheme.exporter,
    `${pod}!=""`,
  ])})`;
  const sharedDevices = `(count by (UUID, GPU_I_ID) (${allHolders}) > 1)`;
  return `count${by(holderLabels(c))} (${dcgmSelector(c, DEVICE_FAMILY, true)} and on (UUID, GPU_I_ID) ${sharedDevices})`;
}

/**
 * The containers holding a shared GPU, and HAMi's own utilization of each where its monitor reports it:
 * - `sharedOnDevice`: sharedDeviceHolders (scheme labels).
 * - `sharedOnNode`: GPU requests (plain labels) of pods on nodes that share GPUs; dcgm-exporter cannot attribute
 *   these at all (reference §1.3).
 * - `hamiUtilization`: HAMi's per-container ratio (0–1), pinned to its monitor's job.
 */
function sharedGpuQueries(c: Ctx) {
  const podMatchers = c.ksm.filter((m) => !m.startsWith('node='));
  const requests = selector('kube_pod_container_resource_requests', [
    `resource=~"${GPU_RESOURCE_REGEX}"`,
    ...c.ksm,
  ]);
  return {
    sharedOnDevice: sharedDeviceHolders(c),
    sharedOnNode: `count by (namespace, pod, container) (${requests} and on (node) (${SHARING_NODES}))`,
    hamiUtilization: `avg by (namespace, pod, container) (${selector(
      'hami_container_device_utilization_ratio',
      [...c.scheme.hamiMonitor, ...podMatchers],
    )})`,
  };
}

/** The `n` largest groups at `level` by `metric`, optionally averaged over a window first. */
export function topNQuery(
  scheme: LabelScheme,
  metric: GpuMetric,
  level: Exclude<Level, 'cluster'>,
  n: number,
  options: MetricQueryOptions = {},
): string {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`top-N needs a positive integer, got ${n}`);
  return `topk(${n}, ${metricQuery(scheme, metric, level, options)})`;
}

export interface RangeQuery {
  query: string;
  start: number;
  end: number;
  step: number;
}

/** A query_range request for a chart: the step from the range, start/end aligned to it. */
export function timeSeriesQuery(
  scheme: LabelScheme,
  metric: GpuMetric,
  level: Level,
  range: { startSeconds: number; endSeconds: number },
  options: ViewOptions & StepOptions = {},
): RangeQuery {
  // Recorded samples are a rule interval apart: a finer step would only repeat them.
  const floor = readsRecordedSeries(scheme, metric, level, options)
    ? Math.max(options.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS, DCGM_RULES_INTERVAL_SECONDS)
    : options.scrapeIntervalSeconds;
  const step = stepFor(range.endSeconds - range.startSeconds, {
    ...options,
    ...(floor === undefined ? {} : { scrapeIntervalSeconds: floor }),
  });
  return {
    query: metricQuery(scheme, metric, level, options),
    step,
    ...alignRange(range.startSeconds, range.endSeconds, step),
  };
}

// ---- GPU-hours (recording rules; see charts/gpu-monitoring/rules/gpu.rules.yaml) --------------------

/**
 * Evaluation interval of the rule group `gpu-monitoring.accounting`. Each recorded sample stands for
 * this many seconds, so GPU-hours over a range = sum_over_time(recorded GPUs[range]) × interval / 3600.
 * A unit test checks the rule file says the same.
 */
export const ACCOUNTING_INTERVAL_SECONDS = 60;

export interface GpuHoursQueries {
  /** GPU-hours allocated (requested by running pods), by group and resource. */
  allocated: string;
  /** Utilization-weighted GPU-hours, by group. */
  utilized: string;
  /** Evaluate both as instant queries at this time (the range ends here). */
  time: number;
}

/** How a GPU-hours report groups: the recorded series it reads and the labels it keeps. */
export type GpuHoursGroupBy = 'namespace' | 'workspace' | 'app' | 'user';

const GPU_HOURS_GROUPS: Readonly<
  Record<GpuHoursGroupBy, { allocated: string; utilized: string; labels: string[] }>
> = {
  namespace: { allocated: RECORDED.gpuRequested, utilized: RECORDED.gpuUtilized, labels: ['namespace'] },
  workspace: { allocated: RECORDED.gpuRequested, utilized: RECORDED.gpuUtilized, labels: ['workspace'] },
  // An app is a (namespace, kind, name): the owner chain's end, as the rule pod:ml_app:info finds it.
  app: {
    allocated: RECORDED.appGpuRequested,
    utilized: RECORDED.appGpuUtilized,
    labels: ['namespace', 'app_kind', 'app'],
  },
  // The app's `kubesphere.io/creator`; apps without one come back without a creator label.
  user: { allocated: RECORDED.appGpuRequested, utilized: RECORDED.appGpuUtilized, labels: ['creator'] },
};

/**
 * GPU-hours for [start, end] by namespace, workspace, app or user. The workspace is the one recorded with each
 * sample (membership at that time), so moving a namespace later does not rewrite history; namespaces
 * outside any workspace come back without a workspace label. Apps and users come from the per-app series
 * (ADR 0041), scoped by namespace alike.
 */
export function gpuHoursQueries(
  groupBy: GpuHoursGroupBy,
  range: { startSeconds: number; endSeconds: number },
  options: { scope?: NamespaceScope } = {},
): GpuHoursQueries {
  const seconds = Math.round(range.endSeconds - range.startSeconds);
  const scope = options.scope ?? 'all';
  const matchers = scope === 'all' ? [] : allowListMatchers('namespace', scope);
  const hours = (series: string, labels: string[]): string =>
    `sum${by(labels)} (sum_over_time(${selector(series, matchers)}[${duration(seconds)}])) * ${ACCOUNTING_INTERVAL_SECONDS} / 3600`;
  const group = GPU_HOURS_GROUPS[groupBy];
  return {
    allocated: hours(group.allocated, [...group.labels, 'resource']),
    utilized: hours(group.utilized, group.labels),
    time: range.endSeconds,
  };
}
