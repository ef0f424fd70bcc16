import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ReceivedAlert } from '@ks-gpu-ml/contracts';
import { ageOf, alertKeyOf, alertRows, severityRank, silenceMatchers } from './alerts.js';

const state = (id: number, extra: Partial<ReceivedAlert>): ReceivedAlert => ({
  id,
  fingerprint: 'a1b2c3d4e5f60718',
  status: 'firing',
  startsAt: '2026-12-06T01:00:00.500Z',
  labels: { alertname: 'KubePodCrashLooping', severity: 'critical', namespace: 'alpha-train' },
  receivedAt: '2026-12-06T01:00:05Z',
  ...extra,
});

test('the alert key is the fingerprint and the unix second it started, as the backend keys escalations', () => {
  assert.equal(alertKeyOf(state(1, {})), 'a1b2c3d4e5f60718-1796518800');
});

test('one row per alert, the newest state winning, newest first; a new firing after a resolve is a new alert', () => {
  const rows = alertRows([
    state(3, { status: 'resolved', receivedAt: '2026-12-06T01:10:00Z' }),
    state(2, { fingerprint: 'ffff', receivedAt: '2026-12-06T01:05:00Z', labels: { business: 'payments' } }),
    state(1, {}),
    state(4, { startsAt: '2026-12-06T02:00:00Z', receivedAt: '2026-12-06T02:00:01Z' }),
  ]);
  assert.deepEqual(
    rows.map((r) => [r.key, r.status]),
    [
      ['a1b2c3d4e5f60718-1796522400', 'firing'],
      ['a1b2c3d4e5f60718-1796518800', 'resolved'],
      ['ffff-1796518800', 'firing'],
    ],
  );
  assert.equal(rows[2]!.business, 'payments');
  assert.equal(rows[1]!.namespace, 'alpha-train');
});

test('severities sort critical first, unknown last; ages read as the console does', () => {
  assert.ok(severityRank('critical') < severityRank('warning'));
  assert.ok(severityRank('Warning') < severityRank('bogus'));
  const now = Date.parse('2026-12-06T03:00:00Z');
  assert.equal(ageOf('2026-12-06T02:59:30Z', now), '30s');
  assert.equal(ageOf('2026-12-06T02:15:00Z', now), '45m');
  assert.equal(ageOf('2026-12-04T03:00:00Z', now), '2d');
});

test('a silence of an alert starts from its name and project', () => {
  assert.equal(
    silenceMatchers({ alertname: 'KubePodCrashLooping', namespace: 'alpha-train' }),
    'alertname="KubePodCrashLooping"\nnamespace="alpha-train"',
  );
  assert.equal(silenceMatchers({ alertname: 'GpuXidError', namespace: '' }), 'alertname="GpuXidError"');
});
