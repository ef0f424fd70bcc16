// The engine over a real SQLite store (the intake's tables and ours, migrated as in production); the outbox is
// recorded here, since sending is the outbox's job and has its own tests.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EscalationPolicyInput, ReceiverInput } from '@ks-gpu-ml/contracts';
import type { Notification } from '../../clients/channels/channel.js';
import { createConfigStore } from '../../clients/store/alert-config.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { createAlertIntakeStore } from '../../clients/store/alert-intake.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createEscalationEngine, type EscalationEngine } from './escalation.js';
import { toIntakeBatch } from './service.js';
import { alertFixture, batchFixture } from './test-fixtures.js';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
const receiver = (name: string): ReceiverInput => ({
  name,
  type: 'voice',
  settings: {},
  secretRefs: {},
  recipients: [{ name, mobile: '+8613800000000' }],
});
const policy: EscalationPolicyInput = {
  name: 'critical',
  matchLabels: { severity: 'critical' },
  steps: [
    { receivers: ['robot'], waitSeconds: 300 },
    { receivers: ['owner'], waitSeconds: 600 },
    { receivers: ['backup', 'robot'], waitSeconds: 600, acksRequired: 2 },
  ],
  repeat: 0,
};

let store: Store;
let now: number;
let engine: EscalationEngine;
let sent: { receiver: string; notification: Notification }[];
let cancelled: string[];

async function intake(status: 'firing' | 'resolved', n = 1) {
  const alert = alertFixture(n, { status });
  await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture([alert]), now));
  return `${alert.fingerprint}-${T0 / 1000}`;
}
const at = async (minutes: number) => {
  now = T0 + minutes * 60_000;
  await engine.tick();
};
const sentTo = () => sent.map((s) => `${s.notification.status}:${s.receiver}`);

beforeEach(async () => {
  store = createStore('sqlite::memory:');
  await store.migrate();
  const receivers = createConfigStore<ReceiverInput>(store, 'alert_receiver');
  const policies = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
  for (const name of ['robot', 'owner']) await receivers.create('ws-alpha', name, receiver(name), T0);
  await receivers.create('', 'backup', receiver('backup'), T0);
  await policies.create('ws-alpha', 'critical', policy, T0);
  sent = [];
  cancelled = [];
  now = T0;
  engine = createEscalationEngine({
    store: createEscalationStore(store),
    receivers,
    policies,
    workspaceOf: async (ns) => (ns === 'alpha-train' ? 'ws-alpha' : undefined),
    outbox: {
      async enqueue(entries) {
        sent.push(...entries);
        return entries.length;
      },
      async cancelPending(alertKey) {
        cancelled.push(alertKey);
        return 0;
      },
    },
    ackUrl: (alertKey, person) => `https://ks.example/alerting/ack?t=${alertKey}.${person}`,
    secondMs: 1000,
    now: () => now,
  });
});
afterEach(async () => {
  await store.close();
});

describe('escalation engine', () => {
  it('walks the steps on their waits: robot, owner after 5 min, backup (a cluster receiver) after 10 more', async () => {
    await intake('firing');
    await at(0);
    assert.deepEqual(sentTo(), ['firing:ws-alpha/robot']);
    await at(4);
    assert.equal(sent.length, 1, 'nothing before the wait is over');
    await at(5);
    await at(15);
    assert.deepEqual(sentTo(), [
      'firing:ws-alpha/robot',
      'firing:ws-alpha/owner',
      'firing:backup',
      'firing:ws-alpha/robot',
    ]);
    await at(60);
    assert.equal(sent.length, 4, 'exhausted: nothing more');
  });

  it('puts a per-person signed link in each firing message and a stable idempotency key', async () => {
    const key = await intake('firing');
    await at(0);
    const [first] = sent;
    assert.equal(first!.notification.ackUrl, `https://ks.example/alerting/ack?t=${key}.ws-alpha/robot`);
    assert.equal(first!.notification.idempotencyKey, `${key}:firing:0:ws-alpha/robot`);
    assert.equal(first!.notification.recipients[0]!.mobile, '+8613800000000');
  });

  it('an acknowledgement stops the escalation at once and cancels what the outbox has not sent', async () => {
    const key = await intake('firing');
    await at(0);
    now = T0 + 60_000;
    assert.equal(await engine.acknowledge(key, 'ws-alpha/robot', 'link'), 'done');
    assert.deepEqual(cancelled, [key]);
    assert.equal((await engine.view(key))?.state, 'acknowledged');
    await at(30);
    assert.equal(sent.length, 1, 'no step after the acknowledgement');
    assert.equal(await engine.acknowledge(key, 'ws-alpha/robot', 'link'), 'again');
  });

  it('a step that needs two acknowledgements goes on after one', async () => {
    const key = await intake('firing');
    await at(0);
    await at(5);
    await at(15);
    assert.equal(await engine.acknowledge(key, 'alice', 'ui'), 'done');
    // The last step was sent (nothing more to send), but one acknowledgement of two does not end it.
    assert.equal((await engine.view(key))?.state, 'exhausted');
    assert.deepEqual(cancelled, []);
    assert.equal(await engine.acknowledge(key, 'bob', 'ui'), 'done');
    assert.equal((await engine.view(key))?.state, 'acknowledged');
  });

  it('a resolve stops it and notifies everyone notified so far, once', async () => {
    await intake('firing');
    await at(0);
    await at(5);
    await intake('resolved');
    await at(6);
    assert.deepEqual(sentTo().slice(2), ['resolved:ws-alpha/robot', 'resolved:ws-alpha/owner']);
    await at(30);
    assert.equal(sent.length, 4);
  });

  it('two engines on one store (two replicas) send each step once', async () => {
    const twin = createEscalationEngine({
      store: createEscalationStore(store),
      receivers: createConfigStore<ReceiverInput>(store, 'alert_receiver'),
      policies: createConfigStore<EscalationPolicyInput>(store, 'alert_policy'),
      workspaceOf: async () => 'ws-alpha',
      outbox: {
        async enqueue(entries) {
          sent.push(...entries);
          return entries.length;
        },
        async cancelPending() {
          return 0;
        },
      },
      secondMs: 1000,
      now: () => now,
    });
    await intake('firing');
    await Promise.all([engine.tick(), twin.tick()]);
    now = T0 + 5 * 60_000;
    await Promise.all([engine.tick(), twin.tick()]);
    assert.deepEqual(sentTo(), ['firing:ws-alpha/robot', 'firing:ws-alpha/owner']);
  });

  it('a one-step chain is exhausted as it starts; an outbox failure hands the step back to the next tick, sent once', async () => {
    const policies = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
    await policies.create(
      '',
      'once',
      {
        name: 'once',
        matchLabels: { alertname: 'Once' },
        steps: [{ receivers: ['backup'], waitSeconds: 0 }],
        repeat: 0,
      },
      T0,
    );
    let failures = 1;
    engine = createEscalationEngine({
      store: createEscalationStore(store),
      receivers: createConfigStore<ReceiverInput>(store, 'alert_receiver'),
      policies,
      workspaceOf: async () => undefined,
      outbox: {
        async enqueue(entries) {
          if (failures-- > 0) throw new Error('outbox unavailable');
          sent.push(...entries);
          return entries.length;
        },
        cancelPending: async () => 0,
      },
      secondMs: 1000,
      now: () => now,
    });
    const once = (n: number) =>
      alertFixture(n, {
        labels: { alertname: 'Once', namespace: 'gamma', pod: `once-${n}`, severity: 'warning' },
      });
    await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture([once(7)]), now));
    await assert.rejects(engine.tick(), /outbox unavailable/);
    const key = `${once(7).fingerprint}-${T0 / 1000}`;
    assert.equal((await engine.view(key))?.state, 'escalating', 'handed back');
    assert.equal((await engine.view(key))?.stepsSent, 0);
    await engine.tick();
    await engine.tick();
    assert.deepEqual(sentTo(), ['firing:backup']);
    assert.equal((await engine.view(key))?.state, 'exhausted');

    await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture([once(8)]), now));
    await engine.tick();
    const next = await engine.view(`${once(8).fingerprint}-${T0 / 1000}`);
    assert.equal(next?.state, 'exhausted', 'started, sent and exhausted in one tick');
    assert.deepEqual(next?.notified, ['backup']);
    assert.equal(sent.length, 2);
  });

  it('a storm larger than a batch is started and stepped in one tick each, every alert (not the oldest 500)', async () => {
    const storm = Array.from({ length: 1_200 }, (_, i) => alertFixture(100 + i));
    await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture(storm), now));
    await at(0);
    assert.equal(sent.length, 1_200, 'every first step in the first tick');
    await at(5);
    assert.equal(sent.length, 2_400, 'every second step in one tick after the wait');
    const second = new Set(sent.slice(1_200).map((s) => s.notification.alertKey));
    assert.equal(second.size, 1_200);
    assert.ok(
      sentTo()
        .slice(1_200)
        .every((to) => to === 'firing:ws-alpha/owner'),
    );
  });

  it('starts nothing for an alert no policy matches', async () => {
    const alert = alertFixture(2, {
      labels: { alertname: 'Info', namespace: 'alpha-train', severity: 'info' },
    });
    await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture([alert]), now));
    await at(0);
    assert.deepEqual(sent, []);
  });

  it('scales the waits by the configured length of a second', async () => {
    engine = createEscalationEngine({
      store: createEscalationStore(store),
      receivers: createConfigStore<ReceiverInput>(store, 'alert_receiver'),
      policies: createConfigStore<EscalationPolicyInput>(store, 'alert_policy'),
      workspaceOf: async () => 'ws-alpha',
      outbox: { enqueue: async (e) => sent.push(...e), cancelPending: async () => 0 },
      secondMs: 10,
      now: () => now,
    });
    await intake('firing');
    await engine.tick();
    now = T0 + 3_000;
    await engine.tick();
    assert.deepEqual(sentTo(), ['firing:ws-alpha/robot', 'firing:ws-alpha/owner']);
  });
});
