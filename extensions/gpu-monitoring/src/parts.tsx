// Pieces the gpu-monitoring pages share: the range/refresh controls, figure cards, a loading skeleton, charts that
// load their own series, and the GPU, idle-GPU and usage tables.
import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import styled from 'styled-components';
import type {
  GpuCard,
  GpuFigureName,
  GpuLevel,
  GpuMetricName,
  GpuUsageRow,
  IdleGpu,
} from '@ks-gpu-ml/contracts';
import {
  DataTable,
  ErrorState,
  TimeRangePicker,
  TimeSeriesChart,
  resolveRange,
  t,
  type ApiError,
  type Column,
  type DataTableProps,
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
  formatTime,
  formatValue,
  formatWatts,
  memoryRatio,
} from './format.js';
import type { Links } from './links.js';
import { gpuName, holderText, toChartSeries, utilizationCell } from './shape.js';

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

/** "As of <time>" under a page's figures. */
export function AsOf({ time, style }: { time: number; style?: React.CSSProperties }) {
  return <Muted style={style}>{t('gpu-monitoring.asOf', { time: formatTime(time) })}</Muted>;
}

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

interface FigureProps {
  id: string;
  label: string;
  text: string;
  value?: number | undefined;
  note?: string;
  tone?: string;
}

/** One labelled figure; `data-key` and `data-value` carry the raw number (absent = no data) for tests. */
export function Figure({ id, label, text, value, note, tone }: FigureProps) {
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

/** A figure that counts something. */
export function CountFigure({ count, ...figure }: Omit<FigureProps, 'text' | 'value'> & { count: number }) {
  return <Figure {...figure} text={formatCount(count)} value={count} />;
}

/** A usage row's utilization as text: its own, HAMi's on a shared GPU, or "shared — unavailable". */
export function utilizationText(
  row: Pick<GpuUsageRow, 'utilization' | 'shared' | 'sharedUtilization'>,
): string {
  const cell = utilizationCell(row);
  if (cell.kind === 'shared') return t('gpu-monitoring.sharedUnavailable');
  if (cell.kind === 'hami') return t('gpu-monitoring.sharedHami', { percent: formatPercent(cell.ratio) });
  return formatPercent(cell.ratio);
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
      <CountFigure id={`${idPrefix}devices`} label={t('gpu-monitoring.col.devices')} count={row.devices} />
      <Figure
        id={`${idPrefix}utilization`}
        label={t('gpu-monitoring.col.utilization')}
        text={utilizationText(row)}
        value={row.shared ? row.sharedUtilization : row.utilization}
        {...(row.shared ? { note: t('gpu-monitoring.sharedNote') } : {})}
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

/** What a page reads: react-query's answer, as far as Loaded looks at it. */
export interface Query<T> {
  data?: T | undefined;
  error: ApiError | null;
  refetch: () => unknown;
}

/** Loading (skeleton), error (the server's message; retry refetches, or does `onRetry`) or the content. */
export function Loaded<T>({
  query,
  children,
  skeleton,
  onRetry,
}: {
  query: Query<T>;
  children: (data: T) => React.ReactNode;
  skeleton?: React.ReactNode;
  onRetry?: () => void;
}) {
  if (query.error)
    return (
      <ErrorState
        error={query.error}
        title={t('gpu-monitoring.loadFailed')}
        onRetry={onRetry ?? (() => void query.refetch())}
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

/** The page's time range and the moment it ends at. */
export interface PageTime {
  range: RangePreset;
  now: number;
}

/** A figure over the page's time range at one level, loading its own series; errors show the server's message. */
export function MetricChart({
  where,
  metric,
  level,
  time,
  filter = {},
  maxSeries = 10,
  height = 240,
  testId,
}: {
  where: Where;
  metric: GpuMetricName;
  level: GpuLevel;
  time: PageTime;
  filter?: SeriesFilter;
  maxSeries?: number;
  height?: number;
  testId?: string;
}) {
  const win = resolveRange(time.range, time.now);
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
  time: PageTime;
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
        time={props.time}
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

/** A DataTable of 10 rows a page, in a box that tests find by `testId`. */
export function PagedTable<T>({ testId, ...table }: DataTableProps<T> & { testId: string }) {
  return (
    <div data-testid={testId}>
      <DataTable<T> pageSize={10} {...table} />
    </div>
  );
}

/** A right-aligned number column, sorted by `value` and shown through `format` (as it is without one). */
export function numberColumn<R>(
  key: string,
  title: string,
  value: (row: R) => number | undefined,
  format?: (value: number | undefined, row: R) => React.ReactNode,
): Column<R> {
  return {
    key,
    title,
    sortValue: value,
    ...(format ? { render: (r: R) => format(value(r), r) } : {}),
    align: 'right',
  };
}

type Figured = Pick<GpuUsageRow, GpuFigureName>;
type FigureColumn = readonly [
  key: string,
  value: (row: Figured) => number | undefined,
  format: (value: number | undefined, row: Figured) => string,
];

/** The figure columns of the GPU, node and usage tables: key (and `col.` title), value and its text. */
const FIGURE_COLUMNS = {
  utilization: ['utilization', (r) => r.utilization, formatPercent],
  tensor: ['tensor', (r) => r.tensorActive, formatPercent],
  memory: ['memory', (r) => r.memoryUsedBytes, (used, r) => formatMemory(used, r.memoryTotalBytes)],
  /** Memory used, without the total. */
  memoryUsed: ['memory', (r) => r.memoryUsedBytes, formatBytes],
  power: ['power', (r) => r.powerWatts, formatWatts],
  temperature: ['temperature', (r) => r.temperatureC, formatCelsius],
} satisfies Record<string, FigureColumn>;

/** Figure columns, in the order named. */
export function figureColumns<R extends Figured>(...names: (keyof typeof FIGURE_COLUMNS)[]): Column<R>[] {
  return names.map((name) => {
    const [key, value, format] = FIGURE_COLUMNS[name];
    return numberColumn<R>(key, t(`gpu-monitoring.col.${key}`), value, format);
  });
}

/** The GPU (or MIG instance) by node and index, linked to its page where the layout has one. */
const gpuColumn = <R extends Pick<GpuCard, 'node' | 'gpu' | 'uuid' | 'migInstance'>>(
  links: Partial<Links>,
): Column<R> => ({
  key: 'gpu',
  title: t('gpu-monitoring.col.gpu'),
  sortValue: (c) => `${c.node}/${c.gpu.padStart(4, '0')}`,
  render: (c) => (links.gpu ? <Link to={links.gpu(c.uuid)}>{gpuName(c)}</Link> : gpuName(c)),
});

const modelColumn = <R extends { model: string }>(): Column<R> => ({
  key: 'model',
  title: t('gpu-monitoring.col.model'),
  sortValue: (r) => r.model,
});

export const workspaceColumn = <R extends { workspace?: string | undefined }>(): Column<R> => ({
  key: 'workspace',
  title: t('gpu-monitoring.col.workspace'),
  sortValue: (r) => r.workspace,
  render: (r) => r.workspace ?? '—',
});

/** The project, linked to its page where the layout has one. */
const projectColumn = <R extends { namespace?: string | undefined }>(links: Partial<Links>): Column<R> => ({
  key: 'namespace',
  title: t('gpu-monitoring.col.project'),
  sortValue: (r) => r.namespace,
  render: (r) =>
    r.namespace && links.project ? <Link to={links.project(r.namespace)}>{r.namespace}</Link> : r.namespace,
});

const gpuColumns = (links: Partial<Links>, opts: { node?: boolean }): Column<GpuCard>[] => [
  gpuColumn(links),
  modelColumn(),
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
  ...figureColumns<GpuCard>('utilization', 'tensor', 'memory', 'power', 'temperature'),
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
    <PagedTable<GpuCard>
      testId="gpu-table"
      columns={columns}
      rows={cards}
      rowKey={(c) => `${c.uuid}|${c.migInstance ?? ''}`}
      searchText={(c) => `${gpuName(c)} ${c.model} ${c.uuid} ${holderText(c.holders)}`}
      initialSort={{ key: 'gpu', direction: 'asc' }}
      emptyTitle={t('gpu-monitoring.noGpus')}
    />
  );
}

export function IdleTable({ items, links = {} }: { items: readonly IdleGpu[]; links?: Partial<Links> }) {
  const columns: Column<IdleGpu>[] = [
    gpuColumn(links),
    modelColumn(),
    workspaceColumn(),
    projectColumn(links),
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
    <PagedTable<IdleGpu>
      testId="idle-table"
      columns={columns}
      rows={items}
      rowKey={(g) => `${g.uuid}|${g.migInstance ?? ''}|${g.pod}`}
      searchText={(g) => `${gpuName(g)} ${g.model} ${g.namespace} ${g.pod} ${g.workspace ?? ''}`}
      initialSort={{ key: 'namespace', direction: 'asc' }}
      emptyTitle={t('gpu-monitoring.noIdle')}
    />
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
        ? [projectColumn(links), workspaceColumn()]
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
    numberColumn('devices', t('gpu-monitoring.col.devices'), (r) => r.devices, formatCount),
    {
      key: 'requested',
      title: t('gpu-monitoring.col.requested'),
      render: (r) =>
        Object.entries(r.requested ?? {})
          .map(([res, n]) => `${res}: ${formatCount(n)}`)
          .join(', ') || '—',
    },
    numberColumn<GpuUsageRow>(
      'utilization',
      t('gpu-monitoring.col.utilization'),
      (r) => (r.shared ? r.sharedUtilization : r.utilization),
      (_v, r) => utilizationText(r),
    ),
    ...figureColumns<GpuUsageRow>('memoryUsed', 'power'),
    numberColumn('idle', t('gpu-monitoring.col.idleAllocated'), (r) => r.idleAllocated, formatCount),
  ];
  return (
    <PagedTable<GpuUsageRow>
      testId={`usage-table-${kind}`}
      columns={columns}
      rows={rows}
      rowKey={(r) => [r.workspace, r.namespace, r.pod, r.container].join('|')}
      searchText={(r) => [r.workspace, r.namespace, r.pod, r.container].filter(Boolean).join(' ')}
      initialSort={{ key: 'devices', direction: 'desc' }}
      emptyTitle={t('gpu-monitoring.noUsage')}
    />
  );
}
