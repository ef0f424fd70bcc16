import React, { useMemo } from 'react';
import { AreaChart, LineChart } from '@kubed/charts';
import { toChartRows, type Series } from '../chart-data.js';
import { EmptyState } from './States.js';

export interface TimeSeriesChartProps {
  series: Series[];
  variant?: 'line' | 'area';
  height?: number;
  valueFormatter?: (value: number) => string;
  emptyTitle?: string;
  /** Fixed y-axis bounds (e.g. 0 and 1 for ratios, so an all-zero series does not get an arbitrary scale). */
  minValue?: number;
  maxValue?: number;
}

const timeLabel = (seconds: number) =>
  new Date(seconds * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** A time-series chart over @kubed/charts: Prometheus-style series in, one line (or area) per series out. */
export function TimeSeriesChart({
  series,
  variant = 'line',
  height = 240,
  valueFormatter,
  emptyTitle,
  minValue,
  maxValue,
}: TimeSeriesChartProps) {
  const data = useMemo(
    () => toChartRows(series).map((row) => ({ ...row, label: timeLabel(row.time) })),
    [series],
  );
  if (data.length === 0) return <EmptyState title={emptyTitle} />;
  const Chart = variant === 'area' ? AreaChart : LineChart;
  return (
    <div style={{ height }} data-testid="time-series-chart">
      <Chart
        data={data}
        dataKey="label"
        categories={series.map((s) => s.name)}
        {...(valueFormatter ? { valueFormatter } : {})}
        {...(minValue !== undefined ? { minValue } : {})}
        {...(maxValue !== undefined ? { maxValue } : {})}
        showLegend={series.length > 1}
      />
    </div>
  );
}
