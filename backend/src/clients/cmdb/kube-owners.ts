import {
  CoreV1Api,
  createConfiguration,
  KubernetesObjectApi,
  ServerConfiguration,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { TtlCache } from '../../shared/ttl-cache.js';
import type { KubeClient } from '../kube.js';
import { orUndefinedOn404 } from '../kube-calls.js';

/**
 * The objects behind an alert, read from kube-apiserver: a pod and its controllers upward through each
 * ownerReference marked `controller` (pod → ReplicaSet → Deployment; → StatefulSet, Job → CronJob, a Notebook's
 * StatefulSet → Notebook, an InferenceService's Deployment → InferenceService…), and namespaces. Only what the
 * business mapping reads is kept (kind, name, labels, annotations without kubectl's last-applied copy, values cut
 * to 1 KiB), in a cache bounded in bytes with a short TTL, so an alert storm does not become an apiserver storm.
 */
export interface OwnedObject {
  kind: string;
  namespace?: string;
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface KubeOwners {
  ownerChain(ref: {
    kind: string;
    namespace: string;
    name: string;
    apiVersion?: string;
  }): Promise<OwnedObject[]>;
  namespace(name: string): Promise<OwnedObject | undefined>;
}

const MAX_CHAIN = 6;
const MAX_VALUE = 1024;
const DROPPED_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** The usual apiVersion of a kind an alert's labels name (pods name their owners' exactly). */
const API_VERSIONS: Record<string, string> = {
  Pod: 'v1',
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
  Job: 'batch/v1',
};

function slim(o: KubernetesObject): OwnedObject {
  const cut = (m: Record<string, string> | undefined, drop?: Set<string>) =>
    Object.fromEntries(
      Object.entries(m ?? {})
        .filter(([k]) => !drop?.has(k))
        .map(([k, v]) => [k, v.slice(0, MAX_VALUE)]),
    );
  return {
    kind: o.kind ?? '',
    ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
    name: o.metadata?.name ?? '',
    labels: cut(o.metadata?.labels),
    annotations: cut(o.metadata?.annotations, DROPPED_ANNOTATIONS),
  };
}

function objectApi(kube: KubeClient): KubernetesObjectApi {
  const cluster = kube.config.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig has no current cluster');
  return new KubernetesObjectApi(
    createConfiguration({
      baseServer: new ServerConfiguration(cluster.server, {}),
      authMethods: { default: kube.config },
      middleware: kube.callOptions().middleware ?? [],
    }),
  );
}

export function createKubeOwners(
  kube: KubeClient,
  options: { ttlMs?: number; maxBytes?: number; now?: () => number } = {},
): KubeOwners {
  let objects: KubernetesObjectApi | undefined;
  let core: CoreV1Api | undefined;
  const cache = new TtlCache<{
    object?: OwnedObject;
    owner?: { apiVersion: string; kind: string; name: string };
  }>({
    ttlMs: options.ttlMs ?? 30_000,
    maxEntries: 50_000,
    maxBytes: options.maxBytes ?? 8 * 1024 * 1024,
    ...(options.now ? { now: options.now } : {}),
  });

  async function read(apiVersion: string, kind: string, namespace: string, name: string) {
    const key = `${apiVersion}/${kind}/${namespace}/${name}`;
    const hit = cache.get(key);
    if (hit) return hit;
    objects ??= objectApi(kube);
    const api = objects;
    const raw = await orUndefinedOn404(() => api.read({ apiVersion, kind, metadata: { name, namespace } }));
    const controller = raw?.metadata?.ownerReferences?.find((r) => r.controller);
    const entry = {
      ...(raw ? { object: slim(raw) } : {}),
      ...(controller
        ? { owner: { apiVersion: controller.apiVersion, kind: controller.kind, name: controller.name } }
        : {}),
    };
    cache.set(key, entry);
    return entry;
  }

  return {
    async ownerChain(ref) {
      const chain: OwnedObject[] = [];
      let next: { apiVersion: string; kind: string; name: string } | undefined = {
        apiVersion: ref.apiVersion ?? API_VERSIONS[ref.kind] ?? 'v1',
        kind: ref.kind,
        name: ref.name,
      };
      while (next && chain.length < MAX_CHAIN) {
        const entry = await read(next.apiVersion, next.kind, ref.namespace, next.name);
        if (!entry.object) break;
        chain.push(entry.object);
        next = entry.owner;
      }
      return chain;
    },
    async namespace(name) {
      const key = `v1/Namespace//${name}`;
      const hit = cache.get(key);
      if (hit) return hit.object;
      core ??= kube.config.makeApiClient(CoreV1Api);
      const api = core;
      const raw = await orUndefinedOn404(() => api.readNamespace({ name }, kube.callOptions()));
      const object = raw ? slim({ ...raw, kind: 'Namespace' }) : undefined;
      cache.set(key, object ? { object } : {});
      return object;
    },
  };
}
