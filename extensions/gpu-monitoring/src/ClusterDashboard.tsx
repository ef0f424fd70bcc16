import React, { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { GpuNodeRow, GpuSummary, GpuTopList } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, PageHeader, PlatformOverview, t, type Column } from '@ks-gpu-ml/ui';
import { useIdleGpus, useNodes, usePageClock, useProjectsUsage, useSummary, useTop } from './api.js';
import {
  METRIC_UNITS,
  formatCelsius,
  formatCount,
  formatMemory,
  formatPercent,
  formatThreshold,
  formatTime,
  formatValue,
  formatWatts,
} from './format.js';
import { clusterLinks, type Links } from './links.js';
import {
  Controls,
  DEFAULT_TIME,
  Figure,
  Grid,
  IdleTable,
  Loaded,
  MetricChart,
  MetricSelect,
  Muted,
  Panel,
  Skeleton,
  Stack,
  UsageTable,
} from './parts.js';
import { modelRows, seriesName, SUMMARY_KEYS, type ModelRow } from './shape.js';

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
            <Figure
              key={key}
              id={key}
              label={t(`gpu-monitoring.summary.${key}`)}
              text={formatCount(totals[key])}
              value={totals[key]}
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
        · {t('gpu-monitoring.asOf', { time: formatTime(summary.time) })}
      </Muted>
    </div>
  );
}

function ModelsTable({ summary }: { summary: GpuSummary }) {
  const columns: Column<ModelRow>[] = [
    { key: 'model', title: t('gpu-monitoring.col.model'), sortValue: (r) => r.model },
    { key: 'mig', title: t('gpu-monitoring.col.migProfile'), render: (r) => r.migProfile ?? '—' },
    {
      key: 'devices',
      title: t('gpu-monitoring.summary.devices'),
      sortValue: (r) => r.devices,
      align: 'right',
    },
    {
      key: 'allocated',
      title: t('gpu-monitoring.summary.allocated'),
      sortValue: (r) => r.allocated,
      render: (r) => `${r.allocated} (${formatPercent(r.allocatedRatio)})`,
      align: 'right',
    },
    { key: 'busy', title: t('gpu-monitoring.summary.busy'), sortValue: (r) => r.busy, align: 'right' },
    {
      key: 'idleAllocated',
      title: t('gpu-monitoring.summary.idleAllocated'),
      sortValue: (r) => r.idleAllocated,
      align: 'right',
    },
  ];
  return (
    <div data-testid="models-table">
      <DataTable<ModelRow>
        columns={columns}
        rows={modelRows(summary)}
        rowKey={(r) => r.key}
        initialSort={{ key: 'devices', direction: 'desc' }}
        emptyTitle={t('gpu-monitoring.noGpus')}
        pageSize={10}
      />
    </div>
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
    { key: 'devices', title: t('gpu-monitoring.col.devices'), sortValue: (r) => r.devices, align: 'right' },
    {
      key: 'allocated',
      title: t('gpu-monitoring.summary.allocated'),
      sortValue: (r) => r.allocated,
      align: 'right',
    },
    {
      key: 'idleAllocated',
      title: t('gpu-monitoring.summary.idleAllocated'),
      sortValue: (r) => r.idleAllocated,
      align: 'right',
    },
    {
      key: 'utilization',
      title: t('gpu-monitoring.col.utilization'),
      sortValue: (r) => r.utilization,
      render: (r) => formatPercent(r.utilization),
      align: 'right',
    },
    {
      key: 'memory',
      title: t('gpu-monitoring.col.memory'),
      sortValue: (r) => r.memoryUsedBytes,
      render: (r) => formatMemory(r.memoryUsedBytes, r.memoryTotalBytes),
      align: 'right',
    },
    {
      key: 'power',
      title: t('gpu-monitoring.col.power'),
      sortValue: (r) => r.powerWatts,
      render: (r) => formatWatts(r.powerWatts),
      align: 'right',
    },
    {
      key: 'temperature',
      title: t('gpu-monitoring.col.temperature'),
      sortValue: (r) => r.temperatureC,
      render: (r) => formatCelsius(r.temperatureC),
      align: 'right',
    },
    {
      key: 'xid',
      title: t('gpu-monitoring.col.xid'),
      sortValue: (r) => r.xidDevices,
      render: (r) => (r.xidDevices > 0 ? <strong style={{ color: '#ca2621' }}>{r.xidDevices}</strong> : '0'),
      align: 'right',
    },
  ];
  return (
    <div data-testid="nodes-table">
      <DataTable<GpuNodeRow>
        columns={columns}
        rows={items}
        rowKey={(r) => r.node}
        searchText={(r) => r.node}
        initialSort={{ key: 'node', direction: 'asc' }}
        emptyTitle={t('gpu-monitoring.noNodes')}
        pageSize={10}
      />
    </div>
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
  const [time, setTime] = useState(DEFAULT_TIME);
  const clock = usePageClock(time.refresh);
  const [nodeMetric, setNodeMetric] = useState<
    'utilization' | 'memoryUsedBytes' | 'powerWatts' | 'temperatureC' | 'tensorActive'
  >('utilization');
  const [topLevel, setTopLevel] = useState<TopLevel>('namespace');
  const links = useMemo(() => clusterLinks(cluster), [cluster]);
  const where = useMemo(() => ({ scope: 'cluster' as const, cluster }), [cluster]);

  const summary = useSummary(cluster, clock.now);
  const nodes = useNodes(cluster, clock.now);
  const idle = useIdleGpus(cluster, clock.now);
  const projects = useProjectsUsage(cluster, clock.now);
  const top = useTop(cluster, { metric: 'utilization', level: topLevel, n: 10 }, clock.now);

  let body: React.ReactNode;
  if (summary.error) {
    // Every part reads the same Prometheus: one message says what is wrong, instead of empty charts.
    body = (
      <ErrorState error={summary.error} title={t('gpu-monitoring.loadFailed')} onRetry={clock.refresh} />
    );
  } else if (!summary.data) {
    body = <Skeleton />;
  } else {
    body = (
      <Stack>
        {!summary.data.labels.dcgmSeen && (
          <div role="status" data-testid="no-dcgm" style={{ color: '#79879c' }}>
            {t('gpu-monitoring.noDcgm')}
          </div>
        )}
        <SummaryCards summary={summary.data} />
        <Grid min={420}>
          <Panel title={t('gpu-monitoring.chart.clusterUtilization')} testId="cluster-chart">
            <MetricChart
              where={where}
              metric="utilization"
              level="cluster"
              range={time.range}
              now={clock.now}
            />
          </Panel>
          <Panel
            title={t('gpu-monitoring.chart.perNode')}
            testId="node-chart"
            extra={
              <MetricSelect value={nodeMetric} onChange={(m) => setNodeMetric(m as typeof nodeMetric)} />
            }
          >
            <MetricChart where={where} metric={nodeMetric} level="node" range={time.range} now={clock.now} />
          </Panel>
        </Grid>
        <Panel title={t('gpu-monitoring.modelsTitle')}>
          <ModelsTable summary={summary.data} />
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
              <select
                aria-label={t('gpu-monitoring.top.level')}
                value={topLevel}
                onChange={(e) => setTopLevel(e.target.value as TopLevel)}
              >
                {TOP_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`gpu-monitoring.level.${l}`)}
                  </option>
                ))}
              </select>
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
    );
  }

  return (
    <div data-testid="gpu-monitoring-landing" style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-monitoring.title')}
        description={t('gpu-monitoring.description')}
        breadcrumbs={[
          { label: t('ui.crumb.cluster', { cluster }), to: `/clusters/${cluster}/overview` },
          { label: t('gpu-monitoring.title') },
        ]}
        actions={
          <div style={{ display: 'flex', gap: 16, alignItems: 'center' }}>
            <Link to={links.gpuHours} data-testid="gpuhours-link">
              {t('gpu-monitoring.hours.link')}
            </Link>
            <Controls value={time} onChange={setTime} onRefresh={clock.refresh} />
          </div>
        }
      />
      <div data-testid="cluster-dashboard">{body}</div>
      <div style={{ marginTop: 16 }}>
        <PlatformOverview feature="gpu-monitoring" cluster={cluster} />
      </div>
    </div>
  );
}
