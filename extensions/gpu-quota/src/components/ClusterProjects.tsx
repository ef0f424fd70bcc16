import React from 'react';
import type { ClusterQuotaView } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';
import { rowKey } from '../rows.js';
import { projectColumn } from './projectColumn.js';

type Project = ClusterQuotaView['projects'][number];

const total = (p: Project, k: 'base' | 'max' | 'used' | 'pending') => p.rows.reduce((s, r) => s + r[k], 0);

/** Every project with a GPU quota; choosing one opens its GPU quota page. */
export function ClusterProjects({
  projects,
  cluster,
}: {
  projects: ClusterQuotaView['projects'];
  cluster: string;
}) {
  return (
    <DataTable<Project>
      columns={[
        projectColumn<Project>((p) =>
          p.workspace
            ? `/workspaces/${p.workspace}/gpu-quota/projects/${p.namespace}`
            : `/clusters/${cluster}/gpu-quota/projects/${p.namespace}`,
        ),
        { key: 'workspace', title: t('gpu-quota.col.workspace'), sortValue: (p) => p.workspace ?? '' },
        {
          key: 'rows',
          title: t('gpu-quota.cluster.projectRows'),
          render: (p) =>
            p.rows
              .map(
                (r) =>
                  `${rowKey(r)}: ${t('gpu-quota.cluster.projectRow', { base: r.base, max: r.max, used: r.used })}`,
              )
              .join('; '),
        },
        {
          key: 'used',
          title: t('gpu-quota.cluster.used'),
          render: (p) => String(total(p, 'used')),
          sortValue: (p) => total(p, 'used'),
        },
        {
          key: 'pending',
          title: t('gpu-quota.cluster.pending'),
          render: (p) => String(total(p, 'pending')),
          sortValue: (p) => total(p, 'pending'),
        },
      ]}
      rows={projects}
      rowKey={(p) => p.namespace}
      searchText={(p) => `${p.namespace} ${p.workspace ?? ''}`}
      initialSort={{ key: 'used', direction: 'desc' }}
      emptyTitle={t('gpu-quota.cluster.noProjects')}
    />
  );
}
