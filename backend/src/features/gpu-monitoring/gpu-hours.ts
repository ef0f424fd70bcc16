// The GPU-hours report from gpuHoursQueries()' two answers (allocated by group and resource, utilized by
// group), and its CSV form. Pure.
import type { GpuHoursReport, GpuHoursRow } from '@ks-gpu-ml/contracts';
import { toCsv, type CsvValue } from './csv.js';
import { byName, resourceName, valueOf, type Sample } from './samples.js';

export type GroupBy = GpuHoursReport['groupBy'];

/** A row's group fields from a sample's labels: the recorded `app_kind` and `creator` become appKind and user. */
function groupOf(metric: Record<string, string>, groupBy: GroupBy): Partial<GpuHoursRow> {
  const fields: Partial<Record<'workspace' | 'namespace' | 'appKind' | 'app' | 'user', string>> = {};
  const keep = (field: keyof typeof fields, label: string) => {
    if (metric[label]) fields[field] = metric[label];
  };
  if (groupBy === 'workspace') keep('workspace', 'workspace');
  if (groupBy === 'namespace' || groupBy === 'app') keep('namespace', 'namespace');
  if (groupBy === 'app') {
    keep('appKind', 'app_kind');
    keep('app', 'app');
  }
  if (groupBy === 'user') keep('user', 'creator');
  return fields;
}

/** The name a row is sorted and shown by: `namespace/Kind/name` for an app, else the one group field. */
export function groupName(row: GpuHoursRow, groupBy: GroupBy): string {
  switch (groupBy) {
    case 'app':
      return row.app === undefined ? '' : `${row.namespace ?? ''}/${row.appKind ?? ''}/${row.app}`;
    case 'user':
      return row.user ?? '';
    default:
      return row[groupBy] ?? '';
  }
}

export function assembleGpuHours(
  answers: { allocated: readonly Sample[]; utilized: readonly Sample[] },
  meta: { start: number; end: number; groupBy: GroupBy },
): GpuHoursReport {
  const rows = new Map<string, GpuHoursRow>();
  const row = (metric: Record<string, string>): GpuHoursRow => {
    // Namespaces outside any workspace come back without a workspace label, apps without a creator without a
    // creator: their row has no group name.
    const fields = groupOf(metric, meta.groupBy);
    const key = JSON.stringify(fields);
    let r = rows.get(key);
    if (!r) {
      r = { ...fields, allocatedByResource: {}, allocatedGpuHours: 0, utilizedGpuHours: 0 };
      rows.set(key, r);
    }
    return r;
  };
  const resources = new Set<string>();
  for (const s of answers.allocated) {
    const hours = valueOf(s) ?? 0;
    const r = row(s.metric);
    const resource = resourceName(s.metric.resource ?? '');
    resources.add(resource);
    r.allocatedByResource[resource] = (r.allocatedByResource[resource] ?? 0) + hours;
    r.allocatedGpuHours += hours;
  }
  for (const s of answers.utilized) row(s.metric).utilizedGpuHours += valueOf(s) ?? 0;
  const sorted = [...rows.values()].sort((a, b) =>
    byName(groupName(a, meta.groupBy), groupName(b, meta.groupBy)),
  );
  const totals = { allocatedGpuHours: 0, utilizedGpuHours: 0 };
  for (const r of sorted) {
    totals.allocatedGpuHours += r.allocatedGpuHours;
    totals.utilizedGpuHours += r.utilizedGpuHours;
  }
  return {
    start: meta.start,
    end: meta.end,
    groupBy: meta.groupBy,
    rows: sorted,
    totals,
    resources: [...resources].sort(byName),
  };
}

/**
 * Column titles in the caller's language; resource columns are titled `allocatedBy(<resource name>)`. By app the
 * group is three columns (project, kind, name): `project` and `kind` title the first two.
 */
export interface GpuHoursCsvHeaders {
  group: string;
  project?: string;
  kind?: string;
  allocated: string;
  utilized: string;
  allocatedBy: (resource: string) => string;
}

/** GPU-hours are multiples of one accounting minute: four decimals keep them exact to the hour's 1/60. */
const hours = (v: number): number => Math.round(v * 10_000) / 10_000;

/** One row per group: its name (by app: project, kind, name), allocated, utilized, then per resource (empty when none). */
export function gpuHoursCsv(report: GpuHoursReport, headers: GpuHoursCsvHeaders): string {
  const byApp = report.groupBy === 'app';
  const groupHeaders = byApp ? [headers.project ?? '', headers.kind ?? '', headers.group] : [headers.group];
  const lines: CsvValue[][] = [
    [...groupHeaders, headers.allocated, headers.utilized, ...report.resources.map(headers.allocatedBy)],
  ];
  for (const r of report.rows) {
    lines.push([
      ...(byApp ? [r.namespace ?? '', r.appKind ?? '', r.app ?? ''] : [groupName(r, report.groupBy)]),
      hours(r.allocatedGpuHours),
      hours(r.utilizedGpuHours),
      ...report.resources.map((res) => {
        const v = r.allocatedByResource[res];
        return v === undefined ? undefined : hours(v);
      }),
    ]);
  }
  return toCsv(lines);
}

/** `20261128T170000Z`: sortable, and without the colons file systems refuse. */
export function compactUtc(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** `gpu-hours-<scope>-<start>-<end>.csv`; scope names are DNS labels, so the header needs no escaping. */
export function gpuHoursFilename(scopeName: string, start: number, end: number): string {
  return `gpu-hours-${scopeName}-${compactUtc(start)}-${compactUtc(end)}.csv`;
}
