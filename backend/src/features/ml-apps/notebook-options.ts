// What the create form offers and what a create is checked against: the platform's curated images, the
// accelerator resources the nodes advertise (with their models and the most one node has free), the project's
// volume claims. Pure.
import type { NotebookOptions } from '@ks-gpu-ml/contracts';
import type { V1Node, V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { PlacedRequests } from '../../clients/ml-apps-kube.js';
import { freeOnNodes, GPU_MODEL_LABEL, largestFree } from './precheck.js';

/** Node resources that are not accelerators: the rest of status.allocatable are device-plugin resources. */
const NOT_ACCELERATORS = /^(cpu|memory|pods|ephemeral-storage|hugepages-.*|attachable-volumes-.*)$/;

/** The accelerator resources nodes advertise, each with the GPU models of the nodes that have it. */
export function acceleratorResources(nodes: readonly V1Node[]): Map<string, Set<string>> {
  const resources = new Map<string, Set<string>>();
  for (const node of nodes) {
    const model = node.metadata?.labels?.[GPU_MODEL_LABEL];
    for (const [name, value] of Object.entries(node.status?.allocatable ?? {})) {
      if (NOT_ACCELERATORS.test(name) || value === '0') continue;
      const models = resources.get(name) ?? new Set<string>();
      if (model) models.add(model);
      resources.set(name, models);
    }
  }
  return resources;
}

export function notebookOptions(input: {
  images: readonly string[];
  nodes: readonly V1Node[];
  placed: PlacedRequests;
  claims: readonly V1PersistentVolumeClaim[];
}): NotebookOptions {
  const gpus = [...acceleratorResources(input.nodes)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([resource, models]) => ({
      resource,
      models: [...models].sort(),
      largestFree: largestFree(freeOnNodes(input.nodes, input.placed, resource)),
    }));
  return {
    images: [...input.images],
    gpus,
    claims: input.claims.map((c) => c.metadata?.name ?? '').sort(),
  };
}
