import type { AlertmanagerAlert, EscalationPolicyInput, ReceiverInput } from '@ks-gpu-ml/contracts';
import type { CachedCmdb } from '../../clients/cmdb/cached.js';
import type { KubeOwners } from '../../clients/cmdb/kube-owners.js';
import type { Notification } from '../../clients/channels/channel.js';
import { createConfigStore } from '../../clients/store/alert-config.js';
import { createEscalationStore } from '../../clients/store/alert-escalation.js';
import { createAlertIntakeStore } from '../../clients/store/alert-intake.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { defaultBusinessMapping } from './business-resolve.js';
import { createEnricher } from './enrich.js';
import { createEscalationEngine, type EscalationEngine } from './escalation.js';
import { toIntakeBatch } from './service.js';
import { batchFixture } from './test-fixtures.js';

/** An escalation engine with enrichment over a real SQLite store, its outbox a list of what it sent. */
export interface EscalationRig {
  store: Store;
  engine: EscalationEngine;
  sent: { receiver: string; notification: Notification }[];
  /** Records the alert as Alertmanager sends it and ticks twice: the escalation starts, its first step goes out. */
  fire(alert: AlertmanagerAlert): Promise<void>;
}

export interface EscalationRigOptions {
  /** The engine's clock, and the time the receivers, policies and alerts are recorded at. */
  now: number;
  /** The cluster's receivers and escalation policies ('' owner), each stored under its own name. */
  receivers: ReceiverInput[];
  policies: EscalationPolicyInput[];
  /** The owner chain of a pod (the Kubernetes side of the business mapping). */
  owners: KubeOwners;
  /** The CMDB's answer for a business system, by its name; no CMDB without it. */
  cmdbBusiness?: CachedCmdb['business'];
}

/** For the tests of enrichment and owners' contacts in the escalation: the engine, its store and its sends. */
export async function escalationRig(options: EscalationRigOptions): Promise<EscalationRig> {
  const { now } = options;
  const store = createStore('sqlite::memory:');
  await store.migrate();
  const receivers = createConfigStore<ReceiverInput>(store, 'alert_receiver');
  const policies = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
  for (const receiver of options.receivers) await receivers.create('', receiver.name, receiver, now);
  for (const policy of options.policies) await policies.create('', policy.name, policy, now);
  const sent: EscalationRig['sent'] = [];
  const cmdb: CachedCmdb | undefined = options.cmdbBusiness && {
    kind: 'netbox',
    bytes: 0,
    forNamespace: async () => ({ stale: false }),
    business: options.cmdbBusiness,
  };
  const engine = createEscalationEngine({
    store: createEscalationStore(store),
    receivers,
    policies,
    workspaceOf: async () => undefined,
    outbox: {
      enqueue: async (entries) => (sent.push(...entries), entries.length),
      cancelPending: async () => 0,
    },
    enrich: createEnricher({
      owners: options.owners,
      ...(cmdb ? { cmdb } : {}),
      config: defaultBusinessMapping,
      translate: createTranslator(shippedCatalogues()),
    }),
    secondMs: 1000,
    now: () => now,
  });
  const intake = createAlertIntakeStore(store);
  return {
    store,
    engine,
    sent,
    async fire(alert) {
      await intake.record(toIntakeBatch(batchFixture([alert]), now));
      await engine.tick();
      await engine.tick();
    },
  };
}
