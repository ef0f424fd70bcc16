// Pure shaping of the gpu-monitoring API's answers for the pages: series → chart series, summary → cards,
// GPU-hours report → table rows, date ranges → query seconds, names for rows and downloads.
import type {
  GpuCard,
  GpuHolder,
  GpuHoursReport,
  GpuLevel,
  GpuSeries,
  GpuSummary,
  GpuUsageRow,
  SeriesLabels,
} from '@ks-gpu-ml/contracts';
import type { Series } from '@ks-gpu-ml/ui';

/** The name a series is shown under at its level. */
export function seriesName(labels: SeriesLabels, level: GpuLevel, clusterName: string): string {
  switch (level) {
    case 'cluster':
      return clusterName;
    case 'node':
      return labels.node ?? '';
    case 'gpu': {
      const device =
        labels.node !== undefined && labels.gpu !== undefined ? `${labels.node}/${labels.gpu}` : '';
      const mig = labels.migProfile ? ` ${labels.migProfile}` : '';
      return `${device || labels.uuid || ''}${mig}`;
    }
    case 'workspace':
      return labels.workspace ?? '';
    case 'namespace':
      return labels.namespace ?? '';
    case 'workload': {
      const pod = [labels.namespace, labels.pod].filter(Boolean).join('/');
      return labels.container ? `${pod} (${labels.container})` : pod;
    }
    default:
      return '';
  }
}

const mean = (points: readonly (readonly [number, number])[]) => {
  const values = points.map((p) => p[1]).filter((v) => Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : -Infinity;
};

export interface ChartSeries {
  series: Series[];
  /** How many series the answer had; more than `series.length` when only the top ones are drawn. */
  total: number;
}

/**
 * The answer's series as chart series: named for their level (unnamed ones as `unknown`, duplicates numbered),
 * and when there are more than `maxSeries`, only those with the highest mean over the range, largest first.
 */
export function toChartSeries(
  answer: Pick<GpuSeries, 'level' | 'series'> | undefined,
  opts: { clusterName: string; unknown: string; maxSeries?: number },
): ChartSeries {
  if (!answer) return { series: [], total: 0 };
  const max = opts.maxSeries ?? 10;
  let items = answer.series.map((s) => ({ s, name: seriesName(s.labels, answer.level, opts.clusterName) }));
  if (items.length > max) {
    items = items
      .map((item, index) => ({ ...item, index, mean: mean(item.s.points) }))
      .sort((a, b) => b.mean - a.mean || a.index - b.index)
      .slice(0, max);
  }
  const seen = new Map<string, number>();
  const series = items.map(({ s, name }) => {
    const base = name || opts.unknown;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { name: n > 1 ? `${base} #${n}` : base, points: s.points };
  });
  return { series, total: answer.series.length };
}

export type SummaryKey = 'devices' | 'allocated' | 'busy' | 'idleAllocated';
export const SUMMARY_KEYS: readonly SummaryKey[] = ['devices', 'allocated', 'busy', 'idleAllocated'];

export interface ModelRow {
  key: string;
  model: string;
  migProfile?: string;
  devices: number;
  allocated: number;
  busy: number;
  idleAllocated: number;
  /** allocated ÷ devices; undefined for 0 devices. */
  allocatedRatio?: number;
}

export function modelRows(summary: Pick<GpuSummary, 'models'>): ModelRow[] {
  return summary.models.map((m) => ({
    key: `${m.model}|${m.migProfile ?? ''}`,
    model: m.model,
    ...(m.migProfile ? { migProfile: m.migProfile } : {}),
    devices: m.devices,
    allocated: m.allocated,
    busy: m.busy,
    idleAllocated: m.idleAllocated,
    ...(m.devices > 0 ? { allocatedRatio: m.allocated / m.devices } : {}),
  }));
}

/** "ns/pod (container)" for each holder of a GPU, joined; empty when free. */
export function holderText(holders: readonly GpuHolder[]): string {
  return holders.map((h) => `${h.namespace}/${h.pod}${h.container ? ` (${h.container})` : ''}`).join(', ');
}

/**
 * What a usage row's utilization cell says. On a shared GPU the device's figure is not the pod's (ADR 0015):
 * HAMi's own per-container figure where the API has one, else "shared — unavailable", never the device's.
 */
export type UtilizationCell =
  { kind: 'own'; ratio: number | undefined } | { kind: 'hami'; ratio: number } | { kind: 'shared' };

export function utilizationCell(
  row: Pick<GpuUsageRow, 'utilization' | 'shared' | 'sharedUtilization'>,
): UtilizationCell {
  if (!row.shared) return { kind: 'own', ratio: row.utilization };
  return row.sharedUtilization !== undefined
    ? { kind: 'hami', ratio: row.sharedUtilization }
    : { kind: 'shared' };
}

/** A GPU's name on screen: node/index, plus the MIG profile of an instance. */
export function gpuName(card: Pick<GpuCard, 'node' | 'gpu' | 'migProfile' | 'migInstance'>): string {
  const mig = card.migProfile ? ` · ${card.migProfile}${card.migInstance ? `#${card.migInstance}` : ''}` : '';
  return `${card.node}/${card.gpu}${mig}`;
}

// ---- GPU-hours report ------------------------------------------------------------------------------------

/** A local calendar date "YYYY-MM-DD" of `ms`. */
export function isoDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Midnight (local time) starting the date, as Unix seconds; undefined for anything not a real date. */
export function dateStart(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]) - 1, Number(m[3])];
  const at = new Date(y, mo, d);
  if (at.getFullYear() !== y || at.getMonth() !== mo || at.getDate() !== d) return undefined;
  return Math.floor(at.getTime() / 1000);
}

export const MAX_REPORT_DAYS = 93;

export type RangeProblem = 'invalid' | 'order' | 'future' | 'tooLong';
export type ReportRange = { ok: true; start: number; end: number } | { ok: false; problem: RangeProblem };

/**
 * The report's range for two inclusive local dates: from the start date's midnight to the end of the end date,
 * cut at `nowMs` (a report of today runs until now). At most MAX_REPORT_DAYS days, as the API allows.
 */
export function reportRange(startDate: string, endDate: string, nowMs: number): ReportRange {
  const start = dateStart(startDate);
  const endDay = dateStart(endDate);
  if (start === undefined || endDay === undefined) return { ok: false, problem: 'invalid' };
  if (endDay < start) return { ok: false, problem: 'order' };
  const now = Math.floor(nowMs / 1000);
  if (start >= now) return { ok: false, problem: 'future' };
  const [y, mo, d] = endDate.split('-').map(Number) as [number, number, number];
  const nextDay = Math.floor(new Date(y, mo - 1, d + 1).getTime() / 1000);
  const end = Math.min(nextDay, now);
  if (end - start > MAX_REPORT_DAYS * 86400) return { ok: false, problem: 'tooLong' };
  return { ok: true, start, end };
}

/** The last `days` days up to today (inclusive dates). */
export function defaultReportDates(nowMs: number, days = 7): { start: string; end: string } {
  const today = new Date(nowMs);
  const first = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1));
  return { start: isoDate(first.getTime()), end: isoDate(nowMs) };
}

export interface HoursRow {
  key: string;
  workspace?: string;
  namespace?: string;
  /** groupBy app: the app's kind and name. */
  appKind?: string;
  app?: string;
  /** groupBy user: the apps' creator. */
  user?: string;
  byResource: Record<string, number>;
  allocated: number;
  utilized: number;
  /** utilized ÷ allocated; undefined when nothing was allocated. */
  efficiency?: number;
}

export function hoursRows(report: Pick<GpuHoursReport, 'rows' | 'groupBy'>): HoursRow[] {
  const keyOf = (r: GpuHoursReport['rows'][number]): string => {
    switch (report.groupBy) {
      case 'workspace':
        return r.workspace ?? '';
      case 'app':
        return `${r.namespace ?? ''}/${r.appKind ?? ''}/${r.app ?? ''}`;
      case 'user':
        return r.user ?? '';
      default:
        return `${r.workspace ?? ''}/${r.namespace ?? ''}`;
    }
  };
  return report.rows.map((r) => ({
    key: keyOf(r),
    ...(r.workspace !== undefined ? { workspace: r.workspace } : {}),
    ...(r.namespace !== undefined ? { namespace: r.namespace } : {}),
    ...(r.appKind !== undefined ? { appKind: r.appKind } : {}),
    ...(r.app !== undefined ? { app: r.app } : {}),
    ...(r.user !== undefined ? { user: r.user } : {}),
    byResource: r.allocatedByResource,
    allocated: r.allocatedGpuHours,
    utilized: r.utilizedGpuHours,
    ...(r.allocatedGpuHours > 0 ? { efficiency: r.utilizedGpuHours / r.allocatedGpuHours } : {}),
  }));
}

/** Σ per resource over the rows (the report's totals give only the overall sums). */
export function resourceTotals(rows: readonly HoursRow[], resources: readonly string[]) {
  const totals: Record<string, number> = {};
  for (const r of resources) totals[r] = rows.reduce((sum, row) => sum + (row.byResource[r] ?? 0), 0);
  return totals;
}

/** The download's file name: gpu-hours-<scope>-<groupBy>-<start date>-<end date>.csv, safe characters only. */
export function csvFileName(scope: string, groupBy: string, startDate: string, endDate: string): string {
  const safe = (s: string) => s.replace(/[^\w.-]+/g, '_');
  return `gpu-hours-${safe(scope)}-${safe(groupBy)}-${safe(startDate)}-${safe(endDate)}.csv`;
}
