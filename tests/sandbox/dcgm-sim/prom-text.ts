// Prometheus text exposition format 0.0.4: writing series, and parsing them back (tests and the
// sandbox's own checks read the simulator's output with parseExposition).

/** Labels in exposition order; order matters for faithfulness to the exporters being imitated. */
export type Labels = [name: string, value: string][];

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function formatSeries(name: string, labels: Labels, value: string): string {
  const body = labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
  return `${name}{${body}} ${value}`;
}

export function familyHeader(name: string, help: string, type: 'gauge' | 'counter'): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}`;
}

/**
 * Go's strconv.FormatFloat(v, 'g', -1, 64), which is how kube-state-metrics prints values
 * (e.g. 3.3554432e+10 for 32 GiB, 8 for eight GPUs).
 */
export function formatGoFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  if (exponent < -4 || exponent >= 6) {
    // With the shortest precision Go decides with precision 6: %e when the exponent is >= 6 or < -4.
    const [mantissa, exp = '0'] = value.toExponential().split('e');
    const sign = exp.startsWith('-') ? '-' : '+';
    const digits = exp.replace(/^[+-]/, '').padStart(2, '0');
    return `${mantissa}e${sign}${digits}`;
  }
  return String(value);
}

export interface ParsedSample {
  name: string;
  labels: Labels;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help?: string;
  type?: string;
  samples: ParsedSample[];
}

/** Parses an exposition; throws on a malformed line so tests catch format regressions. */
export function parseExposition(text: string): Map<string, ParsedFamily> {
  const families = new Map<string, ParsedFamily>();
  const family = (name: string): ParsedFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      const f = family(meta[2]!);
      if (meta[1] === 'HELP') f.help = meta[3];
      else f.type = meta[3];
      continue;
    }
    if (line.startsWith('#')) continue;
    const sample = parseSampleLine(line);
    family(sample.name).samples.push(sample);
  }
  return families;
}

export function parseSampleLine(line: string): ParsedSample {
  const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: \d+)?$/.exec(line);
  if (!match) throw new Error(`malformed sample line: ${line}`);
  const labels: Labels = [];
  const body = match[2] ?? '';
  const labelRe = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/gy;
  let consumed = 0;
  for (let m = labelRe.exec(body); m; m = labelRe.exec(body)) {
    labels.push([m[1]!, m[2]!.replace(/\\n/g, '\n').replace(/\\(["\\])/g, '$1')]);
    consumed = labelRe.lastIndex;
    if (consumed === body.length) break;
  }
  if (consumed !== body.length) throw new Error(`malformed labels in: ${line}`);
  const value = match[3]!;
  const num = value === '+Inf' ? Infinity : value === '-Inf' ? -Infinity : Number(value);
  if (Number.isNaN(num) && value !== 'NaN') throw new Error(`malformed value in: ${line}`);
  return { name: match[1]!, labels, value: num };
}

/** The value of one label of a parsed sample, or undefined when the sample lacks it. */
export function labelOf(sample: ParsedSample, name: string): string | undefined {
  return sample.labels.find(([k]) => k === name)?.[1];
}
