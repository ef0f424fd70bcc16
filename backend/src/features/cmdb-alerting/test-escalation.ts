import type {
  AlertmanagerAlert,
  EscalationPolicyInput,
  ReceiverInput,
  RoutingPolicyInput,
} from '@ks-gpu-ml/contracts';
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
import { createEscalationEngine, type EscalationDeps, type EscalationEngine } from './escalation.js';
import { createRouting } from './routing-setup.js';
import { toIntakeBatch } from './service.js';
import { batchFixture } from './test-fixtures.js';

/** An escalation engine with enrichment over a real SQLite store, its outbox a list of what it sent. */
export interface EscalationRig {
  store: Store;
  engine: EscalationEngine;
  sent: { receiver: string; notification: Notification }[];
  /** The routing policies by business the engine asks (with `routing` only). */
  routing?: ReturnType<typeof createRouting>;
  /** Records the alerts as Alertmanager sends them and ticks twice: the escalations start, their first steps go out. */
  fire(...alerts: AlertmanagerAlert[]): Promise<void>;
}

export interface EscalationRigOptions {
  /**
   * The engine's clock, and the time the receivers, policies and alerts are recorded at: a number, or a function
   * for a test that moves it.
   */
  now: number | (() => number);
  /** The cluster's receivers and escalation policies ('' owner), each stored under its own name. */
  receivers: ReceiverInput[];
  policies: EscalationPolicyInput[];
  /** The owner chain of a pod (the Kubernetes side of the business mapping). */
  owners: KubeOwners;
  /** The CMDB's answer for a business system, by its name; no CMDB without it. */
  cmdbBusiness?: CachedCmdb['business'];
  /** The enrichment, for a caller that wraps its own (a real CMDB's); by default one over `owners` and `cmdbBusiness`. */
  enrich?: EscalationDeps['enrich'];
  /** Routing by business on: the engine asks the routing policies made through `rig.routing`. */
  routing?: boolean;
  /** Where the store is; an SQLite database in memory by default. */
  storeUrl?: string;
}

/** For the tests of enrichment, routing and owners' contacts in the escalation: the engine, its store and its sends. */
export async function escalationRig(options: EscalationRigOptions): Promise<EscalationRig> {
  const { now } = options;
  const clock = typeof now === 'number' ? () => now : now;
  const store = createStore(options.storeUrl ?? 'sqlite::memory:');
  await store.migrate();
  const receivers = createConfigStore<ReceiverInput>(store, 'alert_receiver');
  const policies = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
  for (const receiver of options.receivers) await receivers.create('', receiver.name, receiver, clock());
  for (const policy of options.policies) await policies.create('', policy.name, policy, clock());
  const routing = options.routing
    ? createRouting(createConfigStore<RoutingPolicyInput>(store, 'alert_route'), { receivers, policies })
    : undefined;
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
    enrich:
      options.enrich ??
      createEnricher({
        owners: options.owners,
        ...(cmdb ? { cmdb } : {}),
        config: defaultBusinessMapping,
        translate: createTranslator(shippedCatalogues()),
      }),
    ...(routing ? { route: routing.route } : {}),
    secondMs: 1000,
    now: clock,
  });
  const intake = createAlertIntakeStore(store);
  return {
    store,
    engine,
    sent,
    ...(routing ? { routing } : {}),
    async fire(...alerts) {
      await intake.record(toIntakeBatch(batchFixture(alerts), clock()));
      await engine.tick();
      await engine.tick();
    },
  };
}
