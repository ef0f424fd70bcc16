import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planEscalation, totalOccurrences, type PlanInput } from './escalation-plan.js';

// robot → 5 min → voice owner → 10 min → voice backup (needs 2 acks), the chain once more.
const policy: PlanInput['policy'] = {
  steps: [
    { receivers: ['robot'], waitSeconds: 300 },
    { receivers: ['voice-owner'], waitSeconds: 600 },
    { receivers: ['voice-backup'], waitSeconds: 600, acksRequired: 2 },
  ],
  repeat: 1,
};
const T0 = 1_000_000;
const min = 60_000;
const base: PlanInput = {
  policy,
  firingAt: T0,
  acknowledgedBy: [],
  resolved: false,
  stepsSent: 0,
  now: T0,
  secondMs: 1000,
};
const plan = (over: Partial<PlanInput>) => planEscalation({ ...base, ...over });

describe('planEscalation', () => {
  it('sends the first step at once and waits 5 minutes for the next', () => {
    const p = plan({});
    assert.equal(p.state, 'escalating');
    assert.deepEqual(p.send, [{ seq: 0, round: 0, index: 0, at: T0 }]);
    assert.deepEqual(p.next, { seq: 1, round: 0, index: 1, at: T0 + 5 * min });
  });

  it('sends nothing before the wait is over', () => {
    const p = plan({ stepsSent: 1, now: T0 + 5 * min - 1 });
    assert.deepEqual(p.send, []);
    assert.equal(p.next?.seq, 1);
  });

  it('sends the second step when its wait is over, the third 10 minutes later', () => {
    const p = plan({ stepsSent: 1, now: T0 + 5 * min });
    assert.deepEqual(
      p.send.map((o) => o.index),
      [1],
    );
    assert.equal(p.next?.at, T0 + 15 * min);
  });

  it('repeats the chain: the fourth occurrence is step 0 of round 1, after the last step`s wait', () => {
    const p = plan({ stepsSent: 3, now: T0 + 25 * min });
    assert.deepEqual(p.send, [{ seq: 3, round: 1, index: 0, at: T0 + 25 * min }]);
  });

  it('after a gap it sends every due step together, skipping nobody', () => {
    const p = plan({ stepsSent: 1, now: T0 + 16 * min });
    assert.deepEqual(
      p.send.map((o) => o.seq),
      [1, 2],
    );
    assert.equal(p.next?.seq, 3);
  });

  it('is exhausted when every occurrence of every round was sent', () => {
    assert.equal(totalOccurrences(policy), 6);
    assert.equal(plan({ stepsSent: 6, now: T0 + 999 * min }).state, 'exhausted');
    assert.deepEqual(
      plan({ stepsSent: 5, now: T0 + 999 * min }).send.map((o) => o.seq),
      [5],
    );
  });

  it('stops at once on one acknowledgement where the step needs one', () => {
    assert.equal(plan({ stepsSent: 2, now: T0 + 15 * min, acknowledgedBy: ['alice'] }).state, 'acknowledged');
  });

  it('keeps escalating until the step`s required number of distinct people acknowledged', () => {
    const one = plan({ stepsSent: 3, now: T0 + 25 * min, acknowledgedBy: ['alice', 'alice'] });
    assert.equal(one.state, 'escalating');
    assert.deepEqual(
      one.send.map((o) => o.seq),
      [3],
    );
    assert.equal(
      plan({ stepsSent: 3, now: T0 + 25 * min, acknowledgedBy: ['alice', 'bob'] }).state,
      'acknowledged',
    );
  });

  it('stops on resolve, acknowledged or not', () => {
    assert.equal(plan({ resolved: true }).state, 'resolved');
    assert.equal(plan({ resolved: true, acknowledgedBy: ['a'] }).state, 'resolved');
  });

  it('scales every wait by the configured length of a policy second', () => {
    const p = plan({ stepsSent: 1, secondMs: 10, now: T0 + 3000 });
    assert.deepEqual(
      p.send.map((o) => o.seq),
      [1],
    );
    assert.equal(p.next?.at, T0 + 9000);
  });

  it('with no waits sends every step of every round at once, then is exhausted', () => {
    const zero = { steps: [{ receivers: ['a'], waitSeconds: 0 }], repeat: 2 };
    const p = plan({ policy: zero });
    assert.deepEqual(
      p.send.map((o) => o.seq),
      [0, 1, 2],
    );
    assert.equal(plan({ policy: zero, stepsSent: 3 }).state, 'exhausted');
    assert.equal(p.next, undefined);
  });
});
