import React from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { EmptyState, t } from '@ks-gpu-ml/ui';
import type { GpuMetricName } from '@ks-gpu-ml/contracts';
import { useGpus } from '../api.js';
import { gpuCrumbs, PageFrame, useClusterScope, usePageTime } from './page.js';
import { UsageFigures } from '../components/Figure.js';
import { HealthBadge } from '../components/HealthBadge.js';
import { AsOf, Grid, Panel, Stack } from '../components/layout.js';
import { Loaded, Skeleton } from '../components/Loaded.js';
import { MetricChart } from '../components/MetricChart.js';
import { gpuName } from '../shape.js';

const CHARTS: readonly GpuMetricName[] = ['utilization', 'memoryUsedBytes', 'powerWatts', 'temperatureC'];

/** One GPU (or MIG instance), by UUID in the path or `?uuid=`: its figures, holder, health and charts. */
export function GpuPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const cluster = params.cluster ?? '';
  const uuid = params.uuid ?? search.get('uuid') ?? '';
  const time = usePageTime();
  const { links, where } = useClusterScope(cluster);
  const cards = useGpus(cluster, { uuid }, time.now);
  return (
    <PageFrame
      testId="gpu-card-page"
      title={t('gpu-monitoring.gpu.title', { uuid })}
      crumbs={gpuCrumbs({ cluster }, { label: uuid })}
      actions={time.controls}
    >
      <Loaded query={cards} skeleton={<Skeleton cards={6} />}>
        {(d) => {
          const card = d.items[0];
          if (!card) return <EmptyState title={t('gpu-monitoring.gpu.notFound', { uuid })} />;
          return (
            <Stack>
              <Panel title={gpuName(card)} extra={<HealthBadge card={card} />}>
                <div style={{ display: 'flex', gap: 24, flexWrap: 'wrap', marginBottom: 12 }}>
                  <span>
                    {t('gpu-monitoring.col.model')}: <strong>{card.model}</strong>
                  </span>
                  <span>
                    {t('gpu-monitoring.col.node')}: <Link to={links.node!(card.node)}>{card.node}</Link>
                  </span>
                  <span>
                    {t('gpu-monitoring.col.holder')}:{' '}
                    {card.holders.length === 0
                      ? t('gpu-monitoring.free')
                      : card.holders.map((h, i) => (
                          <Link key={i} to={links.workload!(h.namespace, h.pod)} style={{ marginRight: 8 }}>
                            {h.namespace}/{h.pod}
                            {h.container ? ` (${h.container})` : ''}
                          </Link>
                        ))}
                  </span>
                  {card.xid && (
                    <span style={{ color: '#ca2621' }}>
                      XID {card.xid.code}: {card.xid.message}
                    </span>
                  )}
                </div>
                <UsageFigures row={card} />
                <AsOf time={d.time} style={{ marginTop: 8 }} />
              </Panel>
              <Grid min={420}>
                {CHARTS.map((metric) => (
                  <Panel key={metric} title={t(`gpu-monitoring.metric.${metric}`)}>
                    <MetricChart
                      where={where}
                      metric={metric}
                      level="gpu"
                      time={time}
                      filter={{ uuid }}
                      height={200}
                    />
                  </Panel>
                ))}
              </Grid>
            </Stack>
          );
        }}
      </Loaded>
    </PageFrame>
  );
}
