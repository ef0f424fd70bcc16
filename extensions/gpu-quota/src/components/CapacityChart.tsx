import React, { useMemo } from 'react';
import { BarChart } from '@kubed/charts';
import type { ClusterQuotaView } from '@ks-gpu-ml/contracts';
import { EmptyState, t } from '@ks-gpu-ml/ui';
import { capacityByUnit } from '../capacity-data.js';
import { rowKey } from '../rows.js';

const UNIT_KEYS: Record<string, string> = {
  device: 'gpu-quota.cluster.unitDevice',
  MiB: 'gpu-quota.cluster.unitMiB',
  percent: 'gpu-quota.cluster.unitPercent',
};

/**
 * Allocatable capacity vs Σbase vs Σmax (and use) per resource and model, as bars: one chart per unit, so
 * that devices, MiB of GPU memory and percent of GPU cores each get an axis of their own.
 */
export function CapacityChart({ resources }: { resources: ClusterQuotaView['resources'] }) {
  const names = {
    capacity: t('gpu-quota.cluster.capacity'),
    sumBase: t('gpu-quota.cluster.sumBase'),
    sumMax: t('gpu-quota.cluster.sumMax'),
    used: t('gpu-quota.cluster.used'),
  };
  const groups = useMemo(
    () => capacityByUnit(resources, names, rowKey),
    [resources, names.capacity, names.sumBase, names.sumMax, names.used],
  );
  if (groups.length === 0) return <EmptyState title={t('gpu-quota.cluster.noResources')} />;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      {groups.map((g) => (
        <div key={g.unit} data-testid="capacity-chart" data-unit={g.unit}>
          <div style={{ fontSize: 12, fontWeight: 600, marginBottom: 4 }}>
            {UNIT_KEYS[g.unit] ? t(UNIT_KEYS[g.unit]!) : t('gpu-quota.cluster.unitOther', { unit: g.unit })}
          </div>
          <div style={{ height: 240 }}>
            <BarChart
              data={g.bars}
              dataKey="label"
              categories={[names.capacity, names.sumBase, names.sumMax, names.used]}
              showLegend
            />
          </div>
        </div>
      ))}
    </div>
  );
}
