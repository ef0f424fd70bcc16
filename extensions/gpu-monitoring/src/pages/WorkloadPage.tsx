import React, { useMemo } from 'react';
import { useParams } from 'react-router-dom';
import { t } from '@ks-gpu-ml/ui';
import { useWorkload } from '../api.js';
import { linksFor } from '../links.js';
import { PageBody, PageFrame, projectWhere, useGpuCrumbs, usePageTime } from './page.js';
import { HeldGpusPanel } from '../components/GpuTable.js';
import { AsOf, Panel } from '../components/layout.js';
import { MetricPanel } from '../components/MetricChart.js';
import { UsageTable } from '../components/UsageTable.js';

/**
 * One pod's GPUs: per container, the GPU cards it holds and its use over time. KubeSphere 4.1 gives extensions no
 * tab on its pod detail page (see README), so this page stands in for a "GPU" tab, linked from the project page.
 */
export function WorkloadPage() {
  const { cluster, workspace, namespace = '', pod = '' } = useParams();
  const time = usePageTime();
  const links = useMemo(() => linksFor({ cluster, workspace }), [cluster, workspace]);
  const where = useMemo(() => projectWhere(namespace, cluster), [namespace, cluster]);
  const usage = useWorkload(namespace, pod, cluster, time.now);
  const crumbs = useGpuCrumbs(
    { cluster, workspace },
    { label: namespace, to: links.project!(namespace) },
    { label: pod },
  );
  return (
    <PageFrame
      testId="gpu-workload-page"
      title={t('gpu-monitoring.workload.title', { pod })}
      crumbs={crumbs}
      actions={time.controls}
    >
      <PageBody query={usage} cards={4}>
        {(d) => (
          <>
            <AsOf time={d.time} />
            <Panel title={t('gpu-monitoring.containersTitle')}>
              <UsageTable rows={d.containers} kind="workload" />
            </Panel>
            <MetricPanel
              title={t('gpu-monitoring.chart.perContainer')}
              where={where}
              level="workload"
              time={time}
              filter={{ pod }}
            />
            <HeldGpusPanel cards={d.gpus} links={links} />
          </>
        )}
      </PageBody>
    </PageFrame>
  );
}
