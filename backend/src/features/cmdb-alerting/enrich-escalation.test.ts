// Enrichment at the escalation's start, over a real SQLite store: the notifications name the business system, its
// importance and owners (mentioned in WeCom markdown), and the alert's escalation view returns the enrichment with
// its provenance, kept from the start (the CMDB is not asked again when steps are sent later).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { KubeOwners, OwnedObject } from '../../clients/cmdb/kube-owners.js';
import { escalationRig, type EscalationRig } from './test-escalation.js';
import { alertFixture } from './test-fixtures.js';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
let rig: EscalationRig;
let cmdbAsked: number;

const owners: KubeOwners = {
  async ownerChain({ name }): Promise<OwnedObject[]> {
    return [
      { kind: 'Pod', namespace: 'alpha-train', name, labels: {}, annotations: {} },
      {
        kind: 'Deployment',
        namespace: 'alpha-train',
        name: 'api',
        labels: { 'app.kubernetes.io/part-of': 'payments' },
        annotations: {},
      },
    ];
  },
  namespace: async () => undefined,
};

beforeEach(async () => {
  cmdbAsked = 0;
  rig = await escalationRig({
    now: T0,
    receivers: [
      {
        name: 'robot',
        type: 'voice',
        settings: { language: 'zh' },
        secretRefs: {},
        recipients: [{ name: 'x', mobile: '+8613800000000' }],
      },
    ],
    policies: [
      {
        name: 'critical',
        matchLabels: { severity: 'critical' },
        steps: [{ receivers: ['robot'], waitSeconds: 300 }],
        repeat: 0,
      },
    ],
    owners,
    cmdbBusiness: async () => {
      cmdbAsked++;
      return {
        stale: false,
        business: {
          id: '1',
          name: 'payments',
          importance: 'P1',
          owners: [{ name: 'Zhang San', wecomUserId: 'zhangsan', priority: 1 }],
          rule: 'NetBox tenant 1 (name payments)',
        },
      };
    },
  });
});
afterEach(() => rig.store.close());

describe('enrichment in the escalation', () => {
  it('the message names the system, importance and owners in the receiver language; the view keeps the provenance', async () => {
    const alert = alertFixture(1);
    await rig.fire(alert);
    assert.equal(rig.sent.length, 1);
    const n = rig.sent[0]!.notification;
    assert.match(n.title, /\[payments\]/);
    assert.match(n.text, /业务系统 payments（重要性 P1）受影响/);
    assert.match(n.markdown, /@ <@zhangsan>/);
    const view = await rig.engine.view(`${alert.fingerprint}-${T0 / 1000}`);
    assert.deepEqual(view?.business?.system, {
      value: 'payments',
      provenance: {
        source: 'workload',
        rule: 'label app.kubernetes.io/part-of on Deployment alpha-train/api',
      },
    });
    assert.deepEqual(view?.business?.importance?.provenance, {
      source: 'cmdb',
      rule: 'NetBox tenant 1 (name payments)',
    });
    assert.equal(cmdbAsked, 1);
  });
});
