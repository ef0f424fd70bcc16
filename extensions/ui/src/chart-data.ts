// Turns time series (as Prometheus returns them: [unix seconds, "value"] pairs) into the row-per-timestamp
// shape the @kubed/charts (recharts) components take.

export interface Series {
  name: string;
  points: readonly (readonly [number, number | string])[];
}

export type ChartRow = { time: number } & Record<string, number | null>;

/** One row per distinct timestamp, ascending; a series without a point at that time gets `null` (a gap). */
export function toChartRows(series: readonly Series[]): ChartRow[] {
  const byTime = new Map<number, ChartRow>();
  for (const s of series) {
    for (const [time, raw] of s.points) {
      const value = typeof raw === 'number' ? raw : Number(raw);
      let row = byTime.get(time);
      if (!row) {
        row = { time } as ChartRow;
        byTime.set(time, row);
      }
      row[s.name] = Number.isFinite(value) ? value : null;
    }
  }
  const names = series.map((s) => s.name);
  return [...byTime.values()]
    .sort((a, b) => a.time - b.time)
    .map((row) => {
      for (const name of names) if (!(name in row)) row[name] = null;
      return row;
    });
}
