import type {
  AlertBusiness,
  EscalationPolicyInput,
  RoutingPolicyInput,
  RoutingWindow,
} from '@ks-gpu-ml/contracts';
import { WEEKDAYS } from '@ks-gpu-ml/contracts';
import type { FieldIssue } from './receivers.js';

/**
 * Routing by business (docs/adr/0043), pure: which routing policy takes an alert, given its labels, the business
 * system its enrichment resolved and the time; and the escalation policy that runs for it. No clock, no I/O.
 */

export interface RoutedAlert {
  labels: Readonly<Record<string, string>>;
  business?: Pick<AlertBusiness, 'system' | 'unowned' | 'importance' | 'cluster'>;
  /** When Alertmanager says the alert began firing (RFC 3339); the time its window is judged at (`windowTime`). */
  startsAt?: string;
}

/**
 * How long after an alert began firing its own start still chooses the window. A night-time alert that started at
 * 23:50 and reaches the engine at 00:10 (Alertmanager's group wait, a busy intake) is judged at 23:50, like the
 * escalation's waits, which also count from the start. An alert seen later than this was held up by an outage:
 * the people on duty when it started may be gone, so it is judged when it is seen. docs/adr/0043.
 */
export const WINDOW_START_GRACE_MS = 30 * 60_000;

/** The time a routing window is judged at: the alert's start when it is recent and not ahead of the clock, else now. */
export function windowTime(startsAt: string | undefined, now: number): number {
  const started = startsAt ? Date.parse(startsAt) : Number.NaN;
  return Number.isFinite(started) && started <= now && now - started <= WINDOW_START_GRACE_MS ? started : now;
}

/** The local date, weekday and minute of the day of `at` in `timeZone`. */
export function localTime(at: number, timeZone: string): { date: string; weekday: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(at));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.indexOf(part('weekday').toLowerCase() as (typeof WEEKDAYS)[number]);
  return {
    date: `${part('year')}-${part('month')}-${part('day')}`,
    weekday,
    minutes: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The date before an ISO date (calendar arithmetic in UTC, where every day has 24 hours). */
const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * Whether `at` is inside the window. A window whose end is not after its start runs past midnight and belongs to
 * the day it started on (Monday 19:00–09:00 covers Tuesday 02:00; a holiday on Monday removes that night too).
 * `outside` turns the answer round.
 */
export function inWindow(window: RoutingWindow, at: number): boolean {
  const { date, weekday, minutes } = localTime(at, window.timeZone);
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const holidays = new Set(window.holidays ?? []);
  const on = (day: number, d: string) => window.days.includes(WEEKDAYS[day]!) && !holidays.has(d);
  const inside =
    end > start
      ? on(weekday, date) && minutes >= start && minutes < end
      : (on(weekday, date) && minutes >= start) || (on((weekday + 6) % 7, dayBefore(date)) && minutes < end);
  return window.outside ? !inside : inside;
}

const anyOf = (list: readonly string[] | undefined, value: string | undefined) =>
  !list || list.length === 0 || (value !== undefined && list.includes(value));

/** Whether the policy's match (every field it gives) and its window take the alert, judged at `at` (`windowTime`). */
export function routingMatches(policy: RoutingPolicyInput, alert: RoutedAlert, at: number): boolean {
  const m = policy.match;
  const b = alert.business;
  if (m.unowned !== undefined && (b?.unowned ?? true) !== m.unowned) return false;
  if (!anyOf(m.systems, b && !b.unowned ? b.system.value : undefined)) return false;
  if (!anyOf(m.importance, b?.importance?.value)) return false;
  if (!anyOf(m.severities, alert.labels.severity)) return false;
  if (!anyOf(m.clusters, alert.labels.cluster ?? b?.cluster?.value)) return false;
  if (!anyOf(m.namespaces, alert.labels.namespace)) return false;
  if (m.labels && !Object.entries(m.labels).every(([k, v]) => alert.labels[k] === v)) return false;
  return !policy.window || inWindow(policy.window, at);
}

/** The order policies are tried in: by priority, then name; the platform default last. */
export function routingOrder<P extends RoutingPolicyInput>(policies: readonly P[]): P[] {
  return [...policies].sort(
    (a, b) =>
      Number(a.default ?? false) - Number(b.default ?? false) ||
      a.priority - b.priority ||
      a.name.localeCompare(b.name),
  );
}

/** The first policy that takes the alert, or undefined (the alert then follows the escalation policies' labels). */
export function chooseRouting<P extends RoutingPolicyInput>(
  policies: readonly P[],
  alert: RoutedAlert,
  at: number,
): P | undefined {
  return routingOrder(policies).find((p) => routingMatches(p, alert, at));
}

/**
 * The escalation a routing policy starts: its receivers at once, then the named escalation policy's steps (its first
 * step gains the receivers, at most 10); without one, a single step. `null` when it routes to nobody (muted).
 */
export function routedEscalation(
  route: RoutingPolicyInput,
  named: EscalationPolicyInput | undefined,
): EscalationPolicyInput | null {
  if (named) {
    const [first, ...rest] = named.steps;
    const receivers = [...new Set([...route.receivers, ...first!.receivers])].slice(0, 10);
    return {
      ...named,
      name: `${route.name}/${named.name}`,
      steps: [{ ...first!, receivers }, ...rest],
    };
  }
  if (route.receivers.length === 0) return null;
  return {
    name: route.name,
    matchLabels: {},
    steps: [{ receivers: [...route.receivers], waitSeconds: 0 }],
    repeat: 0,
  };
}

const validTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** What the schema cannot say: the receivers and escalation policy exist, the time zone and holidays are real. */
export function routingIssues(
  input: RoutingPolicyInput,
  known: { receivers: ReadonlySet<string>; policies: ReadonlySet<string>; otherDefault?: string },
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  input.receivers.forEach((name, i) => {
    if (!known.receivers.has(name))
      issues.push({
        field: `body.receivers.${i}`,
        problem: `names receiver "${name}", which the cluster does not have`,
      });
  });
  if (input.escalationPolicy && !known.policies.has(input.escalationPolicy))
    issues.push({
      field: 'body.escalationPolicy',
      problem: `names escalation policy "${input.escalationPolicy}", which the cluster does not have`,
    });
  if (input.window) {
    if (!validTimeZone(input.window.timeZone))
      issues.push({
        field: 'body.window.timeZone',
        problem: `"${input.window.timeZone}" is not an IANA time zone`,
      });
    (input.window.holidays ?? []).forEach((d, i) => {
      const t = Date.parse(`${d}T00:00:00Z`);
      if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== d)
        issues.push({ field: `body.window.holidays.${i}`, problem: `"${d}" is not a date` });
    });
  }
  if (input.default && known.otherDefault)
    issues.push({
      field: 'body.default',
      problem: `"${known.otherDefault}" is the platform default already; only one policy can be`,
    });
  return issues;
}
