// A serving pod's live GPU figures inside the serving detail: utilisation and memory per container, read from
// gpu-monitoring's own per-workload answer (the route its workload page reads, from dcgm-exporter through
// Prometheus) — not copied into ml-apps' backend. Rendered only where gpu-monitoring is installed and the caller
// may read it (ADR 0020); loaded again every 30 s while the detail is open, as Prometheus scrapes.
import React from 'react';
import { gpuMonitoringRoutes, type GpuWorkloadUsage } from '@ks-gpu-ml/contracts';
import { t, useRoute } from '@ks-gpu-ml/ui';
import { SERVING_IDS } from '../serving-ids.js';

const REFRESH_MS = 30_000;
const NO_DATA = '—';

const percent = (ratio: number | undefined) =>
  ratio === undefined || !Number.isFinite(ratio) ? NO_DATA : `${Number((ratio * 100).toFixed(1))}%`;

const gib = (bytes: number | undefined) =>
  bytes === undefined || !Number.isFinite(bytes) ? NO_DATA : `${Number((bytes / 2 ** 30).toFixed(1))} GiB`;

type Row = GpuWorkloadUsage['containers'][number];

/** One container's line: a shared GPU's own share where HAMi reports it (the device's figure is not its own). */
export const containerFigures = (row: Row): string =>
  t('ml-apps.serving.podGpuFigures', {
    container: row.container ?? '-',
    devices: row.devices,
    utilization: percent(row.shared ? row.sharedUtilization : row.utilization),
    // A workload row may lack the device's total (a shared or MIG device): the used amount alone then.
    memory:
      row.memoryTotalBytes === undefined
        ? gib(row.memoryUsedBytes)
        : `${gib(row.memoryUsedBytes)} / ${gib(row.memoryTotalBytes)}`,
  });

export function PodGpuFigures(props: { namespace: string; pod: string; cluster?: string }) {
  const usage = useRoute(
    gpuMonitoringRoutes.getWorkloadUsage,
    { params: { namespace: props.namespace, name: props.pod }, cluster: props.cluster },
    { refetchInterval: REFRESH_MS, keepPreviousData: true },
  );
  const rows = (usage.data?.containers ?? []).filter((r) => r.devices > 0);
  return (
    <span data-testid={SERVING_IDS.podGpuLive}>
      {usage.error
        ? t('ml-apps.serving.podGpuUnavailable')
        : !usage.data
          ? '…'
          : rows.length === 0
            ? t('ml-apps.serving.podGpuNone')
            : rows.map(containerFigures).join('; ')}
    </span>
  );
}
