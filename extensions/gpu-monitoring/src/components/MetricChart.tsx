// A GPU metric over the page's time range, loading its own series, with or without its own metric picker.
import React, { useMemo, useState } from 'react';
import type { GpuLevel, GpuMetricName } from '@ks-gpu-ml/contracts';
import { ChoiceSelect, TimeSeriesChart, resolveRange, t, type RangePreset } from '@ks-gpu-ml/ui';
import { seriesPath, useSeries, type SeriesFilter, type Where } from '../api.js';
import { METRIC_UNITS, formatValue } from '../format.js';
import { toChartSeries } from '../shape.js';
import { Muted, Panel } from './layout.js';
import { Bone, Loaded } from './Loaded.js';

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
    <ChoiceSelect
      ariaLabel={t('gpu-monitoring.chart.metric')}
      value={value}
      choices={metrics}
      label={(m) => t(`gpu-monitoring.metric.${m}`)}
      onChange={onChange}
    />
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
