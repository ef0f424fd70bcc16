// The gpu-monitoring feature's only I/O, behind one interface so the service is tested with fakes:
// - Prometheus (clients/prometheus.ts: coalesced, briefly cached), with failures turned into a 502 that names the
//   Prometheus URL, so the console can say "Prometheus at <url> is unreachable" instead of drawing an empty chart;
// - the label scheme, probed with schemeProbeQuery (the exporter's job only) and re-probed once a minute (an
//   exporter upgrade or a Prometheus-Operator scrape change renames labels while we run; nobody is asked which
//   variant they have);
// - namespace → workspace membership, from a watch cache of the namespaces carrying `kubesphere.io/workspace`.
import { CoreV1Api, type V1Namespace } from '@kubernetes/client-node';
import { isAxiosError } from 'axios';
import type { KubeClient } from '../../clients/kube.js';
import { createWatchCache, type WatchCache } from '../../clients/kube-cache.js';
import type { PrometheusClient, PromSample } from '../../clients/prometheus.js';
import { withoutCredentials } from '../../clients/reduced-error.js';
import { UpstreamError } from '../../clients/upstream.js';
import {
  detectScheme,
  exporterMatchers,
  hamiMonitorMatchers,
  schemeProbeQuery,
  type LabelScheme,
} from './labels.js';
import type { RangeQuery } from './queries.js';

export const WORKSPACE_LABEL = 'kubesphere.io/workspace';
/** How long a detected label scheme is trusted before the probe runs again. */
export const SCHEME_TTL_MS = 60_000;
const RESYNC_MS = 10 * 60_000;

export interface MonitoringIo {
  /** An instant query at Prometheus' "now" (no time parameter, so every panel shares cached answers). */
  instant(promql: string): Promise<PromSample[]>;
  /** An instant query evaluated at `time` (Unix seconds). */
  instantAt(promql: string, time: number): Promise<PromSample[]>;
  range(query: RangeQuery): Promise<PromSample[]>;
  scheme(): Promise<LabelScheme>;
  /** Names of the namespaces labelled with the workspace, sorted. */
  namespacesOfWorkspace(workspace: string): Promise<string[]>;
  /** Namespace → workspace, for every namespace in a workspace. */
  workspaces(): Promise<ReadonlyMap<string, string>>;
  stop(): Promise<void>;
}

/**
 * A Prometheus failure as the caller should read it: whether it answered at all; which URL (without credentials)
 * only for platform admins — tenants hear "the metrics service" and the request id (docs/adr/0012).
 */
export function prometheusError(url: string, err: unknown): UpstreamError {
  const cause = err instanceof UpstreamError ? err.cause : err;
  // The client resolves every HTTP answer and rejects only when none came (refused, DNS, timeout).
  const answered = !isAxiosError(cause) || cause.response !== undefined;
  return new UpstreamError(
    'Prometheus',
    cause,
    { key: answered ? 'BACKEND_METRICS_ERROR' : 'BACKEND_METRICS_UNREACHABLE', params: {} },
    {
      key: answered ? 'GPU_MONITORING_PROMETHEUS_ERROR' : 'GPU_MONITORING_PROMETHEUS_UNREACHABLE',
      params: { url: withoutCredentials(url) },
    },
  );
}

function vector(data: { resultType: string; result: unknown }): PromSample[] {
  return data.resultType === 'vector' || data.resultType === 'matrix' ? (data.result as PromSample[]) : [];
}

export function createMonitoringIo(
  prometheus: PrometheusClient,
  kube: KubeClient,
  options: {
    onError?: (err: unknown) => void;
    now?: () => number;
    /** GPU_EXPORTER_JOB: only this job's DCGM_FI_* series are read (docs/adr/0015). */
    exporterJob?: string;
    /** GPU_HAMI_MONITOR_JOB: only this job's hami_* per-container series are read. */
    hamiMonitorJob?: string;
  } = {},
): MonitoringIo {
  const now = options.now ?? Date.now;
  const exporter = exporterMatchers(options.exporterJob);
  const hamiMonitor = hamiMonitorMatchers(options.hamiMonitorJob);
  const probeQuery = schemeProbeQuery(exporter);
  const url = prometheus.baseUrl;
  const ask = async (call: () => Promise<{ resultType: string; result: unknown }>) => {
    try {
      return vector(await call());
    } catch (err) {
      throw prometheusError(url, err);
    }
  };

  let probed: { at: number; scheme: Promise<LabelScheme> } | undefined;
  const scheme = (): Promise<LabelScheme> => {
    if (!probed || now() - probed.at > SCHEME_TTL_MS) {
      const current = {
        at: now(),
        scheme: ask(() => prometheus.query(probeQuery)).then((samples) =>
          detectScheme(samples, exporter, hamiMonitor),
        ),
      };
      // A failed probe is not remembered: the next request probes again.
      current.scheme.catch(() => {
        if (probed === current) probed = undefined;
      });
      probed = current;
    }
    return probed.scheme;
  };

  let namespaceCache: WatchCache<V1Namespace> | undefined;
  const namespaces = async (): Promise<readonly V1Namespace[]> => {
    if (!namespaceCache) {
      const core = kube.config.makeApiClient(CoreV1Api);
      namespaceCache = createWatchCache<V1Namespace>({
        config: kube.config,
        path: '/api/v1/namespaces',
        labelSelector: WORKSPACE_LABEL,
        list: () => core.listNamespace({ labelSelector: WORKSPACE_LABEL }),
        resyncMs: RESYNC_MS,
        ...(options.onError ? { onError: options.onError } : {}),
      });
    }
    const cache = namespaceCache;
    try {
      await cache.ready();
    } catch (err) {
      throw new UpstreamError('kube-apiserver', err);
    }
    return cache.list();
  };

  const workspaces = async () => {
    const map = new Map<string, string>();
    for (const ns of await namespaces()) {
      const ws = ns.metadata?.labels?.[WORKSPACE_LABEL];
      if (ws && ns.metadata?.name) map.set(ns.metadata.name, ws);
    }
    return map;
  };

  return {
    instant: (promql) => ask(() => prometheus.query(promql)),
    instantAt: (promql, time) => ask(() => prometheus.query(promql, time)),
    range: (q) => ask(() => prometheus.queryRange(q.query, { start: q.start, end: q.end, step: q.step })),
    scheme,
    async namespacesOfWorkspace(workspace) {
      const names: string[] = [];
      for (const [ns, ws] of await workspaces()) if (ws === workspace) names.push(ns);
      return names.sort();
    },
    workspaces,
    stop: async () => namespaceCache?.stop(),
  };
}
