import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timelineOf, waitParts } from './timeline.js';

const policy = {
  steps: [
    { receivers: ['robot'], waitSeconds: 300 },
    { receivers: ['owner', 'backup'], waitSeconds: 600, acksRequired: 2 },
  ],
  repeat: 1,
};

test('an escalating alert: steps sent, the next one with its due time, the rest pending, over every round', () => {
  const steps = timelineOf(policy, { state: 'escalating', stepsSent: 1, nextStepAt: '2026-12-06T01:05:00Z' });
  assert.deepEqual(
    steps.map((s) => [s.seq, s.round, s.step, s.status]),
    [
      [1, 1, 1, 'sent'],
      [2, 1, 2, 'next'],
      [3, 2, 1, 'pending'],
      [4, 2, 2, 'pending'],
    ],
  );
  assert.equal(steps[1]!.dueAt, '2026-12-06T01:05:00Z');
  assert.equal(steps[1]!.acksRequired, 2);
  assert.equal(steps[0]!.dueAt, undefined);
});

test('acknowledged or resolved: what was not sent is stopped, never next', () => {
  for (const state of ['acknowledged', 'resolved'] as const) {
    const steps = timelineOf(policy, { state, stepsSent: 2 });
    assert.deepEqual(
      steps.map((s) => s.status),
      ['sent', 'sent', 'stopped', 'stopped'],
    );
  }
  assert.deepEqual(
    timelineOf(policy, { state: 'exhausted', stepsSent: 4 }).map((s) => s.status),
    ['sent', 'sent', 'sent', 'sent'],
  );
});

test('waits read in seconds, minutes and hours', () => {
  assert.deepEqual(waitParts(30), { key: 'seconds', params: { seconds: 30 } });
  assert.deepEqual(waitParts(300), { key: 'minutes', params: { minutes: 5 } });
  assert.deepEqual(waitParts(5400), { key: 'hoursMinutes', params: { hours: 1, minutes: 30 } });
  assert.deepEqual(waitParts(7200), { key: 'hours', params: { hours: 2 } });
});
