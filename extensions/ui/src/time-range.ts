// Time ranges for monitoring views: presets, the query window (start, end, step) a range resolves to at a
// given moment, and the auto-refresh intervals.

export const RANGE_PRESETS = ['15m', '1h', '6h', '24h', '7d', '30d'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const REFRESH_INTERVALS = [0, 10, 30, 60, 300] as const;
/** Seconds between automatic refreshes; 0 is off. */
export type RefreshInterval = (typeof REFRESH_INTERVALS)[number];

export interface QueryWindow {
  /** Unix seconds. */
  start: number;
  end: number;
  /** Seconds between points; a "nice" value giving at most `maxPoints` points. */
  step: number;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** "15m" → 900; `null` for anything else. */
export function durationSeconds(text: string): number | null {
  const match = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[1]);
  return value > 0 ? value * UNIT_SECONDS[match[2]!]! : null;
}

const NICE_STEPS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** The smallest nice step (≥ 15 s, Prometheus' usual scrape interval) that keeps the series under `maxPoints`. */
export function stepFor(rangeSeconds: number, maxPoints = 300): number {
  const min = rangeSeconds / maxPoints;
  return NICE_STEPS.find((s) => s >= min) ?? Math.ceil(min / 86400) * 86400;
}

/** The window a preset covers at `nowMs`, with `end` aligned down to the step so refreshes reuse the same points. */
export function resolveRange(preset: RangePreset | string, nowMs: number, maxPoints = 300): QueryWindow {
  const seconds = durationSeconds(preset) ?? 3600;
  const step = stepFor(seconds, maxPoints);
  const end = Math.floor(nowMs / 1000 / step) * step;
  return { start: end - seconds, end, step };
}

/** A short label for a step or interval: 30 → "30s", 300 → "5m", 7200 → "2h", 86400 → "1d". */
export function formatSeconds(seconds: number): string {
  if (seconds > 0 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
