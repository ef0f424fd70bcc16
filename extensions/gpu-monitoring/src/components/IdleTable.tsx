// GPUs allocated to a pod but idle: which GPU, whose workspace and project, and the pod that holds it.
import React from 'react';
import { Link } from 'react-router-dom';
import type { IdleGpu } from '@ks-gpu-ml/contracts';
import { t, type Column } from '@ks-gpu-ml/ui';
import type { Links } from '../links.js';
import { gpuName } from '../shape.js';
import { gpuColumn, modelColumn, PagedTable, projectColumn, workspaceColumn } from './columns.js';

export function IdleTable({ items, links = {} }: { items: readonly IdleGpu[]; links?: Partial<Links> }) {
  const columns: Column<IdleGpu>[] = [
    gpuColumn(links),
    modelColumn(),
    workspaceColumn(),
    projectColumn(links),
    {
      key: 'pod',
      title: t('gpu-monitoring.col.pod'),
      sortValue: (g) => g.pod,
      render: (g) => (
        <span data-testid="idle-holder">
          {links.workload ? <Link to={links.workload(g.namespace, g.pod)}>{g.pod}</Link> : g.pod}
          {g.container ? ` (${g.container})` : ''}
        </span>
      ),
    },
  ];
  return (
    <PagedTable<IdleGpu>
      testId="idle-table"
      columns={columns}
      rows={items}
      rowKey={(g) => `${g.uuid}|${g.migInstance ?? ''}|${g.pod}`}
      searchText={(g) => `${gpuName(g)} ${g.model} ${g.namespace} ${g.pod} ${g.workspace ?? ''}`}
      initialSort={{ key: 'namespace', direction: 'asc' }}
      emptyTitle={t('gpu-monitoring.noIdle')}
    />
  );
}
