import React, { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { PageHeader, t, type Crumb } from '@ks-gpu-ml/ui';
import { usePageClock, useScopeUsage, type Where } from './api.js';
import { formatCount, formatThreshold, formatTime } from './format.js';
import { linksFor } from './links.js';
import {
  Controls,
  DEFAULT_TIME,
  Figure,
  GpuTable,
  Grid,
  IdleTable,
  Loaded,
  MetricPanel,
  Muted,
  Panel,
  Skeleton,
  Stack,
  UsageFigures,
  UsageTable,
} from './parts.js';

/**
 * A workspace's GPU page (per project) or a project's (per workload container): totals, use over time, the
 * groups, the GPUs held and those held idle. The project page is reached from the workspace and cluster pages.
 */
export function ScopePage({ kind }: { kind: 'workspace' | 'namespace' }) {
  const { cluster, workspace = '', namespace = '' } = useParams();
  const [time, setTime] = useState(DEFAULT_TIME);
  const clock = usePageClock(time.refresh);
  const links = useMemo(() => linksFor({ cluster, workspace }), [cluster, workspace]);
  const where: Where = useMemo(
    () =>
      kind === 'workspace'
        ? { scope: 'workspace', workspace }
        : { scope: 'namespace', namespace, ...(cluster ? { cluster } : {}) },
    [kind, workspace, namespace, cluster],
  );
  const usage = useScopeUsage(where, clock.now);

  const crumbs: Crumb[] = workspace
    ? [{ label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/overview` }]
    : [
        {
          label: t('ui.crumb.cluster', { cluster: cluster ?? '' }),
          to: `/clusters/${cluster ?? ''}/overview`,
        },
      ];
  crumbs.push({ label: t('gpu-monitoring.title'), ...(kind === 'namespace' ? { to: links.home } : {}) });
  if (kind === 'namespace') crumbs.push({ label: namespace });

  return (
    <div data-testid={`gpu-${kind}-page`} style={{ padding: 20 }}>
      <PageHeader
        title={
          kind === 'workspace'
            ? t('gpu-monitoring.workspace.title', { workspace })
            : t('gpu-monitoring.project.title', { namespace })
        }
        breadcrumbs={crumbs}
        actions={
          <div style={{ display: 'flex', gap: 16, alignItems: 'center' }}>
            {kind === 'workspace' && (
              <Link to={links.gpuHours} data-testid="gpuhours-link">
                {t('gpu-monitoring.hours.link')}
              </Link>
            )}
            <Controls value={time} onChange={setTime} onRefresh={clock.refresh} />
          </div>
        }
      />
      <Loaded query={usage} skeleton={<Skeleton cards={6} />}>
        {(d) => (
          <Stack>
            <UsageFigures row={d.totals} />
            <Grid>
              <Figure
                id="idleAllocated"
                label={t('gpu-monitoring.summary.idleAllocated')}
                text={formatCount(d.idle.length)}
                value={d.idle.length}
                tone="#f5a623"
                note={t('gpu-monitoring.summary.idleRule', {
                  percent: formatThreshold(d.idleSettings.threshold),
                  minutes: Math.round(d.idleSettings.windowSeconds / 60),
                })}
              />
            </Grid>
            <Muted>{t('gpu-monitoring.asOf', { time: formatTime(d.time) })}</Muted>
            <MetricPanel
              title={
                kind === 'workspace'
                  ? t('gpu-monitoring.chart.perProject')
                  : t('gpu-monitoring.chart.perWorkload')
              }
              where={where}
              level={kind === 'workspace' ? 'namespace' : 'workload'}
              range={time.range}
              now={clock.now}
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
            <Panel title={t('gpu-monitoring.heldTitle')}>
              <GpuTable cards={d.gpus} links={links} />
            </Panel>
          </Stack>
        )}
      </Loaded>
    </div>
  );
}

export const WorkspacePage = () => <ScopePage kind="workspace" />;
export const ProjectPage = () => <ScopePage kind="namespace" />;
