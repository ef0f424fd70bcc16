import React from 'react';
import { useParams } from 'react-router-dom';
import { t } from '@ks-gpu-ml/ui';
import { useNode } from '../api.js';
import { gpuCrumbs, PageBody, PageFrame, useClusterScope, usePageTime } from './page.js';
import { CountFigure, UsageFigures } from '../components/Figure.js';
import { GpuTable } from '../components/GpuTable.js';
import { AsOf, Grid, Panel } from '../components/layout.js';
import { MetricPanel } from '../components/MetricChart.js';

/** One GPU node: its figures, its GPU cards with health, and its GPUs over time. */
export function NodePage() {
  const { cluster = '', node = '' } = useParams();
  const time = usePageTime();
  const { links, where } = useClusterScope(cluster);
  const detail = useNode(cluster, node, time.now);
  return (
    <PageFrame
      testId="gpu-node-page"
      title={t('gpu-monitoring.node.title', { node })}
      crumbs={gpuCrumbs({ cluster }, { label: node })}
      actions={time.controls}
    >
      <PageBody query={detail} cards={6}>
        {(d) => (
          <>
            <UsageFigures row={d.node} />
            <Grid>
              <CountFigure
                id="allocated"
                label={t('gpu-monitoring.summary.allocated')}
                count={d.node.allocated}
              />
              <CountFigure
                id="idleAllocated"
                label={t('gpu-monitoring.summary.idleAllocated')}
                count={d.node.idleAllocated}
                tone="#f5a623"
              />
              <CountFigure
                id="xid"
                label={t('gpu-monitoring.col.xid')}
                count={d.node.xidDevices}
                tone={d.node.xidDevices > 0 ? '#ca2621' : '#55bc8a'}
              />
            </Grid>
            <AsOf time={d.time} />
            <MetricPanel
              title={t('gpu-monitoring.chart.perGpu')}
              where={where}
              level="gpu"
              time={time}
              filter={{ node }}
            />
            <Panel title={t('gpu-monitoring.gpusTitle')}>
              <GpuTable cards={d.gpus} links={links} showNode={false} />
            </Panel>
          </>
        )}
      </PageBody>
    </PageFrame>
  );
}
