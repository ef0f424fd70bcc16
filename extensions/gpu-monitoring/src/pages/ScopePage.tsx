import React, { useMemo } from 'react';
import { useParams } from 'react-router-dom';
import { ProjectLinks, t } from '@ks-gpu-ml/ui';
import { useScopeUsage, type Where } from '../api.js';
import { formatThreshold } from '../format.js';
import { linksFor } from '../links.js';
import { PageBody, PageFrame, projectWhere, useGpuCrumbs, usePageTime, WithHoursLink } from './page.js';
import { CountFigure, UsageFigures } from '../components/Figure.js';
import { HeldGpusPanel } from '../components/GpuTable.js';
import { IdleTable } from '../components/IdleTable.js';
import { AsOf, Grid, Panel } from '../components/layout.js';
import { MetricPanel } from '../components/MetricChart.js';
import { UsageTable } from '../components/UsageTable.js';

/**
 * A workspace's GPU page (per project) or a project's (per workload container): totals, use over time, the
 * groups, the GPUs held and those held idle. The project page is reached from the workspace and cluster pages.
 */
export function ScopePage({ kind }: { kind: 'workspace' | 'namespace' }) {
  const { cluster, workspace = '', namespace = '' } = useParams();
  const time = usePageTime();
  const links = useMemo(() => linksFor({ cluster, workspace }), [cluster, workspace]);
  const where: Where = useMemo(
    () => (kind === 'workspace' ? { scope: 'workspace', workspace } : projectWhere(namespace, cluster)),
    [kind, workspace, namespace, cluster],
  );
  const usage = useScopeUsage(where, time.now);
  const crumbs = useGpuCrumbs(
    { cluster, workspace },
    ...(kind === 'namespace' ? [{ label: namespace }] : []),
  );

  return (
    <PageFrame
      testId={`gpu-${kind}-page`}
      title={
        kind === 'workspace'
          ? t('gpu-monitoring.workspace.title', { workspace })
          : t('gpu-monitoring.project.title', { namespace })
      }
      crumbs={crumbs}
      actions={
        <WithHoursLink to={kind === 'workspace' ? links.gpuHours : undefined}>
          {kind === 'namespace' && (
            <ProjectLinks
              namespace={namespace}
              workspace={workspace || undefined}
              cluster={cluster}
              except="gpu-monitoring"
            />
          )}
          {time.controls}
        </WithHoursLink>
      }
    >
      <PageBody query={usage} cards={6}>
        {(d) => (
          <>
            <UsageFigures row={d.totals} />
            <Grid>
              <CountFigure
                id="idleAllocated"
                label={t('gpu-monitoring.summary.idleAllocated')}
                count={d.idle.length}
                tone="#f5a623"
                note={t('gpu-monitoring.summary.idleRule', {
                  percent: formatThreshold(d.idleSettings.threshold),
                  minutes: Math.round(d.idleSettings.windowSeconds / 60),
                })}
              />
            </Grid>
            <AsOf time={d.time} />
            <MetricPanel
              title={
                kind === 'workspace'
                  ? t('gpu-monitoring.chart.perProject')
                  : t('gpu-monitoring.chart.perWorkload')
              }
              where={where}
              level={kind === 'workspace' ? 'namespace' : 'workload'}
              time={time}
            />
            <Panel
              title={
                kind === 'workspace' ? t('gpu-monitoring.projectsTitle') : t('gpu-monitoring.workloadsTitle')
              }
            >
              <UsageTable
                rows={d.rows}
                kind={kind === 'workspace' ? 'namespace' : 'workload'}
                links={links}
              />
            </Panel>
            <Panel title={t('gpu-monitoring.idleTitle')} testId="idle-panel">
              <IdleTable items={d.idle} links={links} />
            </Panel>
            <HeldGpusPanel cards={d.gpus} links={links} />
          </>
        )}
      </PageBody>
    </PageFrame>
  );
}

export const WorkspacePage = () => <ScopePage kind="workspace" />;
export const ProjectPage = () => <ScopePage kind="namespace" />;
