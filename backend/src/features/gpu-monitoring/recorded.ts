// Names of the series the shipped recording rules write (charts/gpu-monitoring/rules/gpu.rules.yaml), and the
// idle definition baked into the rules. rules.test.ts checks the rule file says the same (ADR 0010).
//
// Why queries read them: a raw idle-allocated query reads a 30-minute window of every GPU (8,000 GPUs at a
// 15 s scrape: ~1M samples per query, and a dashboard asks several such questions at once), and an hour's chart of
// every node's utilization evaluates 8,000 GPUs' series at each of its points. The recorded series answer the same
// questions from one sample per idle GPU, per model, or per node.
import type { GpuMetric } from './queries.js';

export const RECORDED = {
  /** GPUs requested by running pods {namespace, resource, workspace?}: allocation from kube-state-metrics. */
  gpuRequested: 'namespace:gpu_requested:sum',
  /** Σ utilization ratio of the GPUs a namespace holds {namespace, workspace?}: "effective" GPUs. */
  gpuUtilized: 'namespace:dcgm_gpus_utilized:sum',
  /** One series per GPU or MIG instance {node, gpu, UUID, GPU_I_PROFILE, GPU_I_ID, modelName}. */
  gpuMemoryUsed: 'gpu:dcgm_fb_used_bytes:max',
  /** Each idle-allocated GPU with its holder {…device, namespace, pod, container}; value: max utilization. */
  idleAllocated: 'gpu_pod:dcgm_idle_allocated:max30m',
  /** GPUs requested by running pods per ML app and its creator {namespace, app_kind, app, creator?, resource}. */
  appGpuRequested: 'app:gpu_requested:sum',
  /** Σ utilization ratio of the GPUs an app's running pods hold {namespace, app_kind, app, creator?}. */
  appGpuUtilized: 'app:dcgm_gpus_utilized:sum',
} as const;

/** The idle definition of RECORDED.idleAllocated: held 30 minutes, utilization below 5 % throughout. */
export const RECORDED_IDLE = { windowSeconds: 1800, threshold: 0.05 } as const;

/** Evaluation interval of the rule group `gpu-monitoring.dcgm`: a chart over recorded series steps no finer. */
export const DCGM_RULES_INTERVAL_SECONDS = 30;

/** Counts per GPU model and MIG profile {modelName, GPU_I_PROFILE}: the whole cluster's summary. */
export const RECORDED_BY_MODEL = {
  devices: 'model:dcgm_gpus:count',
  allocated: 'model:dcgm_gpus_allocated:count',
  /** Utilization ≥ RECORDED_IDLE.threshold. */
  busy: 'model:dcgm_gpus_busy:count',
  idleAllocated: 'model:dcgm_gpus_idle_allocated:count',
} as const;

/**
 * Whole-cluster aggregates by level and metric: what the cluster charts, the nodes table and top nodes read. Values
 * in the units metricQuery() answers in (bytes, ratios), labelled `node` at node level and nothing at cluster level.
 */
export const RECORDED_BY_LEVEL: Readonly<Record<'cluster' | 'node', Partial<Record<GpuMetric, string>>>> = {
  cluster: { devices: 'cluster:dcgm_gpus:count', utilization: 'cluster:dcgm_utilization:avg' },
  node: {
    devices: 'node:dcgm_gpus:count',
    utilization: 'node:dcgm_utilization:avg',
    memoryUsedBytes: 'node:dcgm_fb_used_bytes:sum',
    memoryTotalBytes: 'node:dcgm_fb_total_bytes:sum',
    powerWatts: 'node:dcgm_power_watts:sum',
  },
};

/** Held and idle-allocated GPUs per node {node}: the nodes table for the whole cluster. */
export const RECORDED_NODE_COUNTS = {
  allocated: 'node:dcgm_gpus_allocated:count',
  idleAllocated: 'node:dcgm_gpus_idle_allocated:count',
} as const;
