// Rows of GPU use per workspace, project or workload container: devices, requests, utilization, memory, power
// and how many allocated GPUs sit idle.
import React from 'react';
import { Link } from 'react-router-dom';
import type { GpuUsageRow } from '@ks-gpu-ml/contracts';
import { t, type Column } from '@ks-gpu-ml/ui';
import { formatCount } from '../format.js';
import type { Links } from '../links.js';
import { figureColumns, numberColumn, PagedTable, projectColumn, workspaceColumn } from './columns.js';
import { utilizationText } from './Figure.js';

type UsageKind = 'workspace' | 'namespace' | 'workload';

/** The columns that name a row: its workspace, its project and workspace, or its pod and container. */
function nameColumns(kind: UsageKind, links: Partial<Links>): Column<GpuUsageRow>[] {
  if (kind === 'workspace')
    return [{ key: 'workspace', title: t('gpu-monitoring.col.workspace'), sortValue: (r) => r.workspace }];
  if (kind === 'namespace') return [projectColumn(links), workspaceColumn()];
  return [
    {
      key: 'pod',
      title: t('gpu-monitoring.col.pod'),
      sortValue: (r) => r.pod,
      render: (r) =>
        r.pod && r.namespace && links.workload ? (
          <Link to={links.workload(r.namespace, r.pod)}>{r.pod}</Link>
        ) : (
          r.pod
        ),
    },
    { key: 'container', title: t('gpu-monitoring.col.container'), sortValue: (r) => r.container },
  ];
}

export function UsageTable({
  rows,
  kind,
  links = {},
}: {
  rows: readonly GpuUsageRow[];
  kind: UsageKind;
  links?: Partial<Links>;
}) {
  const columns: Column<GpuUsageRow>[] = [
    ...nameColumns(kind, links),
    numberColumn('devices', t('gpu-monitoring.col.devices'), (r) => r.devices, formatCount),
    {
      key: 'requested',
      title: t('gpu-monitoring.col.requested'),
      render: (r) =>
        Object.entries(r.requested ?? {})
          .map(([res, n]) => `${res}: ${formatCount(n)}`)
          .join(', ') || '—',
    },
    numberColumn<GpuUsageRow>(
      'utilization',
      t('gpu-monitoring.col.utilization'),
      (r) => (r.shared ? r.sharedUtilization : r.utilization),
      (_v, r) => utilizationText(r),
    ),
    ...figureColumns<GpuUsageRow>('memoryUsed', 'power'),
    numberColumn('idle', t('gpu-monitoring.col.idleAllocated'), (r) => r.idleAllocated, formatCount),
  ];
  return (
    <PagedTable<GpuUsageRow>
      testId={`usage-table-${kind}`}
      columns={columns}
      rows={rows}
      rowKey={(r) => [r.workspace, r.namespace, r.pod, r.container].join('|')}
      searchText={(r) => [r.workspace, r.namespace, r.pod, r.container].filter(Boolean).join(' ')}
      initialSort={{ key: 'devices', direction: 'desc' }}
      emptyTitle={t('gpu-monitoring.noUsage')}
    />
  );
}
