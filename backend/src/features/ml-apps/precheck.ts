// The pre-check before a notebook is created: would the project's quotas admit its pod, and is there a node that
// can take its GPUs now? Every ResourceQuota of the namespace counts (gpu-quota writes its max as one, a platform
// admin may have set others): the pod is refused by the tightest. Capacity is what one matching node has free,
// because a notebook is one pod and cannot be split across nodes. Pure: the caller reads the objects.
import { parseQuantity, type NotebookGpu, type PrecheckRefusal } from '@ks-gpu-ml/contracts';
import type { V1Node, V1ResourceQuota } from '@kubernetes/client-node';
import type { PlacedRequests } from '../../clients/ml-apps-kube.js';

/** The label GPU feature discovery puts the GPU model in (what `gpu.model` selects). */
export const GPU_MODEL_LABEL = 'nvidia.com/gpu.product';

/**
 * What the pods ask for together, per resource name (`cpu` in cores, `memory` in bytes, `nvidia.com/gpu` in
 * devices), and `pods`, how many (1 when absent).
 */
export type Ask = Readonly<Record<string, number>>;

/**
 * How much of a ResourceQuota `hard` key the pod would use. Requests equal limits in our notebooks, so
 * `requests.x`, `limits.x` and bare `cpu`/`memory` all count the same amount; `pods` counts the pod itself.
 */
export function askedFor(key: string, ask: Ask): number {
  if (key === 'pods' || key === 'count/pods') return ask.pods ?? 1;
  const resource = key.replace(/^(requests|limits)\./, '');
  return ask[resource] ?? 0;
}

export function quotaRefusals(quotas: readonly V1ResourceQuota[], ask: Ask): PrecheckRefusal[] {
  const refusals: PrecheckRefusal[] = [];
  for (const quota of quotas) {
    const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
    for (const [key, value] of Object.entries(hard)) {
      const asked = askedFor(key, ask);
      const max = parseQuantity(value);
      if (asked <= 0 || max === undefined) continue;
      const used = parseQuantity(quota.status?.used?.[key]) ?? 0;
      if (used + asked > max) {
        refusals.push({
          source: 'quota',
          resource: key,
          asked,
          used,
          max,
          quota: quota.metadata?.name ?? '',
        });
      }
    }
  }
  return refusals;
}

function schedulable(node: V1Node): boolean {
  if (node.spec?.unschedulable) return false;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return ready === undefined || ready.status === 'True';
}

/** Free amount of `resource` per schedulable node that has it (and the model, when one is asked for). */
export function freeOnNodes(
  nodes: readonly V1Node[],
  placed: PlacedRequests,
  resource: string,
  model?: string,
): Map<string, number> {
  const free = new Map<string, number>();
  for (const node of nodes) {
    const allocatable = parseQuantity(node.status?.allocatable?.[resource]) ?? 0;
    if (allocatable <= 0 || !schedulable(node)) continue;
    if (model !== undefined && node.metadata?.labels?.[GPU_MODEL_LABEL] !== model) continue;
    free.set(node.metadata?.name ?? '', allocatable);
  }
  for (const [node, allocatable] of free) free.set(node, allocatable - (placed[node]?.[resource] ?? 0));
  return free;
}

export const largestFree = (free: ReadonlyMap<string, number>): number => Math.max(0, ...free.values());

/**
 * Whether `pods` pods of `gpu.count` each fit on matching nodes now. One pod: the most one node has free (`free`).
 * Several (a training job's nodes): the GPUs usable in whole pods over all matching nodes, against all asked.
 */
export function capacityRefusal(
  nodes: readonly V1Node[],
  placed: PlacedRequests,
  gpu: NotebookGpu,
  pods = 1,
): PrecheckRefusal | undefined {
  const free = freeOnNodes(nodes, placed, gpu.resource, gpu.model);
  if (pods === 1) {
    const largest = largestFree(free);
    if (gpu.count <= largest) return undefined;
    return { source: 'capacity', resource: gpu.resource, asked: gpu.count, free: largest };
  }
  const usable = [...free.values()].reduce(
    (sum, f) => sum + Math.max(0, Math.floor(f / gpu.count)) * gpu.count,
    0,
  );
  const asked = gpu.count * pods;
  return asked <= usable ? undefined : { source: 'capacity', resource: gpu.resource, asked, free: usable };
}

/**
 * Whether pods of different GPU asks (a v1 job's replica types) all fit on matching nodes now, per GPU resource:
 * the largest pods first, each on the matching node with the least room that still takes it. A refusal names the
 * resource, all asked of it, and `free`: the GPUs of the pods that would fit now. Pure.
 */
export function capacityRefusalsMixed(
  nodes: readonly V1Node[],
  placed: PlacedRequests,
  pods: readonly { gpu: NotebookGpu; count: number }[],
): PrecheckRefusal[] {
  const refusals: PrecheckRefusal[] = [];
  const resources = [...new Set(pods.map((p) => p.gpu.resource))].sort();
  for (const resource of resources) {
    const asks = pods
      .filter((p) => p.gpu.resource === resource)
      .flatMap((p) => Array.from({ length: p.count }, () => p.gpu))
      .sort((a, b) => b.count - a.count);
    const free = freeOnNodes(nodes, placed, resource);
    const modelOf = new Map(
      nodes.map((n) => [n.metadata?.name ?? '', n.metadata?.labels?.[GPU_MODEL_LABEL]]),
    );
    let fitted = 0;
    let missing = false;
    for (const gpu of asks) {
      let best: string | undefined;
      for (const [node, room] of free) {
        if (gpu.model !== undefined && modelOf.get(node) !== gpu.model) continue;
        if (room >= gpu.count && (best === undefined || room < free.get(best)!)) best = node;
      }
      if (best === undefined) {
        missing = true;
        continue;
      }
      free.set(best, free.get(best)! - gpu.count);
      fitted += gpu.count;
    }
    if (!missing) continue;
    const asked = asks.reduce((sum, g) => sum + g.count, 0);
    refusals.push({ source: 'capacity', resource, asked, free: fitted });
  }
  return refusals;
}
