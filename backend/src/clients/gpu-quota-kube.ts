// The gpu-quota feature's kube-apiserver client: what it reads and writes, behind one interface (GpuQuotaKube)
// so the service is tested with an in-memory fake. Cluster-wide reads for the cluster view come from watch caches
// (kube-cache.ts), started on first use, and the process' one workspace membership; per-project reads and every
// write go to the apiserver directly, so an edit always sees current state. The feature's own facts (labels,
// field manager, what counts as ours) come in as GpuQuotaObjects: clients never import a feature.
import {
  ApiextensionsV1Api,
  CoreV1Api,
  createConfiguration,
  KubernetesObjectApi,
  PatchStrategy,
  ServerConfiguration,
  type CoreV1Event,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Namespace,
  type V1Pod,
  type V1ResourceQuota,
} from '@kubernetes/client-node';
import { WORKSPACE_LABEL } from '../shared/workspace-label.js';
import type { KubeClient } from './kube.js';
import { createWatchCache, type WatchCache, type WatchCacheOptions } from './kube-cache.js';
import {
  slimNode,
  slimPod,
  slimRecord,
  slimQuota,
  type NodeView,
  type PodView,
  type QuotaView,
  type RecordView,
} from './kube-projections.js';
import { UpstreamError } from './upstream.js';
import type { WorkspaceMembership } from './workspace-membership.js';

/** How the feature marks the objects it makes (features/gpu-quota/kube-io.ts fills it from its own modules). */
export interface GpuQuotaObjects {
  /** The server-side apply field manager of every write. */
  fieldManager: string;
  /** The label our ResourceQuotas are selected by and the write generation carries (the feature's component). */
  componentLabels: Record<string, string>;
  /** The label selector of our project records (ConfigMaps in our namespace). */
  recordSelector: string;
  /** Whether an object was made by us (our label and field manager): only those are ever deleted. */
  madeByUs(object: KubernetesObject): boolean;
  /** The annotations the feature reads back from its ResourceQuotas (all the quota cache keeps of them). */
  quotaAnnotations: readonly string[];
}

/** Enough of an object to find it: apiVersion, kind, name and (namespaced kinds) namespace. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** Cluster-wide state for the cluster view, from the watch caches: each kind as its projection keeps it. */
export interface ClusterSnapshot {
  /** Our ResourceQuotas (label app.kubernetes.io/component=gpu-quota), one per project with a GPU quota. */
  quotas: readonly QuotaView[];
  pods: readonly PodView[];
  nodes: readonly NodeView[];
  /** Namespace → workspace, for namespaces in a workspace. */
  workspaceOf: ReadonlyMap<string, string>;
  /** Our project records (ConfigMaps in our namespace): what each project holds (holdings.ts). */
  records: readonly RecordView[];
}

export interface GpuQuotaKube {
  /** Every node, from the watch cache (as slimNode keeps it). */
  nodes(): Promise<readonly NodeView[]>;
  /** Names of the installed CRDs (`clusterqueues.kueue.x-k8s.io`, …). */
  crdNames(): Promise<ReadonlySet<string>>;
  namespace(name: string): Promise<V1Namespace | undefined>;
  /** Every ResourceQuota of the namespace (ours and others'). */
  resourceQuotas(namespace: string): Promise<V1ResourceQuota[]>;
  pods(namespace: string): Promise<V1Pod[]>;
  events(namespace: string): Promise<CoreV1Event[]>;
  /** Names of the namespaces labelled kubesphere.io/workspace=<workspace>. */
  namespacesOfWorkspace(workspace: string): Promise<string[]>;
  /** Our ResourceQuotas in every namespace, read now (for the workspace split at edit time). */
  ownQuotas(): Promise<V1ResourceQuota[]>;
  clusterSnapshot(): Promise<ClusterSnapshot>;
  /** Server-side apply under our field manager, forcing ownership of the fields we send. */
  apply(object: KubernetesObject): Promise<void>;
  /**
   * Deletes the object only if we made it (our managed-by label and field manager), with the uid and
   * resourceVersion we checked as preconditions; `foreign` means it exists and was left alone.
   */
  removeOwned(ref: ObjectRef): Promise<RemoveOutcome>;
  /** The cluster's quota write generation (claim.ts): its resourceVersion and count, or undefined before the first. */
  readWriteGeneration(): Promise<WriteGeneration | undefined>;
  /** Bumps the generation if it is still `seen`; false when another writer bumped it first. */
  bumpWriteGeneration(seen: WriteGeneration | undefined): Promise<boolean>;
  /** ConfigMaps in our own namespace with this label selector (the records only we write). */
  ownConfigMaps(labelSelector: string): Promise<V1ConfigMap[]>;
  /** Reads an object, or undefined when it does not exist. */
  read<T extends KubernetesObject>(ref: ObjectRef): Promise<T | undefined>;
  /** The namespace the backend runs in (where it keeps objects of its own), from its service account. */
  readonly ownNamespace: string;
  stop(): Promise<void>;
}

export type RemoveOutcome = 'deleted' | 'absent' | 'foreign';

export interface WriteGeneration {
  resourceVersion: string;
  count: number;
}

export const WRITE_GENERATION_NAME = 'ks-gpu-ml-gpu-quota-writes';
const GENERATION_KEY = 'generation';

const CRD_TTL_MS = 30_000;
const RESYNC_MS = 10 * 60_000;

const statusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new UpstreamError('kube-apiserver', err);
  }
}

async function orUndefinedOn404<T>(fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw new UpstreamError('kube-apiserver', err);
  }
}

export function createGpuQuotaKube(
  kube: KubeClient,
  membership: WorkspaceMembership,
  ours: GpuQuotaObjects,
  /** `watchCacheMaxBytes`: each watch cache's budget (KUBE_WATCH_CACHE_MAX_BYTES). */
  options: { watchCacheMaxBytes: number; onError?: (err: unknown) => void },
): GpuQuotaKube {
  const { fieldManager, madeByUs } = ours;
  const ownQuotaSelector = Object.entries(ours.componentLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const kc = kube.config;
  const core = kc.makeApiClient(CoreV1Api);
  const crds = kc.makeApiClient(ApiextensionsV1Api);
  const opts = () => kube.callOptions();
  const objects = objectApi(kube);
  const onError = options.onError;

  let nodeCache: WatchCache<NodeView> | undefined;
  let quotaCache: WatchCache<QuotaView> | undefined;
  let podCache: WatchCache<PodView> | undefined;
  let recordCache: WatchCache<RecordView> | undefined;

  /** A watch cache on this cluster, with the client's resync and error report. */
  const watch = <T extends KubernetesObject, Full extends KubernetesObject>(
    what: Pick<WatchCacheOptions<T, Full>, 'path' | 'list' | 'project' | 'labelSelector'>,
  ) =>
    createWatchCache({
      config: kc,
      resyncMs: RESYNC_MS,
      maxBytes: options.watchCacheMaxBytes,
      ...(onError ? { onError } : {}),
      ...what,
    });

  const nodesCache = () =>
    (nodeCache ??= watch({
      path: '/api/v1/nodes',
      list: (page) => core.listNode(page, opts()),
      project: slimNode,
    }));

  let crdNames: { at: number; names: Promise<ReadonlySet<string>> } | undefined;
  const ownNamespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
  const read = <T extends KubernetesObject>(ref: ObjectRef) =>
    orUndefinedOn404(() => objects.read(header(ref)) as Promise<T>);

  return {
    ownNamespace,

    async nodes() {
      const cache = nodesCache();
      await call(() => cache.ready());
      return cache.list();
    },

    crdNames() {
      if (!crdNames || Date.now() - crdNames.at > CRD_TTL_MS) {
        const names = call(() => crds.listCustomResourceDefinition({}, opts())).then(
          (list) => new Set(list.items.map((c) => c.metadata?.name ?? '')) as ReadonlySet<string>,
        );
        crdNames = { at: Date.now(), names };
        // A failed listing is not remembered.
        names.catch(() => (crdNames = undefined));
      }
      return crdNames.names;
    },

    namespace: (name) => orUndefinedOn404(() => core.readNamespace({ name }, opts())),

    resourceQuotas: async (namespace) =>
      (await call(() => core.listNamespacedResourceQuota({ namespace }, opts()))).items,

    pods: async (namespace) => (await call(() => core.listNamespacedPod({ namespace }, opts()))).items,

    events: async (namespace) =>
      (
        await call(() =>
          core.listNamespacedEvent({ namespace, fieldSelector: 'reason=FailedCreate' }, opts()),
        )
      ).items,

    async namespacesOfWorkspace(workspace) {
      const list = await call(() =>
        core.listNamespace({ labelSelector: `${WORKSPACE_LABEL}=${workspace}` }, opts()),
      );
      return list.items.map((n) => n.metadata?.name ?? '').sort();
    },

    ownQuotas: async () =>
      (await call(() => core.listResourceQuotaForAllNamespaces({ labelSelector: ownQuotaSelector }, opts())))
        .items,

    async clusterSnapshot() {
      quotaCache ??= watch({
        path: '/api/v1/resourcequotas',
        labelSelector: ownQuotaSelector,
        list: (page) =>
          core.listResourceQuotaForAllNamespaces({ labelSelector: ownQuotaSelector, ...page }, opts()),
        project: slimQuota(ours.quotaAnnotations),
      });
      podCache ??= watch({
        path: '/api/v1/pods',
        list: (page) => core.listPodForAllNamespaces(page, opts()),
        project: slimPod,
      });
      recordCache ??= watch({
        path: `/api/v1/namespaces/${ownNamespace}/configmaps`,
        labelSelector: ours.recordSelector,
        list: (page) =>
          core.listNamespacedConfigMap(
            { namespace: ownNamespace, labelSelector: ours.recordSelector, ...page },
            opts(),
          ),
        project: slimRecord,
      });
      const caches = [quotaCache, podCache, recordCache, nodesCache()];
      const [workspaceOf] = await Promise.all([
        membership.workspaceOf(),
        call(() => Promise.all(caches.map((c) => c.ready()))),
      ]);
      return {
        quotas: quotaCache.list(),
        pods: podCache.list(),
        nodes: nodesCache().list(),
        workspaceOf,
        records: recordCache.list(),
      };
    },

    async apply(object) {
      await call(() =>
        objects.patch(object, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply),
      );
    },

    async removeOwned(ref) {
      const current = await read(ref);
      if (!current) return 'absent';
      if (!madeByUs(current)) return 'foreign';
      // Preconditions: if someone replaced the object since we looked, the apiserver refuses (409).
      const preconditions = {
        uid: current.metadata?.uid,
        resourceVersion: current.metadata?.resourceVersion,
      };
      const gone = await orUndefinedOn404(() =>
        objects.delete(header(ref), undefined, undefined, undefined, undefined, undefined, { preconditions }),
      );
      return gone === undefined ? 'absent' : 'deleted';
    },

    async readWriteGeneration() {
      const cm = await orUndefinedOn404(() =>
        core.readNamespacedConfigMap({ name: WRITE_GENERATION_NAME, namespace: ownNamespace }, opts()),
      );
      if (!cm?.metadata?.resourceVersion) return undefined;
      return { resourceVersion: cm.metadata.resourceVersion, count: Number(cm.data?.[GENERATION_KEY]) || 0 };
    },

    async bumpWriteGeneration(seen) {
      const body: V1ConfigMap = {
        metadata: {
          name: WRITE_GENERATION_NAME,
          namespace: ownNamespace,
          labels: ours.componentLabels,
          // The precondition: the apiserver refuses the replace (409) if anyone bumped it since.
          ...(seen ? { resourceVersion: seen.resourceVersion } : {}),
        },
        data: { [GENERATION_KEY]: String((seen?.count ?? 0) + 1) },
      };
      try {
        await (seen
          ? core.replaceNamespacedConfigMap(
              { name: WRITE_GENERATION_NAME, namespace: ownNamespace, body },
              opts(),
            )
          : core.createNamespacedConfigMap({ namespace: ownNamespace, body }, opts()));
        return true;
      } catch (err) {
        if (statusOf(err) === 409) return false;
        throw new UpstreamError('kube-apiserver', err);
      }
    },

    ownConfigMaps: async (labelSelector) =>
      (await call(() => core.listNamespacedConfigMap({ namespace: ownNamespace, labelSelector }, opts())))
        .items,

    read,

    async stop() {
      await Promise.all(
        [nodeCache, quotaCache, podCache, recordCache].map((c) => c?.stop() ?? Promise.resolve()),
      );
    },
  };
}

const header = (ref: ObjectRef) => ({
  apiVersion: ref.apiVersion,
  kind: ref.kind,
  metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
});

/**
 * The generic object API with the client's deadline on every call: KubernetesObjectApi takes a whole
 * Configuration per call and runs only its own middleware, so the deadline goes into the one it is built with.
 */
function objectApi(kube: KubeClient): KubernetesObjectApi {
  const kc = kube.config;
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  // Every namespaced ref we pass names its namespace, so the API's default namespace is never used.
  return new KubernetesObjectApi(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kc },
      middleware: kube.callOptions().middleware ?? [],
    }),
  );
}
