// Small, pure helpers for writing PromQL text safely. Every label value that reaches a query goes
// through escapeLabelValue (and escapeRegex first when it lands in a =~ matcher).

/** Escapes a value for a double-quoted PromQL string (Go string-literal rules). */
export function escapeLabelValue(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
}

/** Escapes RE2 metacharacters so the value matches only itself inside a regex. */
export function escapeRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

export type MatchOp = '=' | '!=' | '=~' | '!~';

/** `name="value"` with the value escaped. A regex value must already be a regex (see anyOf). */
export function matcher(name: string, op: MatchOp, value: string): string {
  return `${name}${op}"${escapeLabelValue(value)}"`;
}

/**
 * A regex matching exactly one of the values. Prometheus anchors regex matchers (`^(?:…)$`), so
 * `a|b` cannot match `xa` or `ab`; each value is regex-escaped so `.` or `|` in it stay literal.
 */
export function anyOf(values: readonly string[]): string {
  return values.map(escapeRegex).join('|');
}

/**
 * Matchers restricting `label` to the allow-list. An empty list must match nothing (fail closed):
 * two contradicting matchers do that without relying on any regex trick.
 */
export function allowListMatchers(label: string, values: readonly string[]): string[] {
  if (values.length === 0) return [matcher(label, '=', ''), matcher(label, '!=', '')];
  if (values.length === 1) return [matcher(label, '=', values[0]!)];
  return [matcher(label, '=~', anyOf([...new Set(values)].sort()))];
}

/** `metric{m1,m2}`; the braces are left out when there are no matchers. */
export function selector(metric: string, matchers: readonly string[] = []): string {
  return matchers.length === 0 ? metric : `${metric}{${matchers.join(', ')}}`;
}

/** A PromQL duration from whole seconds, in the largest unit that divides it (`90s`, `5m`, `7d`). */
export function duration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0)
    throw new RangeError(`not a positive whole number of seconds: ${seconds}`);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/** `by (a, b)` with duplicates removed, or an empty string for no labels (aggregate everything). */
export function by(labels: readonly string[]): string {
  return labels.length === 0 ? '' : ` by (${[...new Set(labels)].join(', ')})`;
}
