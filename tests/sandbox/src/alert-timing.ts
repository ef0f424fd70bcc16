// Shipped alert rules wait as long as production needs (`for: 15m` before a crash loop pages anyone); a test
// cannot. The sandbox therefore loads the rule files of the features below with every alert's `for:` cut to
// SANDBOX_ALERT_FOR, in a derived copy: the shipped file stays as it is, and nothing fakes a clock.
// Decision: docs/adr/0029-container-alert-rules.md.
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';

/** The longest `for:` an alert waits in the sandbox. */
export const SANDBOX_ALERT_FOR = '10s';

/** Features whose alert waits the sandbox shortens; the others' rule files are linked as shipped. */
export const SHORT_WAIT_FEATURES: ReadonlySet<string> = new Set(['cmdb-alerting']);

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};

/** A Prometheus duration ("15m", "1h30m", "0s") in milliseconds. */
export function durationMs(duration: string): number {
  const parts = [...duration.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== duration) {
    throw new Error(`not a Prometheus duration: "${duration}"`);
  }
  return parts.reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
}

interface RuleFile {
  groups?: { rules?: { alert?: string; for?: string }[] }[];
}

/** The rule file with every alert's `for:` at most `longest`; recording rules and shorter waits unchanged. */
export function shortenAlertWaits(ruleFileText: string, longest = SANDBOX_ALERT_FOR): string {
  const file = parse(ruleFileText) as RuleFile;
  for (const rule of (file.groups ?? []).flatMap((g) => g.rules ?? [])) {
    if (rule.alert && rule.for && durationMs(rule.for) > durationMs(longest)) rule.for = longest;
  }
  return stringify(file);
}

/** Puts one feature's rule file where Prometheus reads it: a link, or a shortened copy (see above). */
export function placeRuleFile(feature: string, source: string, target: string): void {
  if (SHORT_WAIT_FEATURES.has(feature))
    writeFileSync(target, shortenAlertWaits(readFileSync(source, 'utf8')));
  else symlinkSync(source, target);
}
