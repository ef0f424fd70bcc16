// Live GPU utilisation and memory of a notebook's or job's pods (issue 16): gpu-monitoring's project view, whose
// rows are per workload container, joined here by pod name. Read only where gpu-monitoring is installed and the
// caller may read the project's GPU figures (ADR 0020); elsewhere the column says nothing rather than failing.
import React from 'react';
import { gpuMonitoringRoutes, type GpuUsageRow } from '@ks-gpu-ml/contracts';
import {
  humanQuantity,
  installedExtensions,
  layoutPath,
  t,
  useCallerMay,
  useRoute,
  type Column,
} from '@ks-gpu-ml/ui';
import { Link, useParams } from 'react-router-dom';
import { ML_IDS } from '../test-ids.js';
import type { SectionScope } from './ProjectSection.js';

/** What an app's GPUs do now. */
export interface GpuUse {
  devices: number;
  /** 0-1, device-weighted over the GPUs with a figure of their own; absent when none has one. */
  utilization?: number;
  /** Some GPU is shared (HAMi, time-slicing) without a per-container figure: its device figure is not the app's. */
  sharedUnknown: boolean;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
}

const add = (a: number | undefined, b: number | undefined) => (b === undefined ? a : (a ?? 0) + b);

/** The figures of the rows of `pods`, summed (memory) and device-weighted (utilization); undefined without any. Pure. */
export function gpuUseOf(rows: readonly GpuUsageRow[], pods: readonly string[]): GpuUse | undefined {
  const mine = rows.filter((r) => r.pod !== undefined && pods.includes(r.pod) && r.devices > 0);
  if (mine.length === 0) return undefined;
  let devices = 0;
  let weighted = 0;
  let weighedDevices = 0;
  let sharedUnknown = false;
  let memoryUsedBytes: number | undefined;
  let memoryTotalBytes: number | undefined;
  for (const row of mine) {
    devices += row.devices;
    const ratio = row.shared ? row.sharedUtilization : row.utilization;
    if (ratio !== undefined) {
      weighted += ratio * row.devices;
      weighedDevices += row.devices;
    } else if (row.shared) sharedUnknown = true;
    memoryUsedBytes = add(memoryUsedBytes, row.memoryUsedBytes);
    memoryTotalBytes = add(memoryTotalBytes, row.memoryTotalBytes);
  }
  return {
    devices,
    ...(weighedDevices > 0 ? { utilization: weighted / weighedDevices } : {}),
    sharedUnknown,
    ...(memoryUsedBytes !== undefined ? { memoryUsedBytes } : {}),
    ...(memoryTotalBytes !== undefined ? { memoryTotalBytes } : {}),
  };
}

/**
 * "37% · 12 Gi / 80 Gi" ("37% · 12 Gi used" without the total); "-" for what is unknown. Pure. Joined outside t():
 * the console's i18next escapes interpolated values for HTML, which would show the slash as "&#x2F;".
 */
export function gpuUseText(use: GpuUse | undefined): string {
  if (!use) return '-';
  const utilization =
    use.utilization !== undefined
      ? `${Math.round(use.utilization * 100)}%`
      : use.sharedUnknown
        ? t('ml-apps.gpuUse.shared')
        : '-';
  const used = use.memoryUsedBytes;
  const memory =
    used === undefined
      ? '-'
      : use.memoryTotalBytes !== undefined
        ? `${humanQuantity('memory', used)} / ${humanQuantity('memory', use.memoryTotalBytes)}`
        : `${humanQuantity('memory', used)} ${t('ml-apps.gpuUse.memoryUsed')}`;
  return `${utilization} · ${memory}`;
}

export interface ProjectGpuUse {
  rows: readonly GpuUsageRow[] | undefined;
  /** gpu-monitoring's page of one pod (its GPUs, figures and series). */
  podPage: (pod: string) => string;
}

/** The project's per-pod GPU figures, refreshed every 15 s; undefined where they cannot be read. */
export function useProjectGpuUse({ namespace, cluster }: SectionScope): ProjectGpuUse | undefined {
  const { workspace } = useParams();
  const installed = installedExtensions().has('gpu-monitoring');
  const may = useCallerMay(
    gpuMonitoringRoutes.getProjectUsage,
    installed ? { scope: 'namespace', scopeName: namespace, cluster } : null,
  );
  const usage = useRoute(
    gpuMonitoringRoutes.getProjectUsage,
    may ? { params: { namespace }, cluster } : null,
    { refetchInterval: 15_000 },
  );
  if (!may) return undefined;
  return {
    rows: usage.data?.rows,
    podPage: (pod) =>
      `${layoutPath({ workspace, cluster })}/gpu-monitoring/projects/${encodeURIComponent(namespace)}/workloads/${encodeURIComponent(pod)}`,
  };
}

/** The "GPU use" column: utilisation and memory of the app's pods, linking to gpu-monitoring's page of its first. */
export const gpuUseColumn = <T,>(use: ProjectGpuUse, podsOf: (x: T) => readonly string[]): Column<T> => ({
  key: 'gpuUse',
  title: t('ml-apps.column.gpuUse'),
  render: (x) => {
    const pods = podsOf(x);
    const figures = use.rows && gpuUseOf(use.rows, pods);
    const text = gpuUseText(figures);
    return figures && pods[0] ? (
      <Link to={use.podPage(pods[0])} data-testid={ML_IDS.gpuUse}>
        {text}
      </Link>
    ) : (
      <span data-testid={ML_IDS.gpuUse}>{text}</span>
    );
  },
  sortValue: (x) => (use.rows && gpuUseOf(use.rows, podsOf(x))?.utilization) ?? -1,
});
