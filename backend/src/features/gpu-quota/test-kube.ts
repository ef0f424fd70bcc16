// An in-memory GpuQuotaKube for the service's unit tests: a map of objects, our field manager recorded on
// apply as the apiserver does, and hooks to make a write fail or wait (half-way failures, concurrent writers).
import type { KubernetesObject, V1ConfigMap, V1ResourceQuota } from '@kubernetes/client-node';
import type { Authorizer } from '../../core/authz.js';
import { createTranslator, loadCatalogues } from '../../core/i18n.js';
import type { GpuQuotaKube, ObjectRef } from './kube-io.js';
import { GPU_QUOTA_FIELD_MANAGER, madeByUs } from './resourcequota.js';
import { sandboxLikeNodes } from './test-fixtures.js';

export const keyOf = (r: ObjectRef) => `${r.apiVersion}/${r.kind}/${r.namespace ?? ''}/${r.name}`;
const refOf = (o: KubernetesObject): ObjectRef => ({
  apiVersion: o.apiVersion!,
  kind: o.kind!,
  name: o.metadata!.name!,
  ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
});

export interface FakeKubeOptions {
  crds?: string[];
  namespaces?: Record<string, string | undefined>;
  /** Throw instead of applying this object (an admission rejection, a CRD missing). */
  failApply?: (object: KubernetesObject) => boolean;
  /** Wait before each apply takes effect, so concurrent writers interleave. */
  applyDelayMs?: number;
}

export function fakeKube(options: FakeKubeOptions = {}) {
  const store = new Map<string, KubernetesObject>();
  const applied: string[] = [];
  const removed: string[] = [];
  // Copied, so a test can delete a namespace (delete fake.namespaces.x) without touching its options.
  const namespaces = { ...(options.namespaces ?? { team: undefined }) };
  const quotas = () =>
    [...store.values()].filter(
      (o) => o.apiVersion === 'v1' && o.kind === 'ResourceQuota',
    ) as V1ResourceQuota[];
  // The write generation, with a resourceVersion as the apiserver keeps it (claim.ts).
  let generation: { resourceVersion: string; count: number } | undefined;
  const kube: GpuQuotaKube = {
    ownNamespace: 'ks-gpu-ml',
    nodes: async () => sandboxLikeNodes,
    crdNames: async () => new Set(options.crds ?? []),
    namespace: async (name) => {
      if (!(name in namespaces)) return undefined;
      const ws = namespaces[name];
      const labels: Record<string, string> = ws ? { 'kubesphere.io/workspace': ws } : {};
      return { metadata: { name, labels } };
    },
    resourceQuotas: async (ns) => quotas().filter((q) => q.metadata?.namespace === ns),
    pods: async () => [],
    events: async () => [],
    namespacesOfWorkspace: async (ws) => Object.keys(namespaces).filter((n) => namespaces[n] === ws),
    ownQuotas: async () => quotas(),
    clusterSnapshot: async () => ({
      quotas: quotas(),
      pods: [],
      nodes: sandboxLikeNodes,
      workspaceOf: new Map(),
      records: [...store.values()].filter((o) => o.kind === 'ConfigMap') as V1ConfigMap[],
    }),
    apply: async (o) => {
      if (options.applyDelayMs) await new Promise((r) => setTimeout(r, options.applyDelayMs));
      if (options.failApply?.(o)) throw new Error(`apply of ${keyOf(refOf(o))} refused`);
      applied.push(keyOf(refOf(o)));
      // As the apiserver records server-side apply: our field manager owns what we sent.
      const managedFields = [{ manager: GPU_QUOTA_FIELD_MANAGER, operation: 'Apply' }];
      store.set(keyOf(refOf(o)), { ...structuredClone(o), metadata: { ...o.metadata, managedFields } });
    },
    removeOwned: async (r) => {
      const current = store.get(keyOf(r));
      if (!current) return 'absent';
      if (!madeByUs(current)) return 'foreign';
      removed.push(keyOf(r));
      store.delete(keyOf(r));
      return 'deleted';
    },
    readWriteGeneration: async () => generation,
    bumpWriteGeneration: async (seen) => {
      if (options.applyDelayMs) await new Promise((r) => setTimeout(r, options.applyDelayMs));
      if (seen?.resourceVersion !== generation?.resourceVersion) return false;
      const count = (generation?.count ?? 0) + 1;
      generation = { resourceVersion: `rv-${count}`, count };
      return true;
    },
    ownConfigMaps: async (selector) => {
      const wanted = selector.split(',').map((kv) => kv.split('=') as [string, string]);
      return [...store.values()].filter(
        (o) =>
          o.kind === 'ConfigMap' &&
          o.metadata?.namespace === 'ks-gpu-ml' &&
          wanted.every(([k, v]) => o.metadata?.labels?.[k] === v),
      ) as V1ConfigMap[];
    },
    read: async <T extends KubernetesObject>(r: ObjectRef) => store.get(keyOf(r)) as T | undefined,
    stop: async () => undefined,
  };
  return { kube, store, applied, removed, namespaces };
}

export const allow = (allowed: boolean): Authorizer => ({ authorize: async () => ({ allowed }) });
export const translate = createTranslator(loadCatalogues());
export const caller = { user: { name: 'admin', groups: [] }, token: 't', lang: 'en' as const };

/**
 * Decides as the sandbox's RBAC would for our checks: `platform` users hold every permission, a workspace's
 * admins its workspace scope and the namespaces in it; nobody else holds anything but the route's own check.
 */
export function roles(grants: { platform: string[]; workspaceAdmins: Record<string, string[]> }): Authorizer {
  return {
    authorize: async (r) => {
      if (grants.platform.includes(r.user.name)) return { allowed: true };
      if (r.scope === 'workspace')
        return { allowed: (grants.workspaceAdmins[r.scopeName ?? ''] ?? []).includes(r.user.name) };
      return { allowed: false };
    },
  };
}

export const as = (name: string) => ({ ...caller, user: { name, groups: [] } });
