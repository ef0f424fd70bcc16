import type { EscalationPolicyInput, ReceiverInput, RoutingPolicyInput } from '@ks-gpu-ml/contracts';
import { createConfigStore, type ConfigStore } from '../../clients/store/alert-config.js';
import type { Store } from '../../clients/store/index.js';
import { AppError, invalidField } from '../../core/errors.js';
import { policyIssues } from './policies.js';
import { receiverIssues, type FieldIssue } from './receivers.js';

/**
 * Create, read, update and delete for one kind of configuration (receivers, escalation policies) of one owner
 * ('' = the cluster, else a workspace). The kind brings its own checks beyond the schema; the first issue is the
 * 400's field.
 */
export interface ConfigKind<T extends { name: string }> {
  /** The locale keys of its 404 and 409 (each language names the kind in its own words). */
  keys: { notFound: string; exists: string };
  store: ConfigStore<T>;
  issues: (owner: string, input: T) => Promise<FieldIssue[]>;
  /** Before a delete: a 409 when something still uses it. */
  checkUnused?: (owner: string, name: string) => Promise<void>;
}

export interface ConfigService<T> {
  list(owner: string): Promise<{ items: (T & { updatedAt: string })[] }>;
  get(owner: string, name: string): Promise<T & { updatedAt: string }>;
  create(owner: string, input: T): Promise<T & { updatedAt: string }>;
  update(owner: string, name: string, input: T): Promise<T & { updatedAt: string }>;
  remove(owner: string, name: string): Promise<{ name: string }>;
}

const shown = <T>(row: { spec: T; updatedAt: number }) => ({
  ...row.spec,
  updatedAt: new Date(row.updatedAt).toISOString(),
});

export function createConfigService<T extends { name: string }>(
  kind: ConfigKind<T>,
  now: () => number = Date.now,
): ConfigService<T> {
  const notFound = (owner: string, name: string) =>
    new AppError(404, 'NotFound', kind.keys.notFound, { name }, { workspace: owner });
  async function check(owner: string, input: T) {
    const [first] = await kind.issues(owner, input);
    if (first) throw invalidField(first.field, first.problem);
  }
  return {
    async list(owner) {
      return { items: (await kind.store.list(owner)).map(shown) };
    },
    async get(owner, name) {
      const row = await kind.store.get(owner, name);
      if (!row) throw notFound(owner, name);
      return shown(row);
    },
    async create(owner, input) {
      await check(owner, input);
      const at = now();
      if (!(await kind.store.create(owner, input.name, input, at)))
        throw new AppError(409, 'Conflict', kind.keys.exists, { name: input.name });
      return shown({ spec: input, updatedAt: at });
    },
    async update(owner, name, input) {
      if (input.name !== name) throw invalidField('body.name', `must be "${name}", the name in the path`);
      await check(owner, input);
      const at = now();
      if (!(await kind.store.update(owner, name, input, at))) throw notFound(owner, name);
      return shown({ spec: input, updatedAt: at });
    },
    async remove(owner, name) {
      await kind.checkUnused?.(owner, name);
      if (!(await kind.store.remove(owner, name))) throw notFound(owner, name);
      return { name };
    },
  };
}

/**
 * Receivers and escalation policies on one store, each checked against the other; `secretScope` names a receiver's
 * Secret references its owner may not use (receiver-channels.ts secretScopeChecker), refused with a 400.
 */
export function createConfigServices(
  store: Store,
  now: () => number = Date.now,
  secretScope?: (owner: string, input: ReceiverInput) => Promise<FieldIssue[]>,
) {
  const receiverStore = createConfigStore<ReceiverInput>(store, 'alert_receiver');
  const policyStore = createConfigStore<EscalationPolicyInput>(store, 'alert_policy');
  /** Routing policies by business (routing-setup.ts) name the cluster's receivers and escalation policies. */
  const routeStore = createConfigStore<RoutingPolicyInput>(store, 'alert_route');
  /** A workspace's policies may use the cluster's receivers too. */
  const usableReceivers = async (owner: string) =>
    new Set((await receiverStore.listOwners(owner ? [owner, ''] : [''])).map((r) => r.name));
  const receivers = createConfigService<ReceiverInput>(
    {
      keys: { notFound: 'CMDB_ALERTING_RECEIVER_NOT_FOUND', exists: 'CMDB_ALERTING_RECEIVER_EXISTS' },
      store: receiverStore,
      issues: async (owner, input) => {
        const issues = receiverIssues(input);
        if (issues.length > 0 || !secretScope) return issues;
        try {
          return await secretScope(owner, input);
        } catch (err) {
          if (err instanceof AppError) throw err;
          // kube-apiserver did not answer: the reference cannot be checked, so it is not stored unchecked.
          throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_RECEIVER_SECRET_UNCHECKED');
        }
      },
      async checkUnused(owner, name) {
        const user = (await policyStore.list(owner)).find((p) =>
          p.spec.steps.some((s) => s.receivers.includes(name) || s.contacts?.some((c) => c.via === name)),
        );
        if (user)
          throw new AppError(409, 'Conflict', 'CMDB_ALERTING_RECEIVER_IN_USE', { name, policy: user.name });
        const route = owner
          ? undefined
          : (await routeStore.list('')).find((r) => r.spec.receivers.includes(name));
        if (route)
          throw new AppError(409, 'Conflict', 'CMDB_ALERTING_RECEIVER_ROUTED', { name, routing: route.name });
      },
    },
    now,
  );
  const policies = createConfigService<EscalationPolicyInput>(
    {
      keys: { notFound: 'CMDB_ALERTING_POLICY_NOT_FOUND', exists: 'CMDB_ALERTING_POLICY_EXISTS' },
      store: policyStore,
      issues: async (owner, input) => policyIssues(input, await usableReceivers(owner)),
      async checkUnused(owner, name) {
        const route = owner
          ? undefined
          : (await routeStore.list('')).find((r) => r.spec.escalationPolicy === name);
        if (route)
          throw new AppError(409, 'Conflict', 'CMDB_ALERTING_POLICY_ROUTED', { name, routing: route.name });
      },
    },
    now,
  );
  return { receivers, policies, receiverStore, policyStore };
}
