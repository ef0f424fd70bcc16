// Routing by business in the escalation engine, over a real SQLite store: alerts of different business systems
// (resolved by enrichment from their workloads' labels) go to the receivers their routing policies name; an
// alert no source maps lands in the platform default for the unowned bucket; a policy without receivers mutes.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { ReceiverInput, RoutingPolicyInput } from '@ks-gpu-ml/contracts';
import type { KubeOwners, OwnedObject } from '../../clients/cmdb/kube-owners.js';
import type { Store } from '../../clients/store/index.js';
import { AppError } from '../../core/errors.js';
import { createConfigServices } from './receivers-config.js';
import { alertFixture } from './test-fixtures.js';
import { escalationRig, type EscalationRig } from './test-escalation.js';

// Monday 2026-12-07 10:00 in Asia/Shanghai.
const T0 = Date.parse('2026-12-07T02:00:00.000Z');
let store: Store;
let routing: NonNullable<EscalationRig['routing']>;
let sent: EscalationRig['sent'];
let fireAlerts: EscalationRig['fire'];
/** The engine's clock; T0 unless a test moves it. */
let clock = T0;

/** pay-* pods belong to a Deployment of payments, ord-* to one of orders; other pods to nothing. */
const owners: KubeOwners = {
  async ownerChain({ name }): Promise<OwnedObject[]> {
    const system = name.startsWith('pay-') ? 'payments' : name.startsWith('ord-') ? 'orders' : undefined;
    const pod = { kind: 'Pod', namespace: 'prod', name, labels: {}, annotations: {} };
    if (!system) return [pod];
    const labels = { 'app.kubernetes.io/part-of': system };
    return [pod, { kind: 'Deployment', namespace: 'prod', name: system, labels, annotations: {} }];
  },
  namespace: async () => undefined,
};

const receiver = (name: string): ReceiverInput => ({
  name,
  type: 'webhook',
  settings: { url: `https://hooks.example.invalid/${name}` },
  secretRefs: {},
  recipients: [],
});
const policy = (over: Partial<RoutingPolicyInput> & { name: string }): RoutingPolicyInput => ({
  priority: 100,
  match: {},
  receivers: [],
  ...over,
});

beforeEach(async () => {
  clock = T0;
  const rig = await escalationRig({
    now: () => clock,
    receivers: ['pay-group', 'orders-group', 'unowned-inbox', 'everyone'].map(receiver),
    // The label-based policy every alert would follow without routing.
    policies: [
      { name: 'all', matchLabels: {}, steps: [{ receivers: ['everyone'], waitSeconds: 0 }], repeat: 0 },
    ],
    owners,
    routing: true,
  });
  ({ store, sent } = rig);
  routing = rig.routing!; // asked for with routing: true
  fireAlerts = rig.fire;
});
afterEach(() => store.close());

async function fire(...pods: string[]) {
  await fireStarted(undefined, ...pods);
}
/** Fires alerts that began firing at `startsAt` (the fixture's fixed start, long before T0, without one). */
async function fireStarted(startsAt: number | undefined, ...pods: string[]) {
  const alerts = pods.map((pod, i) =>
    alertFixture(i + 1, {
      labels: { alertname: 'KubePodCrashLooping', namespace: 'prod', pod, severity: 'critical' },
      ...(startsAt !== undefined ? { startsAt: new Date(startsAt).toISOString() } : {}),
    }),
  );
  await fireAlerts(...alerts);
}
const receiversOf = (pod: string) =>
  sent
    .filter((s) => s.notification.text.includes(`pod=${pod}`))
    .map((s) => s.receiver)
    .sort();

describe('routing by business at the escalation start', () => {
  it('two alerts of different systems go to different receivers; the unowned one to the platform default', async () => {
    await routing.create(
      policy({ name: 'payments', match: { systems: ['payments'] }, receivers: ['pay-group'] }),
    );
    await routing.create(
      policy({ name: 'orders', match: { systems: ['orders'] }, receivers: ['orders-group'] }),
    );
    await routing.create(
      policy({ name: 'unowned', match: { unowned: true }, receivers: ['unowned-inbox'], default: true }),
    );
    await fire('pay-1', 'ord-1', 'lost-1');
    assert.deepEqual(receiversOf('pay-1'), ['pay-group']);
    assert.deepEqual(receiversOf('ord-1'), ['orders-group']);
    assert.deepEqual(receiversOf('lost-1'), ['unowned-inbox']);
    assert.match(sent.find((s) => s.receiver === 'pay-group')!.notification.title, /\[payments\]/);
  });

  it('an alert no routing policy takes follows the escalation policies; a policy routing to nobody mutes', async () => {
    await routing.create(
      policy({ name: 'payments', match: { systems: ['payments'] }, receivers: ['pay-group'] }),
    );
    await routing.create(policy({ name: 'quiet-orders', match: { systems: ['orders'] }, receivers: [] }));
    await fire('pay-1', 'ord-1', 'lost-1');
    assert.deepEqual(receiversOf('pay-1'), ['pay-group']);
    assert.deepEqual(receiversOf('ord-1'), []);
    assert.deepEqual(receiversOf('lost-1'), ['everyone']);
  });

  it('a night policy does not take a daytime alert', async () => {
    const working = {
      timeZone: 'Asia/Shanghai',
      days: ['mon' as const, 'tue' as const],
      start: '09:00',
      end: '18:00',
    };
    await routing.create(
      policy({
        name: 'pay-night',
        match: { systems: ['payments'] },
        window: { ...working, outside: true },
        receivers: ['pay-group'],
      }),
    );
    await fire('pay-1');
    assert.deepEqual(receiversOf('pay-1'), ['everyone']);
  });

  it("the window is the one of the alert's start: 17:55's working hours though the engine starts it at 18:05", async () => {
    const working = {
      timeZone: 'Asia/Shanghai',
      days: ['mon' as const, 'tue' as const],
      start: '09:00',
      end: '18:00',
    };
    const pay = { systems: ['payments'] };
    await routing.create(policy({ name: 'pay-day', match: pay, window: working, receivers: ['pay-group'] }));
    await routing.create(
      policy({
        name: 'pay-night',
        match: pay,
        window: { ...working, outside: true },
        receivers: ['unowned-inbox'],
      }),
    );
    // Monday 18:05 in Shanghai.
    clock = Date.parse('2026-12-07T10:05:00.000Z');
    await fireStarted(clock - 10 * 60_000, 'pay-1');
    assert.deepEqual(receiversOf('pay-1'), ['pay-group']);
    // Started at 16:00 but seen only now (an outage held it): the day's people have left, the night takes it.
    clock += 60_000;
    await fireStarted(clock - 2 * 3_600_000, 'pay-2');
    assert.deepEqual(receiversOf('pay-2'), ['unowned-inbox']);
  });

  it('refuses a policy naming a receiver the cluster lacks, and a second default', async () => {
    await routing.create(policy({ name: 'd', default: true, receivers: ['unowned-inbox'] }));
    for (const [input, field] of [
      [policy({ name: 'x', receivers: ['nobody'] }), 'body.receivers.0'],
      [policy({ name: 'y', default: true }), 'body.default'],
      [policy({ name: 'z', escalationPolicy: 'missing' }), 'body.escalationPolicy'],
    ] as const) {
      await assert.rejects(routing.create(input), (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.statusCode, 400);
        assert.equal(err.details.field, field);
        return true;
      });
    }
  });
});

describe('what a routing policy names stays', () => {
  it('a receiver or escalation policy a routing policy names cannot be deleted (409)', async () => {
    const services = createConfigServices(store, () => T0);
    await services.policies.create('', {
      name: 'oncall',
      matchLabels: { team: 'none' },
      steps: [{ receivers: ['everyone'], waitSeconds: 60 }],
      repeat: 0,
    });
    await routing.create(
      policy({
        name: 'pay',
        match: { systems: ['payments'] },
        receivers: ['pay-group'],
        escalationPolicy: 'oncall',
      }),
    );
    for (const [work, key] of [
      [services.receivers.remove('', 'pay-group'), 'CMDB_ALERTING_RECEIVER_ROUTED'],
      [services.policies.remove('', 'oncall'), 'CMDB_ALERTING_POLICY_ROUTED'],
    ] as const) {
      await assert.rejects(work, (err: unknown) => {
        assert.ok(err instanceof AppError);
        assert.equal(err.statusCode, 409);
        assert.equal(err.key, key);
        return true;
      });
    }
    await routing.remove('pay');
    assert.deepEqual(await services.policies.remove('', 'oncall'), { name: 'oncall' });
  });
});
