// Owners on their own channels, in the escalation engine over a real SQLite store: a step's contacts reach the
// business system's owners by WeCom app (their user ids), its maintainers by email, and the owners' phones only for
// critical alerts of a P1 system — each through the named receiver's channel, addressed to the CMDB's people, not
// the receiver's own recipients; the resolved notice reaches the same people.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EscalationPolicyInput, ReceiverInput } from '@ks-gpu-ml/contracts';
import type { KubeOwners, OwnedObject } from '../../clients/cmdb/kube-owners.js';
import { contactsOf, parseContactRef } from './owner-contacts.js';
import { policyIssues } from './policies.js';
import { escalationRig, type EscalationRig } from './test-escalation.js';
import { alertFixture } from './test-fixtures.js';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
let rig: EscalationRig;

/** Pods of system `payments` (P1) or `search` (P3), by name. */
const owners: KubeOwners = {
  async ownerChain({ name }): Promise<OwnedObject[]> {
    const system = name.startsWith('search') ? 'search' : 'payments';
    return [
      { kind: 'Pod', namespace: 'prod', name, labels: {}, annotations: {} },
      {
        kind: 'Deployment',
        namespace: 'prod',
        name: system,
        labels: { 'app.kubernetes.io/part-of': system },
        annotations: {},
      },
    ];
  },
  namespace: async () => undefined,
};
const people = (system: string) => [
  {
    name: `${system}-owner`,
    role: 'owner',
    priority: 1,
    wecomUserId: `${system}-owner`,
    mobile: '+8613800000001',
  },
  {
    name: `${system}-ops`,
    role: 'ops',
    priority: 2,
    wecomUserId: `${system}-ops`,
    email: `${system}-ops@bank.example`,
  },
];

const receiver = (
  name: string,
  type: ReceiverInput['type'],
  settings: Record<string, string> = {},
): ReceiverInput => ({
  name,
  type,
  settings,
  secretRefs: {},
  recipients: [
    { name: 'someone else', wecomUserId: 'nobody', mobile: '+8613900000000', email: 'nobody@bank.example' },
  ],
});

const policy: EscalationPolicyInput = {
  name: 'people',
  matchLabels: {},
  steps: [
    {
      receivers: [],
      contacts: [
        { who: 'owners', via: 'app' },
        { who: 'maintainers', via: 'mail' },
        { who: 'owners', via: 'phone', severities: ['critical'], importance: ['P1'] },
      ],
      waitSeconds: 600,
    },
  ],
  repeat: 0,
};

beforeEach(async () => {
  rig = await escalationRig({
    now: T0,
    receivers: [
      receiver('app', 'wecom-app', { corpId: 'ww1', agentId: '1000002' }),
      receiver('mail', 'email'),
      receiver('phone', 'voice'),
    ],
    policies: [policy],
    owners,
    cmdbBusiness: async (name) => ({
      stale: false,
      business: {
        id: name,
        name,
        importance: name === 'payments' ? 'P1' : 'P3',
        owners: people(name),
        rule: `NetBox tenant (name ${name})`,
      },
    }),
  });
});
afterEach(() => rig.store.close());

async function fire(pod: string, severity: string, status: 'firing' | 'resolved' = 'firing') {
  const alert = alertFixture(pod.length, {
    status,
    labels: { alertname: 'KubePodCrashLooping', namespace: 'prod', pod, severity },
    ...(status === 'resolved' ? { endsAt: '2026-12-05T10:05:00.000Z' } : {}),
  });
  await rig.fire(alert);
}
const to = (receiver: string) =>
  rig.sent.filter((s) => s.receiver === receiver).map((s) => s.notification.recipients);

describe('owners and maintainers as escalation steps', () => {
  it('owners by WeCom app and phone (critical, P1), maintainers by email; never the receivers own recipients', async () => {
    await fire('payments-1', 'critical');
    assert.deepEqual(to('app'), [
      [{ name: 'payments-owner', wecomUserId: 'payments-owner', mobile: '+8613800000001' }],
    ]);
    assert.deepEqual(to('phone'), [
      [{ name: 'payments-owner', wecomUserId: 'payments-owner', mobile: '+8613800000001' }],
    ]);
    assert.deepEqual(to('mail'), [
      [{ name: 'payments-ops', wecomUserId: 'payments-ops', email: 'payments-ops@bank.example' }],
    ]);
    const keys = new Set(rig.sent.map((s) => s.notification.idempotencyKey));
    assert.equal(keys.size, 3);
    assert.match(rig.sent.find((s) => s.receiver === 'app')!.notification.text, /payments/);
  });

  it('no phone call for a warning, nor for a critical alert of a P3 system', async () => {
    await fire('payments-warn', 'warning');
    assert.equal(to('phone').length, 0);
    assert.equal(to('app').length, 1);
    rig.sent.length = 0;
    await fire('search-1', 'critical');
    assert.equal(to('phone').length, 0);
    assert.deepEqual(
      to('app')[0]?.map((r) => r.wecomUserId),
      ['search-owner'],
    );
  });

  it('the resolved notice reaches the same people through the same channels', async () => {
    await fire('payments-1', 'critical');
    rig.sent.length = 0;
    await fire('payments-1', 'critical', 'resolved');
    assert.deepEqual(
      rig.sent
        .map((s) => [s.receiver, s.notification.status, s.notification.recipients.map((r) => r.name).join()])
        .sort(),
      [
        ['app', 'resolved', 'payments-owner'],
        ['mail', 'resolved', 'payments-ops'],
        ['phone', 'resolved', 'payments-owner'],
      ],
    );
  });
});

describe('contact groups and checks', () => {
  it('people recorded without roles are all owners and no maintainers', () => {
    const business = {
      owners: { value: [{ name: 'a' }, { name: 'b' }], provenance: { source: 'workload', rule: 'x' } },
    };
    assert.deepEqual(
      contactsOf(business, 'owners').map((p) => p.name),
      ['a', 'b'],
    );
    assert.deepEqual(contactsOf(business, 'maintainers'), []);
    assert.deepEqual(parseContactRef('ws-a/app#owners'), { via: 'ws-a/app', who: 'owners' });
    assert.equal(parseContactRef('app'), undefined);
  });

  it('a step needs receivers or contacts, and contacts name a receiver that exists', () => {
    const issues = policyIssues(
      {
        ...policy,
        steps: [
          { receivers: [], waitSeconds: 0 },
          { receivers: [], contacts: [{ who: 'owners', via: 'gone' }], waitSeconds: 0 },
        ],
      },
      new Set(['app']),
    );
    assert.deepEqual(
      issues.map((i) => i.field),
      ['body.steps.0.receivers', 'body.steps.1.contacts.0.via'],
    );
  });
});
