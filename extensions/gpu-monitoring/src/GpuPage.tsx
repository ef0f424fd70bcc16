import React, { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { EmptyState, PageHeader, t } from '@ks-gpu-ml/ui';
import type { GpuMetricName } from '@ks-gpu-ml/contracts';
import { useGpus, usePageClock } from './api.js';
import { formatTime } from './format.js';
import { clusterLinks } from './links.js';
import {
  Controls,
  DEFAULT_TIME,
  Grid,
  HealthBadge,
  Loaded,
  MetricChart,
  Muted,
  Panel,
  Skeleton,
  Stack,
  UsageFigures,
} from './parts.js';
import { gpuName } from './shape.js';

const CHARTS: readonly GpuMetricName[] = ['utilization', 'memoryUsedBytes', 'powerWatts', 'temperatureC'];

/** One GPU (or MIG instance), by UUID in the path or `?uuid=`: its figures, holder, health and charts. */
export function GpuPage() {
  const params = useParams();
  const [search] = useSearchParams();
  const cluster = params.cluster ?? '';
  const uuid = params.uuid ?? search.get('uuid') ?? '';
  const [time, setTime] = useState(DEFAULT_TIME);
  const clock = usePageClock(time.refresh);
  const links = useMemo(() => clusterLinks(cluster), [cluster]);
  const where = useMemo(() => ({ scope: 'cluster' as const, cluster }), [cluster]);
  const cards = useGpus(cluster, { uuid }, clock.now);
  return (
    <div data-testid="gpu-card-page" style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-monitoring.gpu.title', { uuid })}
        breadcrumbs={[
          { label: t('ui.crumb.cluster', { cluster }), to: `/clusters/${cluster}/overview` },
          { label: t('gpu-monitoring.title'), to: links.home },
          { label: uuid },
        ]}
        actions={<Controls value={time} onChange={setTime} onRefresh={clock.refresh} />}
      />
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
                <Muted style={{ marginTop: 8 }}>
                  {t('gpu-monitoring.asOf', { time: formatTime(d.time) })}
                </Muted>
              </Panel>
              <Grid min={420}>
                {CHARTS.map((metric) => (
                  <Panel key={metric} title={t(`gpu-monitoring.metric.${metric}`)}>
                    <MetricChart
                      where={where}
                      metric={metric}
                      level="gpu"
                      range={time.range}
                      now={clock.now}
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
    </div>
  );
}
