// How the GPU figures read on screen. The API's units are base units (ratios 0–1, bytes, watts, °C, Unix
// seconds) and an absent figure means "no data": every formatter shows NO_DATA for it, never 0.

export const NO_DATA = '—';

const present = (value: number | null | undefined): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/** Up to `digits` decimals, no trailing zeros: 12 → "12", 12.345 → "12.3". */
function trim(value: number, digits: number): string {
  return String(Number(value.toFixed(digits)));
}

/** A 0–1 ratio as a percentage: 0.375 → "37.5%", 1 → "100%". */
export function formatPercent(ratio: number | null | undefined): string {
  return present(ratio) ? `${trim(ratio * 100, 1)}%` : NO_DATA;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in the largest binary unit under 1024: 85899345920 → "80 GiB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (!present(bytes)) return NO_DATA;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trim(value, 1)} ${BYTE_UNITS[unit]}`;
}

/** "12 GiB / 80 GiB", or whichever side is known. */
export function formatMemory(used: number | null | undefined, total: number | null | undefined): string {
  if (!present(used) && !present(total)) return NO_DATA;
  return `${formatBytes(used)} / ${formatBytes(total)}`;
}

/** Used ÷ total as a ratio, when both are known and the total is not 0. */
export function memoryRatio(used: number | null | undefined, total: number | null | undefined) {
  return present(used) && present(total) && total > 0 ? used / total : undefined;
}

export function formatWatts(watts: number | null | undefined): string {
  return present(watts) ? `${trim(watts, watts < 10 ? 1 : 0)} W` : NO_DATA;
}

export function formatCelsius(celsius: number | null | undefined): string {
  return present(celsius) ? `${trim(celsius, 0)} °C` : NO_DATA;
}

export function formatCount(count: number | null | undefined): string {
  return present(count) ? trim(count, 2) : NO_DATA;
}

/** GPU-hours with two decimals: 1.005 → "1.01", 12 → "12.00". */
export function formatHours(hours: number | null | undefined): string {
  return present(hours) ? hours.toFixed(2) : NO_DATA;
}

/**
 * Unix seconds as local "YYYY-MM-DD HH:MM:SS": the same in both languages, and free of "/" (the console's
 * i18next escapes interpolated values for HTML, which would show a slash as "&#x2F;").
 */
export function formatTime(seconds: number | null | undefined): string {
  if (!present(seconds)) return NO_DATA;
  const d = new Date(seconds * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** The idle threshold as a percentage, whether the API gives it as a 0–1 ratio (0.05) or in percent (5). */
export function formatThreshold(threshold: number): string {
  return formatPercent(threshold > 1 ? threshold / 100 : threshold);
}

export type MetricUnit = 'ratio' | 'bytes' | 'watts' | 'celsius' | 'count';

/** The unit of each figure the series API serves. */
export const METRIC_UNITS: Record<string, MetricUnit> = {
  utilization: 'ratio',
  tensorActive: 'ratio',
  memoryUsedBytes: 'bytes',
  memoryTotalBytes: 'bytes',
  powerWatts: 'watts',
  temperatureC: 'celsius',
  devices: 'count',
};

export function formatValue(unit: MetricUnit, value: number | null | undefined): string {
  switch (unit) {
    case 'ratio':
      return formatPercent(value);
    case 'bytes':
      return formatBytes(value);
    case 'watts':
      return formatWatts(value);
    case 'celsius':
      return formatCelsius(value);
    default:
      return formatCount(value);
  }
}
