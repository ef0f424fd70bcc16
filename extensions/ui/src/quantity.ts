// Kubernetes resource quantities for the CPU / memory / GPU inputs: parse what a person types ("500m",
// "1.5", "512Mi", "2Gi", "4"), check it for the resource kind, and write it back in canonical form.

// Parsing and the milli form are contracts' (shared with the backend and the sandbox); checking per kind is ours.
import { BINARY_SUFFIXES, DECIMAL_SUFFIXES, formatMilliQuantity, parseQuantity } from '@ks-gpu-ml/contracts';

export type QuantityKind = 'cpu' | 'memory' | 'gpu';

export type QuantityError = 'empty' | 'invalid' | 'negative' | 'fraction' | 'precision';

export type QuantityResult =
  { ok: true; value: number; canonical: string } | { ok: false; error: QuantityError };

/**
 * Parses and checks a quantity for a resource kind: CPU in cores (at most millicore precision), memory in bytes
 * (whole bytes), GPUs as whole devices.
 */
export function parseResource(kind: QuantityKind, text: string): QuantityResult {
  if (text.trim() === '') return { ok: false, error: 'empty' };
  if (kind === 'gpu' && !/^\s*[+-]?\d+\s*$/.test(text)) {
    const value = parseQuantity(text);
    if (value === undefined) return { ok: false, error: 'invalid' };
    if (value < 0) return { ok: false, error: 'negative' };
    return { ok: false, error: 'fraction' };
  }
  const value = parseQuantity(text);
  if (value === undefined) return { ok: false, error: 'invalid' };
  if (value < 0) return { ok: false, error: 'negative' };
  if (kind === 'cpu') {
    const milli = value * 1000;
    if (Math.abs(milli - Math.round(milli)) > 1e-6) return { ok: false, error: 'precision' };
    const rounded = Math.round(milli) / 1000;
    return { ok: true, value: rounded, canonical: formatQuantity('cpu', rounded) };
  }
  if (kind === 'memory') {
    if (Math.abs(value - Math.round(value)) > 1e-6) return { ok: false, error: 'precision' };
    const bytes = Math.round(value);
    return { ok: true, value: bytes, canonical: formatQuantity('memory', bytes) };
  }
  return { ok: true, value, canonical: String(value) };
}

/**
 * Canonical text: CPU as "500m" when not whole cores, else cores; memory in the largest exact binary unit,
 * else the largest exact decimal unit, else bytes.
 */
export function formatQuantity(kind: QuantityKind, value: number): string {
  if (kind === 'cpu') return formatMilliQuantity(value);
  if (kind === 'memory') {
    const bytes = Math.round(value);
    for (const suffix of ['Ei', 'Pi', 'Ti', 'Gi', 'Mi', 'Ki'] as const) {
      const factor = BINARY_SUFFIXES[suffix]!;
      if (bytes !== 0 && bytes % factor === 0) return `${bytes / factor}${suffix}`;
    }
    for (const suffix of ['E', 'P', 'T', 'G', 'M', 'k'] as const) {
      const factor = DECIMAL_SUFFIXES[suffix]!;
      if (bytes !== 0 && bytes % factor === 0) return `${bytes / factor}${suffix}`;
    }
    return String(bytes);
  }
  return String(Math.round(value));
}

/** Human-readable amount for tables and charts: "1.5 Gi", "250 m", "3" (not for round-tripping). */
export function humanQuantity(kind: QuantityKind, value: number): string {
  if (kind === 'memory') {
    const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return `${Number(v.toFixed(2))}${units[i] ? ` ${units[i]}` : ''}`;
  }
  if (kind === 'cpu' && value !== 0 && Math.abs(value) < 1) return `${Math.round(value * 1000)} m`;
  return String(Number(value.toFixed(2)));
}
