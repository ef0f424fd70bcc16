// The gpu-monitoring feature's only I/O, behind one interface so the service is tested with fakes:
// - Prometheus (clients/prometheus.ts: coalesced, briefly cached), with failures turned into a 502 that names the
//   Prometheus URL, so the console can say "Prometheus at <url> is unreachable" instead of drawing an empty chart;
// - the label scheme, probed with schemeProbeQuery (the exporter's job only) and re-probed once a minute (an
//   exporter upgrade or a Prometheus-Operator scrape change renames labels while we run; nobody is asked which
//   variant they have);
// - namespace → workspace membership, from the process' one namespace watch (clients/workspace-membership.ts).
// It does no I/O of its own: every call goes through a client (docs/adr/0023).
import { prometheusAnswered, type PrometheusClient, type PromSample } from '../../clients/prometheus.js';
import { withoutCredentials } from '../../clients/reduced-error.js';
import { UpstreamError } from '../../clients/upstream.js';
import type { WorkspaceMembership } from '../../clients/workspace-membership.js';
import {
  detectScheme,
  exporterMatchers,
  hamiMonitorMatchers,
  schemeProbeQuery,
  type LabelScheme,
} from './labels.js';
import type { RangeQuery } from './queries.js';

/** How long a detected label scheme is trusted before the probe runs again. */
export const SCHEME_TTL_MS = 60_000;

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
}

/**
 * A Prometheus failure as the caller should read it: whether it answered at all; which URL (without credentials)
 * only for platform admins — tenants hear "the metrics service" and the request id (docs/adr/0012).
 */
export function prometheusError(url: string, err: unknown): UpstreamError {
  const cause = err instanceof UpstreamError ? err.cause : err;
  const answered = prometheusAnswered(err);
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
  membership: WorkspaceMembership,
  options: {
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

  return {
    instant: (promql) => ask(() => prometheus.query(promql)),
    instantAt: (promql, time) => ask(() => prometheus.query(promql, time)),
    range: (q) => ask(() => prometheus.queryRange(q.query, { start: q.start, end: q.end, step: q.step })),
    scheme,
    namespacesOfWorkspace: (workspace) => membership.namespacesOf(workspace),
    workspaces: () => membership.workspaceOf(),
  };
}
