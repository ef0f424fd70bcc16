import React, { useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, t, type Crumb } from '@ks-gpu-ml/ui';
import { usePageClock, useWorkload, type Where } from './api.js';
import { formatTime } from './format.js';
import { linksFor } from './links.js';
import {
  Controls,
  DEFAULT_TIME,
  GpuTable,
  Loaded,
  MetricPanel,
  Muted,
  Panel,
  Skeleton,
  Stack,
  UsageTable,
} from './parts.js';

/**
 * One pod's GPUs: per container, the GPU cards it holds and its use over time. KubeSphere 4.1 gives extensions no
 * tab on its pod detail page (see README), so this page stands in for a "GPU" tab, linked from the project page.
 */
export function WorkloadPage() {
  const { cluster, workspace, namespace = '', pod = '' } = useParams();
  const [time, setTime] = useState(DEFAULT_TIME);
  const clock = usePageClock(time.refresh);
  const links = useMemo(() => linksFor({ cluster, workspace }), [cluster, workspace]);
  const where: Where = useMemo(
    () => ({ scope: 'namespace', namespace, ...(cluster ? { cluster } : {}) }),
    [namespace, cluster],
  );
  const usage = useWorkload(namespace, pod, cluster, clock.now);
  const crumbs: Crumb[] = workspace
    ? [{ label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/overview` }]
    : [
        {
          label: t('ui.crumb.cluster', { cluster: cluster ?? '' }),
          to: `/clusters/${cluster ?? ''}/overview`,
        },
      ];
  crumbs.push(
    { label: t('gpu-monitoring.title'), to: links.home },
    { label: namespace, to: links.project!(namespace) },
    { label: pod },
  );
  return (
    <div data-testid="gpu-workload-page" style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-monitoring.workload.title', { pod })}
        breadcrumbs={crumbs}
        actions={<Controls value={time} onChange={setTime} onRefresh={clock.refresh} />}
      />
      <Loaded query={usage} skeleton={<Skeleton cards={4} />}>
        {(d) => (
          <Stack>
            <Muted>{t('gpu-monitoring.asOf', { time: formatTime(d.time) })}</Muted>
            <Panel title={t('gpu-monitoring.containersTitle')}>
              <UsageTable rows={d.containers} kind="workload" />
            </Panel>
            <MetricPanel
              title={t('gpu-monitoring.chart.perContainer')}
              where={where}
              level="workload"
              range={time.range}
              now={clock.now}
              filter={{ pod }}
            />
            <Panel title={t('gpu-monitoring.heldTitle')}>
              <GpuTable cards={d.gpus} links={links} />
            </Panel>
          </Stack>
        )}
      </Loaded>
    </div>
  );
}
