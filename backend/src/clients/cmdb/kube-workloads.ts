import { CoreV1Api, CustomObjectsApi, type KubernetesObject } from '@kubernetes/client-node';
import type { KubeClient } from '../kube.js';
import { statusOf } from '../kube-calls.js';
import { UpstreamError } from '../upstream.js';
import type { OwnedObject } from './kube-owners.js';

/**
 * The cluster's top-level workloads — those no controller owns (a Deployment, not its ReplicaSets; a Notebook, not
 * its StatefulSet) — of the kinds the business mapping knows, across all namespaces, slimmed to what the mapping
 * reads. A kind whose API is not installed (no Kubeflow, no KServe) is left out, not an error. At most `maxPerKind`
 * objects of each kind are read (one page each); `truncated` says when a kind had more.
 */
export interface KubeWorkloads {
  list(): Promise<{ items: OwnedObject[]; truncated: boolean }>;
}

export const WORKLOAD_KINDS = [
  { group: 'apps', version: 'v1', plural: 'deployments', kind: 'Deployment' },
  { group: 'apps', version: 'v1', plural: 'statefulsets', kind: 'StatefulSet' },
  { group: 'apps', version: 'v1', plural: 'daemonsets', kind: 'DaemonSet' },
  { group: 'batch', version: 'v1', plural: 'cronjobs', kind: 'CronJob' },
  { group: 'batch', version: 'v1', plural: 'jobs', kind: 'Job' },
  { group: 'kubeflow.org', version: 'v1', plural: 'notebooks', kind: 'Notebook' },
  { group: 'kubeflow.org', version: 'v1', plural: 'pytorchjobs', kind: 'PyTorchJob' },
  { group: 'trainer.kubeflow.org', version: 'v1alpha1', plural: 'trainjobs', kind: 'TrainJob' },
  { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices', kind: 'InferenceService' },
] as const;

const MAX_VALUE = 1024;
const DROPPED = 'kubectl.kubernetes.io/last-applied-configuration';

const cut = (m: Record<string, string> | undefined, drop?: string) =>
  Object.fromEntries(
    Object.entries(m ?? {})
      .filter(([k]) => k !== drop)
      .map(([k, v]) => [k, v.slice(0, MAX_VALUE)]),
  );

export function createKubeWorkloads(kube: KubeClient, options: { maxPerKind?: number } = {}): KubeWorkloads {
  const maxPerKind = options.maxPerKind ?? 2000;
  let api: CustomObjectsApi | undefined;
  return {
    async list() {
      api ??= kube.config.makeApiClient(CustomObjectsApi);
      const custom = api;
      let truncated = false;
      const lists = await Promise.all(
        WORKLOAD_KINDS.map(async (k) => {
          try {
            const answer = (await custom.listClusterCustomObject(
              { group: k.group, version: k.version, plural: k.plural, limit: maxPerKind },
              kube.callOptions(),
            )) as { items?: KubernetesObject[]; metadata?: { continue?: string } };
            if (answer.metadata?.continue) truncated = true;
            return (answer.items ?? [])
              .filter((o) => !o.metadata?.ownerReferences?.some((r) => r.controller))
              .map((o): OwnedObject => ({
                kind: k.kind,
                ...(o.metadata?.namespace ? { namespace: o.metadata.namespace } : {}),
                name: o.metadata?.name ?? '',
                labels: cut(o.metadata?.labels),
                annotations: cut(o.metadata?.annotations, DROPPED),
              }));
          } catch (err) {
            // Not installed here (404), or this version not served: not a workload this cluster has.
            if (statusOf(err) === 404) return [];
            throw new UpstreamError('kube-apiserver', err);
          }
        }),
      );
      return { items: lists.flat(), truncated };
    },
  };
}

/** The names of a namespace's pods (one page of at most `limit`), for expanding a business silence to label sets. */
export async function listPodNames(kube: KubeClient, namespace: string, limit = 5000): Promise<string[]> {
  const core = kube.config.makeApiClient(CoreV1Api);
  try {
    const pods = await core.listNamespacedPod({ namespace, limit }, kube.callOptions());
    return pods.items.map((p) => p.metadata?.name ?? '').filter(Boolean);
  } catch (err) {
    if (statusOf(err) === 404) return [];
    throw new UpstreamError('kube-apiserver', err);
  }
}
