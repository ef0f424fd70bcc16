// GPU use from pods: what each pod holds, per namespace, per resource and per device model.
//
// ResourceQuota status.used is the apiserver's count (charged at admission, so it includes pods not yet
// scheduled) but knows nothing of models and does not track HAMi's limits.* amounts. Pods bound to a node
// tell the model (the node's label) and let us apply HAMi's per-card arithmetic, so both sources are kept.
import type { ContainerView, NodeView, PodView } from '../../clients/kube-projections.js';
import { parseQuantity } from './quantity.js';
import {
  describeResource,
  KNOWN_GPU_RESOURCES,
  NVIDIA_GPU,
  NVIDIA_PRODUCT_LABEL,
  rowKey,
  type ResourceTable,
} from './resources.js';

/** GPU resources of one container: requests, or limits where requests are absent (for extended resources they must be equal). */
function containerGpus(container: ContainerView, table: ResourceTable): Map<string, number> {
  const out = new Map<string, number>();
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  for (const name of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    const descriptor = describeResource(name, table);
    if (!descriptor) continue;
    const value = parseQuantity(requests[name] ?? limits[name]);
    if (value === undefined || value <= 0) continue;
    out.set(name, value);
  }
  // HAMi's amounts are per card: gpu: 2, gpucores: 10 holds 20 percent (HAMi#302). A container asking for
  // an amount without nvidia.com/gpu gets one card from HAMi's webhook.
  const cards = out.get(NVIDIA_GPU) ?? 1;
  for (const [name, value] of out) {
    if (!describeResource(name, table)?.countable && name.startsWith('nvidia.com/'))
      out.set(name, value * cards);
  }
  return out;
}

const addAll = (into: Map<string, number>, from: Map<string, number>) => {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
};

/**
 * A pod's effective GPU request, as the scheduler computes it: the sum over app containers and sidecars
 * (init containers with restartPolicy Always), or the largest plain init container if that is more.
 */
export function podGpuRequests(
  pod: PodView,
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): Map<string, number> {
  const total = new Map<string, number>();
  for (const c of pod.spec?.containers ?? []) addAll(total, containerGpus(c, table));
  for (const c of pod.spec?.initContainers ?? []) {
    const gpus = containerGpus(c, table);
    if (c.restartPolicy === 'Always') addAll(total, gpus);
    else for (const [k, v] of gpus) total.set(k, Math.max(total.get(k) ?? 0, v));
  }
  return total;
}

/** Pods that hold their resources: bound to a node and not finished. */
export const holdsResources = (pod: PodView): boolean =>
  !!pod.spec?.nodeName && pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed';

/** namespace → row key → amount (resource totals under `nvidia.com/gpu`, models under `nvidia.com/gpu@<model>`). */
export type UsageIndex = Map<string, Map<string, number>>;

/** Node name → device model, for the nodes that have a model label (built once per node list). */
export function modelOfNode(nodes: Iterable<NodeView>): Map<string, string> {
  const models = new Map<string, string>();
  for (const node of nodes) {
    const model = node.metadata?.labels?.[NVIDIA_PRODUCT_LABEL];
    if (model && node.metadata?.name) models.set(node.metadata.name, model);
  }
  return models;
}

/**
 * Use per namespace from the pods that hold resources. `modelOfNode` maps a node name to its device model
 * label value (built once from the node list). One pass over the pods.
 */
export function usageFromPods(
  pods: Iterable<PodView>,
  modelOfNode: ReadonlyMap<string, string>,
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): UsageIndex {
  const index: UsageIndex = new Map();
  for (const pod of pods) {
    if (!holdsResources(pod)) continue;
    const requests = podGpuRequests(pod, table);
    if (requests.size === 0) continue;
    const namespace = pod.metadata?.namespace ?? '';
    let used = index.get(namespace);
    if (!used) index.set(namespace, (used = new Map()));
    const model = modelOfNode.get(pod.spec!.nodeName!);
    for (const [resource, amount] of requests) {
      used.set(resource, (used.get(resource) ?? 0) + amount);
      if (model && describeResource(resource, table)?.modelLabel) {
        const key = rowKey(resource, model);
        used.set(key, (used.get(key) ?? 0) + amount);
      }
    }
  }
  return index;
}

/**
 * One namespace's use for display and validation: the apiserver's count for resource totals where the
 * quota tracks them (it includes admitted pods not yet bound), pods for everything else.
 */
export function mergeUsage(
  fromQuota: ReadonlyMap<string, number>,
  fromPods: ReadonlyMap<string, number> | undefined,
): Map<string, number> {
  const merged = new Map(fromPods ?? []);
  for (const [resource, value] of fromQuota) merged.set(resource, value);
  return merged;
}
