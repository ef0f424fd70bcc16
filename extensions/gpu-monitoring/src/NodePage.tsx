import React, { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, t } from '@ks-gpu-ml/ui';
import { useNode, usePageClock } from './api.js';
import { formatCount, formatTime } from './format.js';
import { clusterLinks } from './links.js';
import {
  Controls,
  DEFAULT_TIME,
  Figure,
  GpuTable,
  Grid,
  Loaded,
  MetricPanel,
  Muted,
  Panel,
  Skeleton,
  Stack,
  UsageFigures,
} from './parts.js';

/** One GPU node: its figures, its GPU cards with health, and its GPUs over time. */
export function NodePage() {
  const { cluster = '', node = '' } = useParams();
  const [time, setTime] = useState(DEFAULT_TIME);
  const clock = usePageClock(time.refresh);
  const links = useMemo(() => clusterLinks(cluster), [cluster]);
  const where = useMemo(() => ({ scope: 'cluster' as const, cluster }), [cluster]);
  const detail = useNode(cluster, node, clock.now);
  return (
    <div data-testid="gpu-node-page" style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-monitoring.node.title', { node })}
        breadcrumbs={[
          { label: t('ui.crumb.cluster', { cluster }), to: `/clusters/${cluster}/overview` },
          { label: t('gpu-monitoring.title'), to: links.home },
          { label: node },
        ]}
        actions={<Controls value={time} onChange={setTime} onRefresh={clock.refresh} />}
      />
      <Loaded query={detail} skeleton={<Skeleton cards={6} />}>
        {(d) => (
          <Stack>
            <UsageFigures row={d.node} />
            <Grid>
              <Figure
                id="allocated"
                label={t('gpu-monitoring.summary.allocated')}
                text={formatCount(d.node.allocated)}
                value={d.node.allocated}
              />
              <Figure
                id="idleAllocated"
                label={t('gpu-monitoring.summary.idleAllocated')}
                text={formatCount(d.node.idleAllocated)}
                value={d.node.idleAllocated}
                tone="#f5a623"
              />
              <Figure
                id="xid"
                label={t('gpu-monitoring.col.xid')}
                text={formatCount(d.node.xidDevices)}
                value={d.node.xidDevices}
                tone={d.node.xidDevices > 0 ? '#ca2621' : '#55bc8a'}
              />
            </Grid>
            <Muted>{t('gpu-monitoring.asOf', { time: formatTime(d.time) })}</Muted>
            <MetricPanel
              title={t('gpu-monitoring.chart.perGpu')}
              where={where}
              level="gpu"
              range={time.range}
              now={clock.now}
              filter={{ node }}
            />
            <Panel title={t('gpu-monitoring.gpusTitle')}>
              <GpuTable cards={d.gpus} links={links} showNode={false} />
            </Panel>
          </Stack>
        )}
      </Loaded>
    </div>
  );
}
