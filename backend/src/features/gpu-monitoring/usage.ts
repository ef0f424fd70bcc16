// Usage rows (per workspace, per project, per workload container) from the view queries of queries.ts. The dcgm
// columns carry the scheme's workload labels (exported_* under an Operator scrape); the kube-state-metrics
// `requested` column carries plain namespace/pod labels: both are read back to the same key here. Pure.
import type { GpuUsageRow } from '@ks-gpu-ml/contracts';
import { canonicalLabels, type LabelScheme } from './labels.js';
import { byName, resourceName, valueOf, valuesBy, type Sample } from './samples.js';

export type UsageGroup = 'workspace' | 'namespace' | 'workload';

export interface UsageColumns {
  devices: readonly Sample[];
  utilization?: readonly Sample[];
  tensorActive?: readonly Sample[];
  memoryUsedBytes?: readonly Sample[];
  powerWatts?: readonly Sample[];
  /** Idle-allocated GPUs per group (a count: 0 when absent). */
  idleAllocated?: readonly Sample[];
  /** kube-state-metrics requests per group and resource (plain labels). */
  requested?: readonly Sample[];
  /** Workload rows only: holders of devices more than one pod holds (scheme labels). */
  sharedOnDevice?: readonly Sample[];
  /** Workload rows only: GPU requests on nodes that share GPUs, HAMi or time-slicing (plain labels). */
  sharedOnNode?: readonly Sample[];
  /** Workload rows only: HAMi's own per-container utilization, 0–1 (plain labels). */
  hamiUtilization?: readonly Sample[];
}

/** Figures a shared GPU reports for the whole device, which would be read as the pod's own. */
const DEVICE_LEVEL = ['utilization', 'tensorActive'] as const;

type Key = Pick<GpuUsageRow, 'workspace' | 'namespace' | 'pod' | 'container'>;
const OPTIONAL = ['utilization', 'tensorActive', 'memoryUsedBytes', 'powerWatts'] as const;

function keyOf(group: UsageGroup, scheme: LabelScheme, metric: Record<string, string>, plain: boolean): Key {
  if (group === 'workspace') return metric.workspace ? { workspace: metric.workspace } : {};
  const c = plain
    ? { namespace: metric.namespace, pod: metric.pod, container: metric.container }
    : canonicalLabels(scheme, metric);
  if (group === 'namespace') return c.namespace ? { namespace: c.namespace } : {};
  return {
    ...(c.namespace ? { namespace: c.namespace } : {}),
    ...(c.pod ? { pod: c.pod } : {}),
    ...(c.container ? { container: c.container } : {}),
  };
}

const keyText = (k: Key): string =>
  [k.workspace, k.namespace, k.pod, k.container].map((v) => v ?? '').join('\u0000');

/** One row per group that holds GPUs or requests them; `workspaceOf` fills in a project's workspace. */
export function assembleUsageRows(
  scheme: LabelScheme,
  group: UsageGroup,
  columns: UsageColumns,
  workspaceOf: ReadonlyMap<string, string> = new Map(),
): GpuUsageRow[] {
  const keys = new Map<string, Key>();
  const dcgmKey = (m: Record<string, string>) => {
    const k = keyOf(group, scheme, m, false);
    const text = keyText(k);
    if (!keys.has(text)) keys.set(text, k);
    return text;
  };
  const devices = valuesBy(columns.devices, dcgmKey);
  const figures = OPTIONAL.map((f) => [f, valuesBy(columns[f] ?? [], dcgmKey)] as const);
  const idle = valuesBy(columns.idleAllocated ?? [], dcgmKey);
  const requested = new Map<string, Record<string, number>>();
  for (const s of columns.requested ?? []) {
    const k = keyOf(group, scheme, s.metric, true);
    const text = keyText(k);
    if (!keys.has(text)) keys.set(text, k);
    const byResource = requested.get(text) ?? {};
    const resource = resourceName(s.metric.resource ?? '');
    byResource[resource] = (byResource[resource] ?? 0) + (valueOf(s) ?? 0);
    requested.set(text, byResource);
  }
  const shared = new Set([
    ...valuesBy(columns.sharedOnDevice ?? [], dcgmKey).keys(),
    ...valuesBy(columns.sharedOnNode ?? [], (m) => keyText(keyOf(group, scheme, m, true))).keys(),
  ]);
  const hamiUtilization = valuesBy(columns.hamiUtilization ?? [], (m) =>
    keyText(keyOf(group, scheme, m, true)),
  );
  const rows: GpuUsageRow[] = [];
  for (const [text, key] of keys) {
    if (text === keyText({})) continue; // series outside any group (e.g. namespaces without a workspace)
    const workspace = key.workspace ?? (key.namespace ? workspaceOf.get(key.namespace) : undefined);
    const row: GpuUsageRow = { ...key, ...(workspace ? { workspace } : {}), devices: devices.get(text) ?? 0 };
    for (const [f, values] of figures) {
      const v = values.get(text);
      if (v !== undefined) row[f] = v;
    }
    if (columns.idleAllocated) row.idleAllocated = idle.get(text) ?? 0;
    if (columns.requested) row.requested = requested.get(text) ?? {};
    if (shared.has(text)) markShared(row, hamiUtilization.get(text));
    rows.push(row);
  }
  return rows.sort(
    (a, b) =>
      byName(a.workspace ?? '', b.workspace ?? '') ||
      byName(a.namespace ?? '', b.namespace ?? '') ||
      byName(a.pod ?? '', b.pod ?? '') ||
      byName(a.container ?? '', b.container ?? ''),
  );
}

/**
 * A row holding a shared GPU: dcgm-exporter's utilization is the device's, so it is left out (the console says
 * "shared"), and HAMi's own figure for the container takes its place where HAMi reports one (ADR 0015).
 */
export function markShared(row: GpuUsageRow, hamiUtilization: number | undefined): void {
  row.shared = true;
  for (const f of DEVICE_LEVEL) delete row[f];
  if (hamiUtilization !== undefined) row.sharedUtilization = hamiUtilization;
}

/**
 * A scope's totals row from scope-wide (level `cluster`) columns: one sample each, or none. `requested` is
 * by resource; idle GPUs are counted from the idle list the page shows.
 */
export function assembleTotals(
  columns: Pick<UsageColumns, 'devices' | 'utilization' | 'memoryUsedBytes' | 'powerWatts'> & {
    requested: readonly Sample[];
  },
  idleCount: number,
  key: Pick<GpuUsageRow, 'workspace' | 'namespace'>,
): GpuUsageRow {
  const first = (samples: readonly Sample[] | undefined) => (samples?.[0] ? valueOf(samples[0]) : undefined);
  const totals: GpuUsageRow = { ...key, devices: first(columns.devices) ?? 0 };
  for (const f of ['utilization', 'memoryUsedBytes', 'powerWatts'] as const) {
    const v = first(columns[f]);
    if (v !== undefined) totals[f] = v;
  }
  totals.idleAllocated = idleCount;
  const requested: Record<string, number> = {};
  for (const s of columns.requested) {
    const resource = resourceName(s.metric.resource ?? '');
    requested[resource] = (requested[resource] ?? 0) + (valueOf(s) ?? 0);
  }
  totals.requested = requested;
  return totals;
}
