// Enrichment at the escalation's start, over a real SQLite store: the notifications name the business system, its
// importance and owners (mentioned in WeCom markdown), and the alert's escalation view returns the enrichment with
// its provenance, kept from the start (the CMDB is not asked again when steps are sent later).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { EscalationPolicyInput, ReceiverInput } from '@ks-gpu-ml/contracts';
import type { KubeOwners, OwnedObject } from '../../clients/cmdb/kube-owners.js';
import type { Notification } from '../../clients/channels/channel.js';
import { createConfigStore } from '../../clients/store/alert-config.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { createAlertIntakeStore } from '../../clients/store/alert-intake.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createTranslator, shippedCatalogues } from '../../platform/i18n.js';
import { defaultBusinessMapping } from './business-resolve.js';
import { createEnricher } from './enrich.js';
import { createEscalationEngine, type EscalationEngine } from './escalation.js';
import { toIntakeBatch } from './service.js';
import { alertFixture, batchFixture } from './test-fixtures.js';

const T0 = Date.parse('2026-12-05T10:00:00.000Z');
let store: Store;
let engine: EscalationEngine;
let sent: { receiver: string; notification: Notification }[];
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
  store = createStore('sqlite::memory:');
  await store.migrate();
  const receivers = createConfigStore<ReceiverInput>(store, 'alert_receiver');
  const policies = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
  await receivers.create(
    '',
    'robot',
    {
      name: 'robot',
      type: 'voice',
      settings: { language: 'zh' },
      secretRefs: {},
      recipients: [{ name: 'x', mobile: '+8613800000000' }],
    },
    T0,
  );
  await policies.create(
    '',
    'critical',
    {
      name: 'critical',
      matchLabels: { severity: 'critical' },
      steps: [{ receivers: ['robot'], waitSeconds: 300 }],
      repeat: 0,
    },
    T0,
  );
  sent = [];
  cmdbAsked = 0;
  engine = createEscalationEngine({
    store: createEscalationStore(store),
    receivers,
    policies,
    workspaceOf: async () => undefined,
    outbox: {
      enqueue: async (entries) => (sent.push(...entries), entries.length),
      cancelPending: async () => 0,
    },
    enrich: createEnricher({
      owners,
      cmdb: {
        kind: 'netbox',
        bytes: 0,
        forNamespace: async () => ({ stale: false }),
        business: async () => {
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
      },
      config: defaultBusinessMapping,
      translate: createTranslator(shippedCatalogues()),
    }),
    secondMs: 1000,
    now: () => T0,
  });
});
afterEach(() => store.close());

describe('enrichment in the escalation', () => {
  it('the message names the system, importance and owners in the receiver language; the view keeps the provenance', async () => {
    const alert = alertFixture(1);
    await createAlertIntakeStore(store).record(toIntakeBatch(batchFixture([alert]), T0));
    await engine.tick();
    await engine.tick();
    assert.equal(sent.length, 1);
    const n = sent[0]!.notification;
    assert.match(n.title, /\[payments\]/);
    assert.match(n.text, /业务系统 payments（重要性 P1）受影响/);
    assert.match(n.markdown, /@ <@zhangsan>/);
    const view = await engine.view(`${alert.fingerprint}-${T0 / 1000}`);
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
