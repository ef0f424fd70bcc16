// Time series (query_range answers) and top-N lists in the contract's shape. Pure.
import type { GpuSeries, GpuTopList, SeriesLabels } from '@ks-gpu-ml/contracts';
import type { LabelScheme } from './labels.js';
import { byName, seriesLabels, valueOf, type Sample } from './samples.js';

const labelText = (l: SeriesLabels): string =>
  [l.node, l.gpu, l.migProfile, l.uuid, l.workspace, l.namespace, l.pod, l.container]
    .map((v) => v ?? '')
    .join('\u0000');

/** Points keep Prometheus' gaps: a missing or non-finite value is no point, never a 0. */
export function assembleSeries(
  scheme: LabelScheme,
  matrix: readonly Sample[],
  meta: Omit<GpuSeries, 'series'>,
): GpuSeries {
  const series = matrix.map((s) => ({
    labels: seriesLabels(scheme, s.metric),
    points: (s.values ?? [])
      .map(([t, v]) => [t, Number(v)] as [number, number])
      .filter(([, v]) => Number.isFinite(v)),
  }));
  series.sort((a, b) => byName(labelText(a.labels), labelText(b.labels)));
  return { ...meta, series };
}

/** topk() does not order its answer: largest first here, at most `n`. */
export function assembleTop(
  scheme: LabelScheme,
  samples: readonly Sample[],
  n: number,
  meta: Omit<GpuTopList, 'items'>,
): GpuTopList {
  const items = samples
    .map((s) => ({ labels: seriesLabels(scheme, s.metric), value: valueOf(s) }))
    .filter((i): i is { labels: SeriesLabels; value: number } => i.value !== undefined)
    .sort((a, b) => b.value - a.value || byName(labelText(a.labels), labelText(b.labels)))
    .slice(0, n);
  return { ...meta, items };
}
