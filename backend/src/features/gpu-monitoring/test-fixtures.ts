// Shared fixtures for this feature's unit tests: Prometheus samples and the two label schemes.
import { DEFAULT_SCHEME, type LabelScheme } from './labels.js';
import type { Sample } from './samples.js';

export const PLAIN: LabelScheme = { ...DEFAULT_SCHEME, dcgmSeen: true };
/** Operator scrape with honorLabels: false, and dcgm-exporter after PR #655. */
export const EXPORTED: LabelScheme = { ...PLAIN, hostLabel: 'hostname', workload: 'exported' };

/** An instant sample. */
export const s = (metric: Record<string, string>, value: number | string): Sample => ({
  metric,
  value: [1_700_000_000, String(value)],
});

/** Device labels of one GPU under the default scheme. */
export const gpu = (node: string, index: string, extra: Record<string, string> = {}) => ({
  Hostname: node,
  gpu: index,
  UUID: `GPU-${node}-${index}`,
  modelName: 'NVIDIA A100-SXM4-80GB',
  ...extra,
});
