// The gpu-monitoring service (docs/adr/0008): resolves the caller's scope to namespaces, builds the PromQL of
// queries.ts for the detected label scheme, asks Prometheus through MonitoringIo, and assembles the contract's
// answers with the pure modules (summary, tables, usage, series, gpu-hours). Authorization is the guard's:
// cluster routes reach here only for callers allowed at cluster scope, tenants only for their workspace or
// project, whose namespaces then bound every query.
import {
  GPU_CARDS_PER_PAGE,
  type GpuCardList,
  type GpuCardQuery,
  type GpuHoursQuery,
  type GpuHoursReport,
  type GpuNodeDetail,
  type GpuNodeList,
  type GpuScopeUsage,
  type GpuSeries,
  type GpuSummary,
  type GpuTopList,
  type GpuUsageList,
  type GpuWorkloadUsage,
  type IdleGpuList,
  type IdleQuery,
  type SeriesQuery,
  type TopQuery,
} from '@ks-gpu-ml/contracts';
import { AppError } from '../../core/errors.js';
import type { Language, Translate } from '../../core/i18n.js';
import { RawReply } from '../../core/mount.js';
import { gpuHoursCsv, gpuHoursFilename, assembleGpuHours, type GroupBy } from './gpu-hours.js';
import type { MonitoringIo } from './io.js';
import type { LabelScheme } from './labels.js';
import {
  clusterSummaryQueries,
  gpuHoursQueries,
  gpuTablePageQueries,
  gpuTableQueries,
  idleAllocatedQuery,
  metricQuery,
  namespaceViewQueries,
  nodeTableQueries,
  timeSeriesQuery,
  topNQuery,
  workloadViewQueries,
  workspaceViewQueries,
  type IdleOptions,
  type NamespaceScope,
  type ViewOptions,
} from './queries.js';
import type { Sample } from './samples.js';
import { assembleSeries, assembleTop } from './series.js';
import { assembleSummary } from './summary.js';
import {
  assembleGpuCards,
  assembleIdleGpus,
  assembleNodeRows,
  completePage,
  selectCards,
  type CardColumns,
} from './tables.js';
import { assembleTotals, assembleUsageRows } from './usage.js';
import {
  checkLevel,
  checkNamespaceFilter,
  gpuHoursRange,
  idleOptions,
  seriesRange,
  type ScopeKind,
} from './validate.js';

/** Where a request looks: the whole cluster, one workspace, or one project. */
export type ScopeRef =
  { kind: 'cluster' } | { kind: 'workspace'; name: string } | { kind: 'namespace'; name: string };

/** Above this many GPUs on a page, one read of every column costs less than a UUID list in every query. */
const PAGE_FIRST_MAX_GPUS = 500;

export interface GpuMonitoringService {
  summary(idle: IdleQuery): Promise<GpuSummary>;
  nodes(idle: IdleQuery): Promise<GpuNodeList>;
  node(name: string, idle: IdleQuery): Promise<GpuNodeDetail>;
  gpus(query: GpuCardQuery): Promise<GpuCardList>;
  idleGpus(idle: IdleQuery): Promise<IdleGpuList>;
  workspaceUsageList(idle: IdleQuery): Promise<GpuUsageList>;
  projectUsageList(idle: IdleQuery): Promise<GpuUsageList>;
  topN(query: TopQuery): Promise<GpuTopList>;
  series(scope: ScopeRef, query: SeriesQuery): Promise<GpuSeries>;
  gpuHours(scope: ScopeRef, query: GpuHoursQuery, lang: Language): Promise<GpuHoursReport | RawReply>;
  workspaceUsage(workspace: string, idle: IdleQuery): Promise<GpuScopeUsage>;
  projectUsage(namespace: string, idle: IdleQuery): Promise<GpuScopeUsage>;
  workloadUsage(namespace: string, pod: string): Promise<GpuWorkloadUsage>;
}

/**
 * Runs each named query at once; answers come back under the same names (a query left `undefined` answers nothing;
 * a name not given is not answered).
 */
async function askAll<K extends string>(
  io: MonitoringIo,
  queries: { [P in K]?: string | undefined },
): Promise<Record<K, Sample[]>> {
  const names = Object.keys(queries) as K[];
  const answers = await Promise.all(
    names.map((n) => (queries[n] === undefined ? [] : io.instant(queries[n]))),
  );
  return Object.fromEntries(names.map((n, i) => [n, answers[i]])) as Record<K, Sample[]>;
}

const labelInfo = (s: LabelScheme): GpuSummary['labels'] => ({
  hostLabel: s.hostLabel,
  workload: s.workload,
  mig: s.mig,
  kubeStateMetrics: s.kubeStateMetrics,
  dcgmSeen: s.dcgmSeen,
  recordingRules: s.recordingRules,
});

export function createGpuMonitoringService(deps: {
  io: MonitoringIo;
  translate: Translate;
  now?: () => number;
}): GpuMonitoringService {
  const { io, translate } = deps;
  const nowSeconds = () => Math.floor((deps.now ?? Date.now)() / 1000);

  /** The namespaces a scope covers: 'all' for the cluster, the workspace's labelled namespaces, or one. */
  const namespacesOf = async (scope: ScopeRef): Promise<NamespaceScope> => {
    if (scope.kind === 'cluster') return 'all';
    if (scope.kind === 'namespace') return [scope.name];
    return io.namespacesOfWorkspace(scope.name);
  };

  async function cards(scheme: LabelScheme, options: ViewOptions) {
    return assembleGpuCards(scheme, await askAll(io, gpuTableQueries(scheme, options)));
  }

  /**
   * One page of the GPU table, read page-first (ADR 0011): the columns that choose the page for every GPU, then
   * the rest for the page's GPUs only. A node's or one GPU's cards are few: they are read at once, as are pages
   * too long for a UUID list to pay off.
   */
  async function cardPage(scheme: LabelScheme, options: ViewOptions, query: GpuCardQuery) {
    const bounded = options.node !== undefined || options.uuid !== undefined;
    if (bounded || (query.limit ?? GPU_CARDS_PER_PAGE) > PAGE_FIRST_MAX_GPUS)
      return selectCards(await cards(scheme, options), query);
    const reads = gpuTablePageQueries(scheme, options, query);
    const index: CardColumns = await askAll(io, reads.index);
    const { total, items } = selectCards(assembleGpuCards(scheme, index), query);
    if (items.length === 0) return { total, items };
    const rest: CardColumns = await askAll(io, reads.page(items.map((card) => card.uuid)));
    return { total, items: completePage(scheme, items, rest) };
  }

  async function idleList(scheme: LabelScheme, options: ViewOptions, idle: IdleOptions) {
    const [samples, workspaces] = await Promise.all([
      io.instant(idleAllocatedQuery(scheme, { ...options, idle })),
      io.workspaces(),
    ]);
    return assembleIdleGpus(scheme, samples, workspaces);
  }

  async function nodeRows(scheme: LabelScheme, options: ViewOptions, idle: IdleOptions) {
    const columns = await askAll(io, {
      ...nodeTableQueries(scheme, { ...options, idle }),
      tensorActive: metricQuery(scheme, 'tensorActive', 'node', options),
    });
    return assembleNodeRows(scheme, columns);
  }

  /** Scope-wide totals' columns: figures at level `cluster` within the scope, requests by resource. */
  function totalsColumns(scheme: LabelScheme, scope: readonly string[]) {
    const options = { scope };
    return askAll(io, {
      devices: metricQuery(scheme, 'devices', 'cluster', options),
      utilization: metricQuery(scheme, 'utilization', 'cluster', options),
      memoryUsedBytes: metricQuery(scheme, 'memoryUsedBytes', 'cluster', options),
      powerWatts: metricQuery(scheme, 'powerWatts', 'cluster', options),
      requested: clusterSummaryQueries(scheme, options).requestedByResource,
    });
  }

  async function scopeUsage(
    kind: 'workspace' | 'namespace',
    name: string,
    scope: readonly string[],
    query: IdleQuery,
  ): Promise<GpuScopeUsage> {
    const idle = idleOptions(query);
    const key = kind === 'workspace' ? { workspace: name } : { namespace: name };
    const base = { time: nowSeconds(), ...key, idleSettings: idle };
    // A workspace with no projects has nothing to show; an empty allow-list would answer the same, slower.
    if (scope.length === 0)
      return {
        ...base,
        totals: { ...key, devices: 0, idleAllocated: 0, requested: {} },
        rows: [],
        gpus: [],
        idle: [],
      };
    const scheme = await io.scheme();
    const options = { scope };
    const rowsQuery =
      kind === 'workspace'
        ? namespaceViewQueries(scheme, { ...options, idle })
        : workloadViewQueries(scheme, options);
    // The totals' queries go out with the others: only their assembly needs the idle count.
    const [rowColumns, gpus, idleGpus, workspaces, totalColumns] = await Promise.all([
      askAll(io, rowsQuery),
      cards(scheme, options),
      idleList(scheme, options, idle),
      io.workspaces(),
      totalsColumns(scheme, scope),
    ]);
    const rows = assembleUsageRows(
      scheme,
      kind === 'workspace' ? 'namespace' : 'workload',
      rowColumns,
      workspaces,
    );
    const totals = assembleTotals(totalColumns, idleGpus.length, key);
    return { ...base, totals, rows, gpus, idle: idleGpus };
  }

  /** The CSV's group column title per groupBy (by app the app's name, after its project and kind). */
  const CSV_GROUP_HEADER: Record<GroupBy, string> = {
    workspace: 'GPU_MONITORING_CSV_WORKSPACE',
    namespace: 'GPU_MONITORING_CSV_NAMESPACE',
    app: 'GPU_MONITORING_CSV_APP',
    user: 'GPU_MONITORING_CSV_USER',
  };

  async function gpuHours(scope: ScopeRef, query: GpuHoursQuery, lang: Language) {
    const range = gpuHoursRange(query);
    const groupBy: GroupBy = query.groupBy ?? (scope.kind === 'cluster' ? 'workspace' : 'namespace');
    const namespaces = await namespacesOf(scope);
    let answers: { allocated: Sample[]; utilized: Sample[] } = { allocated: [], utilized: [] };
    if (namespaces === 'all' || namespaces.length > 0) {
      const q = gpuHoursQueries(
        groupBy,
        { startSeconds: range.start, endSeconds: range.end },
        { scope: namespaces },
      );
      const [allocated, utilized] = await Promise.all([
        io.instantAt(q.allocated, q.time),
        io.instantAt(q.utilized, q.time),
      ]);
      answers = { allocated, utilized };
    }
    const report = assembleGpuHours(answers, { ...range, groupBy });
    if (query.format !== 'csv') return report;
    const t = (key: string, params: Record<string, unknown> = {}) => translate(lang, key, params);
    const csv = gpuHoursCsv(report, {
      group: t(CSV_GROUP_HEADER[groupBy]),
      project: t('GPU_MONITORING_CSV_NAMESPACE'),
      kind: t('GPU_MONITORING_CSV_APP_KIND'),
      allocated: t('GPU_MONITORING_CSV_ALLOCATED'),
      utilized: t('GPU_MONITORING_CSV_UTILIZED'),
      allocatedBy: (resource) => t('GPU_MONITORING_CSV_ALLOCATED_BY', { resource }),
    });
    const filename = gpuHoursFilename(
      scope.kind === 'cluster' ? 'cluster' : scope.name,
      range.start,
      range.end,
    );
    return new RawReply(csv, 'text/csv; charset=utf-8', {
      'content-disposition': `attachment; filename="${filename}"`,
    });
  }

  return {
    async summary(query) {
      const scheme = await io.scheme();
      const idle = idleOptions(query);
      const queries = clusterSummaryQueries(scheme, { idle });
      const answers = await askAll(io, { ...queries, allocatableByResource: queries.allocatableByResource });
      return assembleSummary(answers, { time: nowSeconds(), idle, labels: labelInfo(scheme) });
    },

    async nodes(query) {
      const scheme = await io.scheme();
      const idle = idleOptions(query);
      return { time: nowSeconds(), items: await nodeRows(scheme, {}, idle), idle };
    },

    async node(name, query) {
      const scheme = await io.scheme();
      const idle = idleOptions(query);
      const [rows, gpus] = await Promise.all([
        nodeRows(scheme, { node: name }, idle),
        cards(scheme, { node: name }),
      ]);
      const row = rows.find((r) => r.node === name);
      if (!row)
        throw new AppError(404, 'NotFound', 'GPU_MONITORING_NODE_NOT_FOUND', { node: name }, { node: name });
      return { time: nowSeconds(), node: row, gpus };
    },

    async gpus(query) {
      const scheme = await io.scheme();
      const options: ViewOptions = {
        ...(query.node !== undefined ? { node: query.node } : {}),
        ...(query.uuid !== undefined ? { uuid: query.uuid } : {}),
        ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
      };
      return { time: nowSeconds(), ...(await cardPage(scheme, options, query)) };
    },

    async idleGpus(query) {
      const scheme = await io.scheme();
      const idle = idleOptions(query);
      return { time: nowSeconds(), items: await idleList(scheme, {}, idle), idle };
    },

    async workspaceUsageList(query) {
      const scheme = await io.scheme();
      const columns = await askAll(io, workspaceViewQueries(scheme, { idle: idleOptions(query) }));
      return { time: nowSeconds(), items: assembleUsageRows(scheme, 'workspace', columns) };
    },

    async projectUsageList(query) {
      const scheme = await io.scheme();
      const [columns, workspaces] = await Promise.all([
        askAll(io, namespaceViewQueries(scheme, { idle: idleOptions(query) })),
        io.workspaces(),
      ]);
      return { time: nowSeconds(), items: assembleUsageRows(scheme, 'namespace', columns, workspaces) };
    },

    async topN(query) {
      checkLevel('cluster', query.level);
      const scheme = await io.scheme();
      const n = query.n ?? 10;
      const windowSeconds = query.windowMinutes !== undefined ? query.windowMinutes * 60 : undefined;
      const promql = topNQuery(
        scheme,
        query.metric,
        query.level,
        n,
        windowSeconds !== undefined ? { windowSeconds } : {},
      );
      return assembleTop(scheme, await io.instant(promql), n, {
        metric: query.metric,
        level: query.level,
        ...(windowSeconds !== undefined ? { windowSeconds } : {}),
      });
    },

    async series(scope, query) {
      const kind: ScopeKind = scope.kind;
      checkLevel(kind, query.level);
      const range = seriesRange(query, nowSeconds());
      const namespaces = await namespacesOf(scope);
      checkNamespaceFilter(namespaces, query.namespace);
      const options = {
        scope: namespaces,
        ...(query.node !== undefined ? { node: query.node } : {}),
        ...(query.uuid !== undefined ? { uuid: query.uuid } : {}),
        ...(query.namespace !== undefined ? { namespace: query.namespace } : {}),
        ...(query.pod !== undefined ? { pod: query.pod } : {}),
        ...(query.maxPoints !== undefined ? { maxPoints: query.maxPoints } : {}),
      };
      const scheme = await io.scheme();
      const q = timeSeriesQuery(
        scheme,
        query.metric,
        query.level,
        { startSeconds: range.start, endSeconds: range.end },
        options,
      );
      const meta = { metric: query.metric, level: query.level, start: q.start, end: q.end, step: q.step };
      // An empty workspace: the (fail-closed) query would answer nothing too; skip the round trip.
      const matrix = namespaces !== 'all' && namespaces.length === 0 ? [] : await io.range(q);
      return assembleSeries(scheme, matrix, meta);
    },

    gpuHours,

    async workspaceUsage(workspace, query) {
      return scopeUsage('workspace', workspace, await io.namespacesOfWorkspace(workspace), query);
    },

    async projectUsage(namespace, query) {
      return scopeUsage('namespace', namespace, [namespace], query);
    },

    async workloadUsage(namespace, pod) {
      const scheme = await io.scheme();
      const options = { scope: [namespace], pod };
      const [columns, gpus] = await Promise.all([
        askAll(io, workloadViewQueries(scheme, options)),
        cards(scheme, options),
      ]);
      return {
        time: nowSeconds(),
        namespace,
        pod,
        containers: assembleUsageRows(scheme, 'workload', columns),
        gpus,
      };
    },
  };
}
