import React, { useMemo } from 'react';
import { BarChart } from '@kubed/charts';
import type { ClusterQuotaView } from '@ks-gpu-ml/contracts';
import { EmptyState, t } from '@ks-gpu-ml/ui';
import { rowKey } from './rows.js';

/** Allocatable capacity vs Σbase vs Σmax (and use) per resource and model, as bars. */
export function CapacityChart({ resources }: { resources: ClusterQuotaView['resources'] }) {
  const names = {
    capacity: t('gpu-quota.cluster.capacity'),
    sumBase: t('gpu-quota.cluster.sumBase'),
    sumMax: t('gpu-quota.cluster.sumMax'),
    used: t('gpu-quota.cluster.used'),
  };
  const data = useMemo(
    () =>
      resources.map((r) => ({
        label: rowKey(r),
        [names.capacity]: r.allocatable,
        [names.sumBase]: r.sumBase,
        [names.sumMax]: r.sumMax,
        [names.used]: r.used,
      })),
    [resources, names.capacity, names.sumBase, names.sumMax, names.used],
  );
  if (data.length === 0) return <EmptyState title={t('gpu-quota.cluster.noResources')} />;
  return (
    <div style={{ height: 260 }} data-testid="capacity-chart">
      <BarChart
        data={data}
        dataKey="label"
        categories={[names.capacity, names.sumBase, names.sumMax, names.used]}
        showLegend
      />
    </div>
  );
}
