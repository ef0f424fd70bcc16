// Pieces the gpu-monitoring pages share: the range/refresh controls, figure cards, a loading skeleton, charts that
// load their own series, and the GPU, idle-GPU and usage tables.
import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import styled from 'styled-components';
import type { GpuCard, GpuLevel, GpuMetricName, GpuUsageRow, IdleGpu } from '@ks-gpu-ml/contracts';
import {
  DataTable,
  ErrorState,
  TimeRangePicker,
  TimeSeriesChart,
  resolveRange,
  t,
  type ApiError,
  type Column,
  type RangePreset,
  type RefreshInterval,
  type TimeRangeValue,
} from '@ks-gpu-ml/ui';
import { seriesPath, useSeries, type SeriesFilter, type Where } from './api.js';
import {
  METRIC_UNITS,
  formatBytes,
  formatCelsius,
  formatCount,
  formatMemory,
  formatPercent,
  formatValue,
  formatWatts,
  memoryRatio,
} from './format.js';
import type { Links } from './links.js';
import { gpuName, holderText, toChartSeries } from './shape.js';

export const RANGES: readonly RangePreset[] = ['1h', '6h', '24h', '7d'];
export const INTERVALS: readonly RefreshInterval[] = [0, 30, 60, 300];
export const DEFAULT_TIME: TimeRangeValue = { range: '1h', refresh: 0 };

export function Controls(props: {
  value: TimeRangeValue;
  onChange: (v: TimeRangeValue) => void;
  onRefresh: () => void;
}) {
  return <TimeRangePicker {...props} ranges={RANGES} intervals={INTERVALS} />;
}

export const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: 16px;
`;
export const Muted = styled.div`
  color: #79879c;
  font-size: 12px;
`;
export const Grid = styled.div<{ min?: number }>`
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(${(p) => p.min ?? 180}px, 1fr));
  gap: 12px;
`;
export const Section = styled.section`
  background: #fff;
  border-radius: 4px;
  box-shadow: 0 4px 8px 0 rgba(36, 46, 66, 0.06);
  padding: 16px;
  h2 {
    font-size: 14px;
    font-weight: 600;
    color: #242e42;
    margin: 0 0 12px;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
  }
  a {
    color: #3385ff;
  }
  select {
    height: 28px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    background: #fff;
    font-weight: normal;
  }
`;

export function Panel({
  title,
  extra,
  children,
  testId,
}: {
  title: string;
  extra?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <Section data-testid={testId}>
      <h2>
        <span>{title}</span>
        {extra}
      </h2>
      {children}
    </Section>
  );
}

const FigureBox = styled.div<{ tone?: string }>`
  border: 1px solid #e3e9ef;
  border-left: 4px solid ${(p) => p.tone ?? '#3385ff'};
  border-radius: 4px;
  padding: 12px 16px;
  background: #f9fbfd;
  .label {
    color: #79879c;
    font-size: 12px;
  }
  .value {
    font-size: 24px;
    font-weight: 600;
    color: #242e42;
    line-height: 1.4;
  }
  .note {
    color: #79879c;
    font-size: 12px;
  }
`;

/** One labelled figure; `data-key` and `data-value` carry the raw number (absent = no data) for tests. */
export function Figure({
  id,
  label,
  text,
  value,
  note,
  tone,
}: {
  id: string;
  label: string;
  text: string;
  value?: number | undefined;
  note?: string;
  tone?: string;
}) {
  return (
    <FigureBox
      tone={tone}
      data-testid="figure"
      data-key={id}
      {...(value !== undefined ? { 'data-value': String(value) } : {})}
    >
      <div className="label">{label}</div>
      <div className="value">{text}</div>
      {note && <div className="note">{note}</div>}
    </FigureBox>
  );
}

/** The figures every usage row has: devices, utilization, tensor activity, memory, power, temperature. */
export function UsageFigures({
  row,
  idPrefix = '',
}: {
  row: Omit<GpuUsageRow, 'requested'>;
  idPrefix?: string;
}) {
  return (
    <Grid min={160}>
      <Figure
        id={`${idPrefix}devices`}
        label={t('gpu-monitoring.col.devices')}
        text={formatCount(row.devices)}
        value={row.devices}
      />
      <Figure
        id={`${idPrefix}utilization`}
        label={t('gpu-monitoring.col.utilization')}
        text={formatPercent(row.utilization)}
        value={row.utilization}
      />
      <Figure
        id={`${idPrefix}tensorActive`}
        label={t('gpu-monitoring.col.tensor')}
        text={formatPercent(row.tensorActive)}
        value={row.tensorActive}
      />
      <Figure
        id={`${idPrefix}memory`}
        label={t('gpu-monitoring.col.memory')}
        text={formatBytes(row.memoryUsedBytes)}
        value={row.memoryUsedBytes}
        {...(row.memoryTotalBytes !== undefined
          ? {
              note: t('gpu-monitoring.memoryOf', {
                total: formatBytes(row.memoryTotalBytes),
                percent: formatPercent(memoryRatio(row.memoryUsedBytes, row.memoryTotalBytes)),
              }),
            }
          : {})}
      />
      <Figure
        id={`${idPrefix}power`}
        label={t('gpu-monitoring.col.power')}
        text={formatWatts(row.powerWatts)}
        value={row.powerWatts}
      />
      <Figure
        id={`${idPrefix}temperature`}
        label={t('gpu-monitoring.col.temperature')}
        text={formatCelsius(row.temperatureC)}
        value={row.temperatureC}
      />
    </Grid>
  );
}

const Bone = styled.div<{ h: number }>`
  height: ${(p) => p.h}px;
  border-radius: 4px;
  background: #eef2f6;
`;

/** Grey blocks where figures and a chart will be, while the first answer is on its way. */
export function Skeleton({ cards = 4, chart = true }: { cards?: number; chart?: boolean }) {
  return (
    <div role="status" aria-busy="true" aria-label={t('gpu-monitoring.loading')} data-testid="skeleton">
      <Grid>
        {Array.from({ length: cards }, (_, i) => (
          <Bone key={i} h={72} />
        ))}
      </Grid>
      {chart && <Bone h={200} style={{ marginTop: 12 }} />}
    </div>
  );
}

/** Loading (skeleton), error (the server's message) or the content. */
export function Loaded<T>({
  query,
  children,
  skeleton,
}: {
  query: { data?: T | undefined; error: ApiError | null; refetch: () => unknown };
  children: (data: T) => React.ReactNode;
  skeleton?: React.ReactNode;
}) {
  if (query.error)
    return (
      <ErrorState
        error={query.error}
        title={t('gpu-monitoring.loadFailed')}
        onRetry={() => void query.refetch()}
      />
    );
  if (query.data === undefined) return <>{skeleton ?? <Skeleton cards={0} />}</>;
  return <>{children(query.data)}</>;
}

export const CHART_METRICS: readonly GpuMetricName[] = [
  'utilization',
  'tensorActive',
  'memoryUsedBytes',
  'powerWatts',
  'temperatureC',
];

export function MetricSelect({
  value,
  onChange,
  metrics = CHART_METRICS,
}: {
  value: GpuMetricName;
  onChange: (m: GpuMetricName) => void;
  metrics?: readonly GpuMetricName[];
}) {
  return (
    <select
      aria-label={t('gpu-monitoring.chart.metric')}
      value={value}
      onChange={(e) => onChange(e.target.value as GpuMetricName)}
    >
      {metrics.map((m) => (
        <option key={m} value={m}>
          {t(`gpu-monitoring.metric.${m}`)}
        </option>
      ))}
    </select>
  );
}

/** A figure over the page's time range at one level, loading its own series; errors show the server's message. */
export function MetricChart({
  where,
  metric,
  level,
  range,
  now,
  filter = {},
  maxSeries = 10,
  height = 240,
  testId,
}: {
  where: Where;
  metric: GpuMetricName;
  level: GpuLevel;
  range: RangePreset;
  now: number;
  filter?: SeriesFilter;
  maxSeries?: number;
  height?: number;
  testId?: string;
}) {
  const win = resolveRange(range, now);
  const url = seriesPath(where, { metric, level, start: win.start, end: win.end, ...filter });
  const answer = useSeries(url, win.end);
  const unit = METRIC_UNITS[metric] ?? 'count';
  const shaped = useMemo(
    () =>
      toChartSeries(answer.data, {
        clusterName: t('gpu-monitoring.chart.cluster'),
        unknown: t('gpu-monitoring.chart.unknown'),
        maxSeries,
      }),
    [answer.data, maxSeries],
  );
  return (
    <div data-testid={testId ?? 'metric-chart'} data-metric={metric} data-level={level}>
      <Loaded query={answer} skeleton={<Bone h={height} />}>
        {() => (
          <>
            <TimeSeriesChart
              series={shaped.series}
              height={height}
              valueFormatter={(v) => formatValue(unit, v)}
              {...(unit === 'ratio' ? { minValue: 0, maxValue: 1 } : { minValue: 0 })}
              emptyTitle={t('gpu-monitoring.chart.noData')}
            />
            {shaped.total > shaped.series.length && (
              <Muted>
                {t('gpu-monitoring.chart.topOnly', { shown: shaped.series.length, total: shaped.total })}
              </Muted>
            )}
          </>
        )}
      </Loaded>
    </div>
  );
}

/** Chart with its own metric picker. */
export function MetricPanel(props: {
  title: string;
  where: Where;
  level: GpuLevel;
  range: RangePreset;
  now: number;
  filter?: SeriesFilter;
  initial?: GpuMetricName;
  testId?: string;
}) {
  const [metric, setMetric] = useState<GpuMetricName>(props.initial ?? 'utilization');
  return (
    <Panel
      title={props.title}
      extra={<MetricSelect value={metric} onChange={setMetric} />}
      testId={props.testId}
    >
      <MetricChart
        where={props.where}
        metric={metric}
        level={props.level}
        range={props.range}
        now={props.now}
        {...(props.filter ? { filter: props.filter } : {})}
      />
    </Panel>
  );
}

const HEALTH_COLORS = { ok: '#55bc8a', hot: '#f5a623', xid: '#ca2621' } as const;

const Badge = styled.span<{ color: string }>`
  display: inline-block;
  padding: 0 8px;
  border-radius: 10px;
  font-size: 12px;
  line-height: 20px;
  color: #fff;
  background: ${(p) => p.color};
`;

export function HealthBadge({ card }: { card: Pick<GpuCard, 'health' | 'xid'> }) {
  const text = t(`gpu-monitoring.health.${card.health}`);
  const title = card.xid ? `XID ${card.xid.code}: ${card.xid.message}` : undefined;
  return (
    <Badge color={HEALTH_COLORS[card.health]} title={title} data-testid="health" data-health={card.health}>
      {text}
      {card.xid ? ` ${card.xid.code}` : ''}
    </Badge>
  );
}

const gpuColumns = (links: Partial<Links>, opts: { node?: boolean }): Column<GpuCard>[] => [
  {
    key: 'gpu',
    title: t('gpu-monitoring.col.gpu'),
    sortValue: (c) => `${c.node}/${c.gpu.padStart(4, '0')}`,
    render: (c) => (links.gpu ? <Link to={links.gpu(c.uuid)}>{gpuName(c)}</Link> : gpuName(c)),
  },
  { key: 'model', title: t('gpu-monitoring.col.model'), sortValue: (c) => c.model },
  ...(opts.node === false
    ? []
    : [
        {
          key: 'node',
          title: t('gpu-monitoring.col.node'),
          sortValue: (c: GpuCard) => c.node,
          render: (c: GpuCard) => (links.node ? <Link to={links.node(c.node)}>{c.node}</Link> : c.node),
        },
      ]),
  {
    key: 'utilization',
    title: t('gpu-monitoring.col.utilization'),
    sortValue: (c) => c.utilization,
    render: (c) => formatPercent(c.utilization),
    align: 'right',
  },
  {
    key: 'tensor',
    title: t('gpu-monitoring.col.tensor'),
    sortValue: (c) => c.tensorActive,
    render: (c) => formatPercent(c.tensorActive),
    align: 'right',
  },
  {
    key: 'memory',
    title: t('gpu-monitoring.col.memory'),
    sortValue: (c) => c.memoryUsedBytes,
    render: (c) => formatMemory(c.memoryUsedBytes, c.memoryTotalBytes),
    align: 'right',
  },
  {
    key: 'power',
    title: t('gpu-monitoring.col.power'),
    sortValue: (c) => c.powerWatts,
    render: (c) => formatWatts(c.powerWatts),
    align: 'right',
  },
  {
    key: 'temperature',
    title: t('gpu-monitoring.col.temperature'),
    sortValue: (c) => c.temperatureC,
    render: (c) => formatCelsius(c.temperatureC),
    align: 'right',
  },
  {
    key: 'holder',
    title: t('gpu-monitoring.col.holder'),
    sortValue: (c) => holderText(c.holders),
    render: (c) =>
      c.holders.length === 0 ? (
        <Muted>{t('gpu-monitoring.free')}</Muted>
      ) : (
        c.holders.map((h, i) => (
          <div key={i}>
            {links.project ? <Link to={links.project(h.namespace)}>{h.namespace}</Link> : h.namespace}/
            {links.workload ? <Link to={links.workload(h.namespace, h.pod)}>{h.pod}</Link> : h.pod}
            {h.container ? ` (${h.container})` : ''}
          </div>
        ))
      ),
  },
  {
    key: 'health',
    title: t('gpu-monitoring.col.health'),
    sortValue: (c) => c.health,
    render: (c) => <HealthBadge card={c} />,
  },
];

export function GpuTable({
  cards,
  links = {},
  showNode = true,
}: {
  cards: readonly GpuCard[];
  links?: Partial<Links>;
  showNode?: boolean;
}) {
  const columns = useMemo(() => gpuColumns(links, { node: showNode }), [links, showNode]);
  return (
    <div data-testid="gpu-table">
      <DataTable<GpuCard>
        columns={columns}
        rows={cards}
        rowKey={(c) => `${c.uuid}|${c.migInstance ?? ''}`}
        searchText={(c) => `${gpuName(c)} ${c.model} ${c.uuid} ${holderText(c.holders)}`}
        initialSort={{ key: 'gpu', direction: 'asc' }}
        emptyTitle={t('gpu-monitoring.noGpus')}
        pageSize={10}
      />
    </div>
  );
}

export function IdleTable({ items, links = {} }: { items: readonly IdleGpu[]; links?: Partial<Links> }) {
  const columns: Column<IdleGpu>[] = [
    {
      key: 'gpu',
      title: t('gpu-monitoring.col.gpu'),
      sortValue: (g) => `${g.node}/${g.gpu.padStart(4, '0')}`,
      render: (g) => (links.gpu ? <Link to={links.gpu(g.uuid)}>{gpuName(g)}</Link> : gpuName(g)),
    },
    { key: 'model', title: t('gpu-monitoring.col.model'), sortValue: (g) => g.model },
    {
      key: 'workspace',
      title: t('gpu-monitoring.col.workspace'),
      sortValue: (g) => g.workspace,
      render: (g) => g.workspace ?? '—',
    },
    {
      key: 'namespace',
      title: t('gpu-monitoring.col.project'),
      sortValue: (g) => g.namespace,
      render: (g) =>
        links.project ? <Link to={links.project(g.namespace)}>{g.namespace}</Link> : g.namespace,
    },
    {
      key: 'pod',
      title: t('gpu-monitoring.col.pod'),
      sortValue: (g) => g.pod,
      render: (g) => (
        <span data-testid="idle-holder">
          {links.workload ? <Link to={links.workload(g.namespace, g.pod)}>{g.pod}</Link> : g.pod}
          {g.container ? ` (${g.container})` : ''}
        </span>
      ),
    },
  ];
  return (
    <div data-testid="idle-table">
      <DataTable<IdleGpu>
        columns={columns}
        rows={items}
        rowKey={(g) => `${g.uuid}|${g.migInstance ?? ''}|${g.pod}`}
        searchText={(g) => `${gpuName(g)} ${g.model} ${g.namespace} ${g.pod} ${g.workspace ?? ''}`}
        initialSort={{ key: 'namespace', direction: 'asc' }}
        emptyTitle={t('gpu-monitoring.noIdle')}
        pageSize={10}
      />
    </div>
  );
}

/** Rows of GPU use per workspace, project or workload container. */
export function UsageTable({
  rows,
  kind,
  links = {},
}: {
  rows: readonly GpuUsageRow[];
  kind: 'workspace' | 'namespace' | 'workload';
  links?: Partial<Links>;
}) {
  const nameColumns: Column<GpuUsageRow>[] =
    kind === 'workspace'
      ? [{ key: 'workspace', title: t('gpu-monitoring.col.workspace'), sortValue: (r) => r.workspace }]
      : kind === 'namespace'
        ? [
            {
              key: 'namespace',
              title: t('gpu-monitoring.col.project'),
              sortValue: (r) => r.namespace,
              render: (r) =>
                r.namespace && links.project ? (
                  <Link to={links.project(r.namespace)}>{r.namespace}</Link>
                ) : (
                  r.namespace
                ),
            },
            {
              key: 'workspace',
              title: t('gpu-monitoring.col.workspace'),
              sortValue: (r) => r.workspace,
              render: (r) => r.workspace ?? '—',
            },
          ]
        : [
            {
              key: 'pod',
              title: t('gpu-monitoring.col.pod'),
              sortValue: (r) => r.pod,
              render: (r) =>
                r.pod && r.namespace && links.workload ? (
                  <Link to={links.workload(r.namespace, r.pod)}>{r.pod}</Link>
                ) : (
                  r.pod
                ),
            },
            { key: 'container', title: t('gpu-monitoring.col.container'), sortValue: (r) => r.container },
          ];
  const columns: Column<GpuUsageRow>[] = [
    ...nameColumns,
    {
      key: 'devices',
      title: t('gpu-monitoring.col.devices'),
      sortValue: (r) => r.devices,
      render: (r) => formatCount(r.devices),
      align: 'right',
    },
    {
      key: 'requested',
      title: t('gpu-monitoring.col.requested'),
      render: (r) =>
        Object.entries(r.requested ?? {})
          .map(([res, n]) => `${res}: ${formatCount(n)}`)
          .join(', ') || '—',
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
      render: (r) => formatBytes(r.memoryUsedBytes),
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
      key: 'idle',
      title: t('gpu-monitoring.col.idleAllocated'),
      sortValue: (r) => r.idleAllocated,
      render: (r) => formatCount(r.idleAllocated),
      align: 'right',
    },
  ];
  return (
    <div data-testid={`usage-table-${kind}`}>
      <DataTable<GpuUsageRow>
        columns={columns}
        rows={rows}
        rowKey={(r) => [r.workspace, r.namespace, r.pod, r.container].join('|')}
        searchText={(r) => [r.workspace, r.namespace, r.pod, r.container].filter(Boolean).join(' ')}
        initialSort={{ key: 'devices', direction: 'desc' }}
        emptyTitle={t('gpu-monitoring.noUsage')}
        pageSize={10}
      />
    </div>
  );
}
