import React, { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { GpuNodeRow, GpuSummary, GpuTopList } from '@ks-gpu-ml/contracts';
import { ChoiceSelect, PlatformOverview, t, type Column } from '@ks-gpu-ml/ui';
import { useIdleGpus, useNodes, useProjectsUsage, useSummary, useTop } from '../api.js';
import { METRIC_UNITS, formatPercent, formatThreshold, formatTime, formatValue } from '../format.js';
import type { Links } from '../links.js';
import { gpuCrumbs, PageFrame, useClusterScope, usePageTime, WithHoursLink } from './page.js';
import { figureColumns, numberColumn, PagedTable } from '../components/columns.js';
import { CountFigure } from '../components/Figure.js';
import { IdleTable } from '../components/IdleTable.js';
import { Grid, Muted, Panel, Stack } from '../components/layout.js';
import { Loaded, Skeleton } from '../components/Loaded.js';
import { MetricChart, MetricSelect } from '../components/MetricChart.js';
import { UsageTable } from '../components/UsageTable.js';
import { modelRows, seriesName, SUMMARY_KEYS, type ModelRow } from '../shape.js';

const TONES = {
  devices: '#3385ff',
  allocated: '#7c5cff',
  busy: '#55bc8a',
  idleAllocated: '#f5a623',
} as const;

function SummaryCards({ summary }: { summary: GpuSummary }) {
  const { totals } = summary;
  const share = (n: number) => (totals.devices > 0 ? formatPercent(n / totals.devices) : undefined);
  return (
    <div data-testid="summary-cards" data-time={summary.time}>
      <Grid>
        {SUMMARY_KEYS.map((key) => {
          const note = key === 'devices' ? undefined : share(totals[key]);
          return (
            <CountFigure
              key={key}
              id={key}
              label={t(`gpu-monitoring.summary.${key}`)}
              count={totals[key]}
              tone={TONES[key]}
              {...(note ? { note: t('gpu-monitoring.summary.share', { share: note }) } : {})}
            />
          );
        })}
      </Grid>
      <Muted style={{ marginTop: 8 }}>
        {t('gpu-monitoring.summary.idleRule', {
          percent: formatThreshold(summary.idle.threshold),
          minutes: Math.round(summary.idle.windowSeconds / 60),
        })}{' '}
        {summary.labels.dcgmSeen && !summary.labels.recordingRules && (
          <span data-testid="raw-series-note">{t('gpu-monitoring.summary.fromRaw')} </span>
        )}
        · {t('gpu-monitoring.asOf', { time: formatTime(summary.time) })}
      </Muted>
    </div>
  );
}

function ModelsTable({ summary }: { summary: GpuSummary }) {
  const columns: Column<ModelRow>[] = [
    { key: 'model', title: t('gpu-monitoring.col.model'), sortValue: (r) => r.model },
    { key: 'mig', title: t('gpu-monitoring.col.migProfile'), render: (r) => r.migProfile ?? '—' },
    numberColumn('devices', t('gpu-monitoring.summary.devices'), (r) => r.devices),
    numberColumn(
      'allocated',
      t('gpu-monitoring.summary.allocated'),
      (r) => r.allocated,
      (allocated, r) => `${allocated} (${formatPercent(r.allocatedRatio)})`,
    ),
    numberColumn('busy', t('gpu-monitoring.summary.busy'), (r) => r.busy),
    numberColumn('idleAllocated', t('gpu-monitoring.summary.idleAllocated'), (r) => r.idleAllocated),
  ];
  return (
    <PagedTable<ModelRow>
      testId="models-table"
      columns={columns}
      rows={modelRows(summary)}
      rowKey={(r) => r.key}
      initialSort={{ key: 'devices', direction: 'desc' }}
      emptyTitle={t('gpu-monitoring.noGpus')}
    />
  );
}

function NodesTable({ items, links }: { items: readonly GpuNodeRow[]; links: Links }) {
  const columns: Column<GpuNodeRow>[] = [
    {
      key: 'node',
      title: t('gpu-monitoring.col.node'),
      sortValue: (r) => r.node,
      render: (r) => (
        <Link to={links.node!(r.node)} data-testid="node-link">
          {r.node}
        </Link>
      ),
    },
    numberColumn('devices', t('gpu-monitoring.col.devices'), (r) => r.devices),
    numberColumn('allocated', t('gpu-monitoring.summary.allocated'), (r) => r.allocated),
    numberColumn('idleAllocated', t('gpu-monitoring.summary.idleAllocated'), (r) => r.idleAllocated),
    ...figureColumns<GpuNodeRow>('utilization', 'memory', 'power', 'temperature'),
    numberColumn(
      'xid',
      t('gpu-monitoring.col.xid'),
      (r) => r.xidDevices,
      (_, r) => (r.xidDevices > 0 ? <strong style={{ color: '#ca2621' }}>{r.xidDevices}</strong> : '0'),
    ),
  ];
  return (
    <PagedTable<GpuNodeRow>
      testId="nodes-table"
      columns={columns}
      rows={items}
      rowKey={(r) => r.node}
      searchText={(r) => r.node}
      initialSort={{ key: 'node', direction: 'asc' }}
      emptyTitle={t('gpu-monitoring.noNodes')}
    />
  );
}

const TOP_LEVELS = ['namespace', 'workload', 'gpu', 'node', 'workspace'] as const;
type TopLevel = (typeof TOP_LEVELS)[number];

function TopList({ list }: { list: GpuTopList }) {
  const unit = METRIC_UNITS[list.metric] ?? 'count';
  if (list.items.length === 0) return <Muted>{t('gpu-monitoring.noData')}</Muted>;
  const max = Math.max(...list.items.map((i) => i.value), unit === 'ratio' ? 1 : 0);
  return (
    <ol data-testid="top-list" style={{ margin: 0, paddingLeft: 20 }}>
      {list.items.map((item, i) => (
        <li key={i} style={{ marginBottom: 6 }}>
          <div style={{ display: 'flex', justifyContent: 'space-between', gap: 8 }}>
            <span>{seriesName(item.labels, list.level, '') || t('gpu-monitoring.chart.unknown')}</span>
            <strong>{formatValue(unit, item.value)}</strong>
          </div>
          <div style={{ height: 4, background: '#eef2f6', borderRadius: 2 }}>
            <div
              style={{
                height: 4,
                borderRadius: 2,
                background: '#3385ff',
                width: `${max > 0 ? Math.max(0, Math.min(100, (item.value / max) * 100)) : 0}%`,
              }}
            />
          </div>
        </li>
      ))}
    </ol>
  );
}

/** The cluster GPU dashboard: summary, utilization over time, nodes, idle-allocated GPUs, projects and top-N. */
export function ClusterDashboard() {
  const { cluster = '' } = useParams();
  const time = usePageTime();
  const { links, where } = useClusterScope(cluster);
  const [nodeMetric, setNodeMetric] = useState<
    'utilization' | 'memoryUsedBytes' | 'powerWatts' | 'temperatureC' | 'tensorActive'
  >('utilization');
  const [topLevel, setTopLevel] = useState<TopLevel>('namespace');

  const summary = useSummary(cluster, time.now);
  // The summary cards are drawn first and everything else is drawn under them, so the other panels ask only once
  // the summary has answered: on a large fleet they would otherwise compete with it for the same Prometheus and
  // delay the first figures by seconds (bench gpu-monitoring). Refreshes keep the answer shown and ask all at once.
  const summaryShown = summary.data !== undefined;
  const nodes = useNodes(cluster, time.now, summaryShown);
  const idle = useIdleGpus(cluster, time.now, summaryShown);
  const projects = useProjectsUsage(cluster, time.now, summaryShown);
  const top = useTop(cluster, { metric: 'utilization', level: topLevel, n: 10 }, time.now, summaryShown);

  return (
    <PageFrame
      testId="gpu-monitoring-landing"
      title={t('gpu-monitoring.title')}
      description={t('gpu-monitoring.description')}
      crumbs={gpuCrumbs({ cluster })}
      actions={<WithHoursLink to={links.gpuHours}>{time.controls}</WithHoursLink>}
    >
      <div data-testid="cluster-dashboard">
        {/* Every part reads the same Prometheus: one message says what is wrong, instead of empty charts. */}
        <Loaded query={summary} skeleton={<Skeleton />} onRetry={time.refresh}>
          {(data) => (
            <Stack>
              {!data.labels.dcgmSeen && (
                <div role="status" data-testid="no-dcgm" style={{ color: '#79879c' }}>
                  {t('gpu-monitoring.noDcgm')}
                </div>
              )}
              <SummaryCards summary={data} />
              <Grid min={420}>
                <Panel title={t('gpu-monitoring.chart.clusterUtilization')} testId="cluster-chart">
                  <MetricChart where={where} metric="utilization" level="cluster" time={time} />
                </Panel>
                <Panel
                  title={t('gpu-monitoring.chart.perNode')}
                  testId="node-chart"
                  extra={
                    <MetricSelect
                      value={nodeMetric}
                      onChange={(m) => setNodeMetric(m as typeof nodeMetric)}
                    />
                  }
                >
                  <MetricChart where={where} metric={nodeMetric} level="node" time={time} />
                </Panel>
              </Grid>
              <Panel title={t('gpu-monitoring.modelsTitle')}>
                <ModelsTable summary={data} />
              </Panel>
              <Panel title={t('gpu-monitoring.nodesTitle')}>
                <Loaded query={nodes}>{(d) => <NodesTable items={d.items} links={links} />}</Loaded>
              </Panel>
              <Grid min={420}>
                <Panel title={t('gpu-monitoring.idleTitle')} testId="idle-panel">
                  <Loaded query={idle}>{(d) => <IdleTable items={d.items} links={links} />}</Loaded>
                </Panel>
                <Panel
                  title={t('gpu-monitoring.topTitle')}
                  testId="top-panel"
                  extra={
                    <ChoiceSelect
                      ariaLabel={t('gpu-monitoring.top.level')}
                      value={topLevel}
                      choices={TOP_LEVELS}
                      label={(l) => t(`gpu-monitoring.level.${l}`)}
                      onChange={setTopLevel}
                    />
                  }
                >
                  <Loaded query={top}>{(d) => <TopList list={d} />}</Loaded>
                </Panel>
              </Grid>
              <Panel title={t('gpu-monitoring.projectsTitle')}>
                <Loaded query={projects}>
                  {(d) => <UsageTable rows={d.items} kind="namespace" links={links} />}
                </Loaded>
              </Panel>
            </Stack>
          )}
        </Loaded>
      </div>
      <div style={{ marginTop: 16 }}>
        <PlatformOverview feature="gpu-monitoring" cluster={cluster} />
      </div>
    </PageFrame>
  );
}
