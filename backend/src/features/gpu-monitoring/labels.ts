// The label adapter: which label names this cluster's dcgm-exporter series carry, detected from one
// cheap probe query instead of asking the admin (reference §1.2–1.4, §7.1). Every query in queries.ts
// is built from a LabelScheme, so the drift between exporter versions and scrape setups lives here.
import { matcher, selector } from './promql.js';
import { RECORDED } from './recorded.js';

/** `Hostname` in released dcgm-exporter; `hostname` on master after PR #655. */
export type HostLabel = 'Hostname' | 'hostname';

/** Where the workload (pod holding the GPU) is written. */
export type WorkloadStyle = 'plain' | 'exported';

export interface WorkloadLabels {
  namespace: string;
  pod: string;
  container: string;
}

export const WORKLOAD_LABELS: Record<WorkloadStyle, WorkloadLabels> = {
  plain: { namespace: 'namespace', pod: 'pod', container: 'container' },
  // A Prometheus-Operator scrape with honorLabels: false (the dcgm-exporter chart's and gpu-operator's
  // default) renames the exporter's labels; plain namespace/pod/container then name the exporter pod.
  exported: { namespace: 'exported_namespace', pod: 'exported_pod', container: 'exported_container' },
};

export interface LabelScheme {
  hostLabel: HostLabel;
  workload: WorkloadStyle;
  /** Which utilization families exist. GPU_UTIL is missing on MIG instances and GR_ENGINE_ACTIVE
   * (0–1) is missing in 3.x default counters; queries prefer GR_ENGINE_ACTIVE and fall back per series. */
  utilization: { gpuUtil: boolean; grEngineActive: boolean };
  /** MIG GPU instances are present (series with GPU_I_ID). */
  mig: boolean;
  /** kube-state-metrics is scraped (it reports GPU nodes): holders are then checked against real GPU pods. */
  kubeStateMetrics: boolean;
  /** At least one dcgm-exporter series was seen; false means "nothing to show yet", not an error. */
  dcgmSeen: boolean;
  /**
   * The extension's recording rules are loaded and current: every device series has its recorded twin (and
   * kube-state-metrics, which the allocation rules join, is there). Idle-allocated answers then come from
   * the rule instead of a 30-minute window over every GPU.
   */
  recordingRules: boolean;
  /**
   * Matchers every dcgm-exporter selector carries: the exporter's job. Series of any other job (a tenant's
   * custom-monitoring target exporting DCGM_FI_* names) are ignored, never merged (docs/adr/0015).
   */
  exporter: readonly string[];
  /** Matchers on HAMi's vGPU-monitor series (its job): per-container figures on HAMi-shared GPUs. */
  hamiMonitor: readonly string[];
}

/** The job gpu-operator's ServiceMonitor gives dcgm-exporter's series (its Service, also in KubeSphere's GPU extension). */
export const DEFAULT_EXPORTER_JOB = 'nvidia-dcgm-exporter';

/** The matchers pinning DCGM selectors to the exporter's scrape job. */
export function exporterMatchers(job: string = DEFAULT_EXPORTER_JOB): readonly string[] {
  return [matcher('job', '=', job)];
}

/** The job of HAMi's vGPU monitor (the hami-device-plugin-monitor Service of HAMi's chart). */
export const DEFAULT_HAMI_MONITOR_JOB = 'hami-device-plugin-monitor';

/** The matchers pinning HAMi's per-container series to its monitor's job, as DCGM ones are. */
export function hamiMonitorMatchers(job: string = DEFAULT_HAMI_MONITOR_JOB): readonly string[] {
  return [matcher('job', '=', job)];
}

/** Used before the first probe answers: released dcgm-exporter, both utilization families. */
export const DEFAULT_SCHEME: LabelScheme = {
  hostLabel: 'Hostname',
  workload: 'plain',
  utilization: { gpuUtil: true, grEngineActive: true },
  mig: false,
  kubeStateMetrics: true,
  dcgmSeen: false,
  recordingRules: false,
  exporter: exporterMatchers(),
  hamiMonitor: hamiMonitorMatchers(),
};

export function workloadLabels(scheme: LabelScheme): WorkloadLabels {
  return WORKLOAD_LABELS[scheme.workload];
}

/** kube-state-metrics resource names of count-valued NVIDIA GPUs: whole GPUs and MIG slices. */
export const GPU_RESOURCE_REGEX = 'nvidia_com_gpu|nvidia_com_mig_.+';

/** The family every GPU and MIG instance reports in every exporter version (used to count devices). */
export const DEVICE_FAMILY = 'DCGM_FI_DEV_FB_USED';

/** The facts the probe measures, each tagged into the `probe` label of its answer; dcgm ones only from `exporter`. */
export function probeFacts(exporter: readonly string[] = exporterMatchers()) {
  const dcgm = (family: string, matchers: string[] = []) => selector(family, [...exporter, ...matchers]);
  return {
    gpuUtil: dcgm('DCGM_FI_DEV_GPU_UTIL'),
    grEngineActive: dcgm('DCGM_FI_PROF_GR_ENGINE_ACTIVE'),
    Hostname: dcgm(DEVICE_FAMILY, ['Hostname!=""']),
    hostname: dcgm(DEVICE_FAMILY, ['hostname!=""']),
    exportedPod: dcgm(DEVICE_FAMILY, ['exported_pod!=""']),
    mig: dcgm(DEVICE_FAMILY, ['GPU_I_ID!=""']),
    devices: dcgm(DEVICE_FAMILY),
    // GPU nodes, not GPU pods: a cluster with no GPU pod yet still has kube-state-metrics.
    kubeStateMetrics: selector('kube_node_status_allocatable', [`resource=~"${GPU_RESOURCE_REGEX}"`]),
    recordedDevices: selector(RECORDED.gpuMemoryUsed),
  } as const;
}
export type ProbeFact = keyof ReturnType<typeof probeFacts>;
const PROBE_FACT_NAMES = Object.keys(probeFacts()) as ProbeFact[];

/**
 * The one probe query: each fact is a `count()` over exact metric names (no `{__name__=~…}` scans,
 * reference §5.2), tagged with `label_replace(…, "probe", "<fact>", "", "")` and joined with `or`, so
 * one round trip answers all of them. Facts that count zero series are simply absent from the answer.
 */
export function schemeProbeQuery(exporter: readonly string[] = exporterMatchers()): string {
  return (Object.entries(probeFacts(exporter)) as [ProbeFact, string][])
    .map(([fact, sel]) => `label_replace(count(${sel}), "probe", "${fact}", "", "")`)
    .join('\nor ');
}

/** The probe for the default exporter job. */
export const SCHEME_PROBE_QUERY: string = schemeProbeQuery();

/** The shape of one instant-vector sample in a Prometheus API answer. */
export interface ProbeSample {
  metric: Record<string, string>;
  value?: [number, string];
}

/** Counts per fact from the probe's answer (absent facts count 0). */
export function readProbe(samples: readonly ProbeSample[]): Record<ProbeFact, number> {
  const counts = Object.fromEntries(PROBE_FACT_NAMES.map((f) => [f, 0])) as Record<ProbeFact, number>;
  for (const sample of samples) {
    const fact = sample.metric.probe;
    if (fact !== undefined && fact in counts) counts[fact as ProbeFact] = Number(sample.value?.[1] ?? 0) || 0;
  }
  return counts;
}

/**
 * The scheme the probe's answer describes. Pure; the caller runs SCHEME_PROBE_QUERY and re-probes now
 * and then (an exporter upgrade or a first GPU pod can change the answer).
 *
 * - host label: whichever of Hostname/hostname more device series carry (a rolling exporter upgrade
 *   has both for a while; the majority wins, the rules fold both).
 * - workload: `exported` as soon as any device series carries exported_pod. With no attributed GPU at
 *   all either reading gives the same (empty) holder set, because queries check holders against
 *   kube-state-metrics GPU pods, which the exporter's own pod never is.
 * - utilization: whichever families have series; with no dcgm data yet, assume both (the `or` form
 *   works whichever one later appears).
 * - recording rules: used only while they cover every device series one to one. Fewer recorded series
 *   (rules just installed, or evaluation lagging) or more raw ones (two exporters during an upgrade) fall
 *   back to raw queries, which are slower but never miss a GPU.
 */
export function detectScheme(
  samples: readonly ProbeSample[],
  exporter: readonly string[] = exporterMatchers(),
  hamiMonitor: readonly string[] = hamiMonitorMatchers(),
): LabelScheme {
  const n = readProbe(samples);
  const dcgmSeen = n.devices > 0;
  const anyUtil = n.gpuUtil > 0 || n.grEngineActive > 0;
  return {
    hostLabel: n.hostname > n.Hostname ? 'hostname' : 'Hostname',
    workload: n.exportedPod > 0 ? 'exported' : 'plain',
    utilization: anyUtil
      ? { gpuUtil: n.gpuUtil > 0, grEngineActive: n.grEngineActive > 0 }
      : { ...DEFAULT_SCHEME.utilization },
    mig: n.mig > 0,
    kubeStateMetrics: n.kubeStateMetrics > 0,
    dcgmSeen,
    recordingRules: n.kubeStateMetrics > 0 && dcgmSeen && n.recordedDevices === n.devices,
    exporter,
    hamiMonitor,
  };
}

/** Canonical names for a result's labels, whatever the scheme: node, namespace, pod, container. */
export interface CanonicalLabels {
  node?: string;
  namespace?: string;
  pod?: string;
  container?: string;
}

/** Reads node/namespace/pod/container out of a result's raw labels under the scheme. */
export function canonicalLabels(scheme: LabelScheme, metric: Record<string, string>): CanonicalLabels {
  const w = workloadLabels(scheme);
  const out: CanonicalLabels = {};
  const set = (key: keyof CanonicalLabels, raw: string): void => {
    const v = metric[raw];
    if (v !== undefined && v !== '') out[key] = v;
  };
  set('node', scheme.hostLabel);
  set('namespace', w.namespace);
  set('pod', w.pod);
  set('container', w.container);
  return out;
}
