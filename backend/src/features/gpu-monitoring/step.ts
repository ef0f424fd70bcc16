// Choosing the `step` of a query_range from its time range: about `maxPoints` points per series, on a
// ladder of round steps (so the same panel asks the same question and caches hit), never finer than the
// scrape interval (a finer step only repeats samples, reference §7.6).

/** Round steps in seconds, smallest first. */
export const STEP_LADDER_SECONDS: readonly number[] = [
  5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400,
];

export interface StepOptions {
  /** Target upper bound of points per series (Prometheus' own hard limit is 11,000). */
  maxPoints?: number;
  /** The scrape interval of the series queried; the step is never below it. */
  scrapeIntervalSeconds?: number;
}

export const DEFAULT_MAX_POINTS = 300;
/** dcgm-exporter collects every 30 s; charts scrape every 15 s (reference §1.2). */
export const DEFAULT_SCRAPE_INTERVAL_SECONDS = 15;

/** The smallest ladder step ≥ max(range / maxPoints, scrape interval); whole days beyond the ladder. */
export function stepFor(rangeSeconds: number, options: StepOptions = {}): number {
  const maxPoints = options.maxPoints ?? DEFAULT_MAX_POINTS;
  const floor = options.scrapeIntervalSeconds ?? DEFAULT_SCRAPE_INTERVAL_SECONDS;
  if (!(rangeSeconds > 0) || !(maxPoints > 0)) throw new RangeError('range and maxPoints must be positive');
  const wanted = Math.max(rangeSeconds / maxPoints, floor);
  const step = STEP_LADDER_SECONDS.find((s) => s >= wanted);
  return step ?? Math.ceil(wanted / 86_400) * 86_400;
}

/**
 * Start and end snapped outward to multiples of the step, so repeated requests for "the last 6 hours"
 * share Prometheus' evaluation timestamps (stable points, cacheable answers).
 */
export function alignRange(
  startSeconds: number,
  endSeconds: number,
  step: number,
): { start: number; end: number } {
  return { start: Math.floor(startSeconds / step) * step, end: Math.ceil(endSeconds / step) * step };
}
