import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AlertBusiness, RoutingPolicyInput } from '@ks-gpu-ml/contracts';
import {
  chooseRouting,
  inWindow,
  routedEscalation,
  routingIssues,
  routingMatches,
  WINDOW_START_GRACE_MS,
  windowTime,
} from './routing.js';

const enriched = (value: string) => ({ value, provenance: { source: 'cmdb', rule: 'test' } });
const business = (
  system: string,
  importance?: string,
): Pick<AlertBusiness, 'system' | 'unowned' | 'importance'> => ({
  system: enriched(system),
  unowned: system === 'unowned',
  ...(importance ? { importance: enriched(importance) } : {}),
});
const policy = (over: Partial<RoutingPolicyInput>): RoutingPolicyInput => ({
  name: 'p',
  priority: 100,
  match: {},
  receivers: ['r'],
  ...over,
});
// Asia/Shanghai is UTC+8 all year: 2026-12-07 is a Monday.
const at = (local: string) => Date.parse(`${local}+08:00`);
const working = {
  timeZone: 'Asia/Shanghai',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'] as const,
  start: '09:00',
  end: '18:00',
};

describe('routing windows', () => {
  it("working hours: inside on a weekday between start and end, in the window's time zone", () => {
    const w = { ...working, days: [...working.days] };
    assert.equal(inWindow(w, at('2026-12-07T09:00:00')), true);
    assert.equal(inWindow(w, at('2026-12-07T17:59:00')), true);
    assert.equal(inWindow(w, at('2026-12-07T18:00:00')), false);
    assert.equal(inWindow(w, at('2026-12-07T08:59:00')), false);
    // Saturday
    assert.equal(inWindow(w, at('2026-12-12T10:00:00')), false);
    // 10:00 in Shanghai is 02:00 UTC: a UTC window would say otherwise.
    assert.equal(inWindow({ ...w, timeZone: 'UTC' }, at('2026-12-07T10:00:00')), false);
  });

  it('holidays are outside the window, and outside: true turns it round (nights, weekends, holidays)', () => {
    const w = { ...working, days: [...working.days], holidays: ['2026-12-08'] };
    assert.equal(inWindow(w, at('2026-12-08T10:00:00')), false);
    const offHours = { ...w, outside: true };
    assert.equal(inWindow(offHours, at('2026-12-08T10:00:00')), true);
    assert.equal(inWindow(offHours, at('2026-12-07T10:00:00')), false);
    assert.equal(inWindow(offHours, at('2026-12-07T23:00:00')), true);
    assert.equal(inWindow(offHours, at('2026-12-12T10:00:00')), true);
  });

  it('a night window runs past midnight and belongs to the day it starts', () => {
    const night = { timeZone: 'Asia/Shanghai', days: ['mon' as const], start: '19:00', end: '09:00' };
    assert.equal(inWindow(night, at('2026-12-07T19:00:00')), true);
    assert.equal(inWindow(night, at('2026-12-08T02:00:00')), true); // Tuesday early, Monday's night
    assert.equal(inWindow(night, at('2026-12-08T09:00:00')), false);
    assert.equal(inWindow(night, at('2026-12-08T20:00:00')), false); // Tuesday's night is not listed
    assert.equal(inWindow({ ...night, holidays: ['2026-12-07'] }, at('2026-12-08T02:00:00')), false);
  });
});

describe('routing match', () => {
  const alert = (system: string, labels: Record<string, string> = {}, importance?: string) => ({
    labels: { severity: 'critical', namespace: 'prod-pay', ...labels },
    business: business(system, importance),
  });
  const now = at('2026-12-07T10:00:00');

  it('every given field must match; a list matches any of its values', () => {
    const p = policy({
      match: { systems: ['payments', 'orders'], severities: ['critical'], importance: ['P1'] },
    });
    assert.equal(routingMatches(p, alert('payments', {}, 'P1'), now), true);
    assert.equal(routingMatches(p, alert('payments', {}, 'P3'), now), false);
    assert.equal(routingMatches(p, alert('payments', { severity: 'warning' }, 'P1'), now), false);
    assert.equal(routingMatches(p, alert('search', {}, 'P1'), now), false);
    const labels = policy({ match: { namespaces: ['prod-pay'], labels: { team: 'a' }, clusters: ['host'] } });
    assert.equal(routingMatches(labels, alert('x', { team: 'a', cluster: 'host' }), now), true);
    assert.equal(routingMatches(labels, alert('x', { team: 'b', cluster: 'host' }), now), false);
    assert.equal(routingMatches(labels, alert('x', { team: 'a', cluster: 'member' }), now), false);
  });

  it('unowned matches only the unowned bucket, and a system list never matches it', () => {
    assert.equal(routingMatches(policy({ match: { unowned: true } }), alert('unowned'), now), true);
    assert.equal(routingMatches(policy({ match: { unowned: true } }), alert('payments'), now), false);
    assert.equal(routingMatches(policy({ match: { systems: ['unowned'] } }), alert('unowned'), now), false);
  });

  it('the first by priority then name wins; the platform default only when nothing else does', () => {
    const policies = [
      policy({ name: 'fallback', priority: 0, default: true }),
      policy({ name: 'b-payments', priority: 10, match: { systems: ['payments'] } }),
      policy({ name: 'a-payments', priority: 10, match: { systems: ['payments'] } }),
      policy({ name: 'critical', priority: 5, match: { severities: ['critical'], systems: ['orders'] } }),
    ];
    assert.equal(chooseRouting(policies, alert('payments'), now)?.name, 'a-payments');
    assert.equal(chooseRouting(policies, alert('orders'), now)?.name, 'critical');
    assert.equal(chooseRouting(policies, alert('unowned'), now)?.name, 'fallback');
    assert.equal(chooseRouting(policies.slice(1), alert('unowned'), now), undefined);
  });

  it('day and night policies for one system split by the window', () => {
    const policies = [
      policy({
        name: 'day',
        match: { systems: ['payments'] },
        window: { ...working, days: [...working.days] },
      }),
      policy({
        name: 'night',
        match: { systems: ['payments'] },
        window: { ...working, days: [...working.days], outside: true },
      }),
    ];
    assert.equal(chooseRouting(policies, alert('payments'), at('2026-12-07T10:00:00'))?.name, 'day');
    assert.equal(chooseRouting(policies, alert('payments'), at('2026-12-07T22:00:00'))?.name, 'night');
  });
});

describe('the time a window is judged at', () => {
  const iso = (local: string) => new Date(at(local)).toISOString();

  it("an alert seen soon after it started is judged at its start: 23:50's night, not 00:10's", () => {
    // Nights on weekdays only, and Friday's night ends at midnight: Saturday 00:10 is no one's night.
    const nights = { ...working, days: [...working.days], start: '19:00', end: '00:00' };
    const startedAt = iso('2026-12-11T23:50:00');
    const seenAt = at('2026-12-12T00:10:00');
    assert.equal(windowTime(startedAt, seenAt), at('2026-12-11T23:50:00'));
    assert.equal(inWindow(nights, windowTime(startedAt, seenAt)), true);
    assert.equal(inWindow(nights, seenAt), false, 'judged when seen, it would miss the night policy');
  });

  it('an alert seen after an outage, one ahead of the clock, or one without a start is judged now', () => {
    const now = at('2026-12-07T19:00:00');
    assert.equal(windowTime(iso('2026-12-07T18:30:00'), now), now - WINDOW_START_GRACE_MS);
    assert.equal(windowTime(iso('2026-12-07T18:29:59'), now), now, 'more than 30 min late');
    assert.equal(windowTime(iso('2026-12-07T19:00:05'), now), now, 'a start after now is clock skew');
    assert.equal(windowTime(undefined, now), now);
    assert.equal(windowTime('not a time', now), now);
  });
});

describe('routed escalation and checks', () => {
  it("receivers join the named policy's first step; alone they make one step; none is muted", () => {
    const named = {
      name: 'oncall',
      matchLabels: {},
      steps: [
        { receivers: ['robot'], waitSeconds: 300 },
        { receivers: ['phone'], waitSeconds: 0 },
      ],
      repeat: 1,
    };
    const both = routedEscalation(
      policy({ name: 'pay', receivers: ['pay-group', 'robot'], escalationPolicy: 'oncall' }),
      named,
    );
    assert.deepEqual(both?.steps[0]?.receivers, ['pay-group', 'robot']);
    assert.deepEqual(both?.steps[1], named.steps[1]);
    assert.equal(both?.repeat, 1);
    assert.deepEqual(routedEscalation(policy({ receivers: ['x'] }), undefined)?.steps, [
      { receivers: ['x'], waitSeconds: 0 },
    ]);
    assert.equal(routedEscalation(policy({ receivers: [] }), undefined), null);
  });

  it('names what does not exist, a wrong time zone, a date that is not one, a second default', () => {
    const known = { receivers: new Set(['r']), policies: new Set(['oncall']), otherDefault: 'fallback' };
    const issues = routingIssues(
      policy({
        receivers: ['r', 'gone'],
        escalationPolicy: 'nope',
        window: {
          timeZone: 'Mars/Olympus',
          days: ['mon'],
          start: '09:00',
          end: '18:00',
          holidays: ['2026-02-30'],
        },
        default: true,
      }),
      known,
    );
    assert.deepEqual(
      issues.map((i) => i.field),
      [
        'body.receivers.1',
        'body.escalationPolicy',
        'body.window.timeZone',
        'body.window.holidays.0',
        'body.default',
      ],
    );
    assert.deepEqual(routingIssues(policy({}), known), []);
  });
});
