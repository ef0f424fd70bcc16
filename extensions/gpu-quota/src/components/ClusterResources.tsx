import React from 'react';
import type { ClusterQuotaView } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';
import { rowKey } from '../rows.js';

type Resource = ClusterQuotaView['resources'][number];

const Warn = ({ on, children }: { on: boolean; children: React.ReactNode }) => (
  <span style={on ? { color: '#ca2621', fontWeight: 600 } : undefined}>{children}</span>
);

/** Per resource and model: capacity, Σbase, Σmax, use, over-commitment and the top consumers. */
export function ClusterResources({ resources }: { resources: ClusterQuotaView['resources'] }) {
  return (
    <DataTable<Resource>
      columns={[
        { key: 'resource', title: t('gpu-quota.col.resource'), render: rowKey, sortValue: rowKey },
        {
          key: 'capacity',
          title: t('gpu-quota.cluster.capacity'),
          render: (r) =>
            r.physicalDevices !== undefined
              ? t('gpu-quota.cluster.capacityPhysical', { value: r.allocatable, devices: r.physicalDevices })
              : String(r.allocatable),
          sortValue: (r) => r.allocatable,
        },
        {
          key: 'sumBase',
          title: t('gpu-quota.cluster.sumBase'),
          render: (r) => (
            <span data-testid="sum-base" data-overcommitted={r.overcommitted}>
              <Warn on={r.overcommitted}>{r.sumBase}</Warn>
              {r.overcommitted && ` ${t('gpu-quota.cluster.overcommitted')}`}
            </span>
          ),
          sortValue: (r) => r.sumBase,
        },
        { key: 'sumMax', title: t('gpu-quota.cluster.sumMax'), sortValue: (r) => r.sumMax },
        { key: 'used', title: t('gpu-quota.cluster.used'), sortValue: (r) => r.used },
        { key: 'pending', title: t('gpu-quota.cluster.pending'), sortValue: (r) => r.pending },
        { key: 'projects', title: t('gpu-quota.cluster.projects'), sortValue: (r) => r.projects },
        {
          key: 'top',
          title: t('gpu-quota.cluster.topConsumers'),
          render: (r) =>
            r.topConsumers.length === 0
              ? '—'
              : r.topConsumers
                  .slice(0, 3)
                  .map((c) =>
                    c.max !== undefined
                      ? t('gpu-quota.cluster.consumerMax', {
                          namespace: c.namespace,
                          used: c.used,
                          max: c.max,
                        })
                      : t('gpu-quota.cluster.consumer', { namespace: c.namespace, used: c.used }),
                  )
                  .join(', '),
        },
      ]}
      rows={resources}
      rowKey={rowKey}
      initialSort={{ key: 'resource', direction: 'asc' }}
      emptyTitle={t('gpu-quota.cluster.noResources')}
    />
  );
}
