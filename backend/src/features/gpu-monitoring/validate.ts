// The request rules the schemas cannot say: which levels a scope may ask for, that a tenant's filters stay
// inside their scope, and the time ranges (defaults, order, maximum length). Every refusal is a 400 whose
// details name the field, with a message in the caller's language (locales/<lang>/backend.json). Pure.
import { LEVELS_BY_SCOPE, type GpuLevel } from '@ks-gpu-ml/contracts';
import { AppError } from '../../core/errors.js';
import type { IdleOptions } from './queries.js';

export type ScopeKind = keyof typeof LEVELS_BY_SCOPE;

const DAY = 86_400;
/** Charts: a month of points at the coarsest useful step. */
export const MAX_SERIES_RANGE_SECONDS = 31 * DAY;
/** GPU-hours: a quarter, read from 1-minute recording rules (about 134k samples per namespace and resource). */
export const MAX_GPU_HOURS_RANGE_SECONDS = 93 * DAY;
/** GPU-hours below one accounting interval would be a fraction of one sample. */
export const MIN_GPU_HOURS_RANGE_SECONDS = 60;
export const DEFAULT_RANGE_SECONDS = 3600;

const invalid = (key: string, field: string, params: Record<string, unknown> = {}) =>
  new AppError(400, 'Invalid', key, { field, ...params }, { field, ...params });

export function checkLevel(scope: ScopeKind, level: GpuLevel, field = 'querystring.level'): void {
  const allowed: readonly GpuLevel[] = LEVELS_BY_SCOPE[scope];
  if (!allowed.includes(level)) {
    throw invalid('GPU_MONITORING_LEVEL_NOT_IN_SCOPE', field, { level, allowed: allowed.join(', ') });
  }
}

/** A namespace filter must name one of the scope's namespaces ('all' for cluster admins allows any). */
export function checkNamespaceFilter(
  scope: 'all' | readonly string[],
  namespace: string | undefined,
  field = 'querystring.namespace',
): void {
  if (namespace === undefined || scope === 'all' || scope.includes(namespace)) return;
  throw invalid('GPU_MONITORING_NAMESPACE_OUT_OF_SCOPE', field, { namespace });
}

export interface TimeRange {
  start: number;
  end: number;
}

function checkOrder(range: TimeRange, endGiven: boolean): void {
  if (range.end <= range.start) {
    throw invalid(
      'GPU_MONITORING_RANGE_END_NOT_AFTER_START',
      endGiven ? 'querystring.end' : 'querystring.start',
      { ...range },
    );
  }
}

function checkLength(range: TimeRange, maxSeconds: number): void {
  if (range.end - range.start > maxSeconds) {
    throw invalid('GPU_MONITORING_RANGE_TOO_LONG', 'querystring.start', {
      days: Math.ceil((range.end - range.start) / DAY),
      maxDays: maxSeconds / DAY,
    });
  }
}

/** A chart's range: end defaults to now, start to an hour before end; at most 31 days. */
export function seriesRange(query: { start?: number; end?: number }, nowSeconds: number): TimeRange {
  const end = query.end ?? nowSeconds;
  // Clamped at 0: the schema allows end=0, and Unix time has no negative dashboards.
  const range = { start: query.start ?? Math.max(0, end - DEFAULT_RANGE_SECONDS), end };
  checkOrder(range, query.end !== undefined);
  checkLength(range, MAX_SERIES_RANGE_SECONDS);
  return range;
}

/** A GPU-hours report's range (both bounds required by the schema): one minute to 93 days. */
export function gpuHoursRange(query: { start: number; end: number }): TimeRange {
  const range = { start: query.start, end: query.end };
  checkOrder(range, true);
  if (range.end - range.start < MIN_GPU_HOURS_RANGE_SECONDS) {
    throw invalid('GPU_MONITORING_RANGE_TOO_SHORT', 'querystring.end', {
      minSeconds: MIN_GPU_HOURS_RANGE_SECONDS,
    });
  }
  checkLength(range, MAX_GPU_HOURS_RANGE_SECONDS);
  // Whole seconds: PromQL range selectors take no fractions.
  return {
    start: Math.floor(range.start),
    end: Math.floor(range.start) + Math.round(range.end - range.start),
  };
}

/** The idle query parameters (schema defaults applied: 30 minutes, 5 %) as query options and as the answer says. */
export function idleOptions(query: { idleMinutes?: number; idlePercent?: number }): IdleOptions {
  return { windowSeconds: (query.idleMinutes ?? 30) * 60, threshold: (query.idlePercent ?? 5) / 100 };
}
