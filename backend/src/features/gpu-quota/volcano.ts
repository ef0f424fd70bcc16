// A Volcano Queue for a project's base and max (scheduling.volcano.sh/v1beta1, fields per
// tests/sandbox/crds/scheduling.volcano.sh.yaml):
//   capability        = max   (hard upper limit)
//   guarantee.resource = base  (reserved for the queue, never lent)
//   deserved          = base  (capacity plugin: the share the queue gets back under contention; between
//                              guarantee and capability, so base is also what is reclaimed for it)
// Volcano sees resource names only, so per-model rows are added up per resource; HAMi amounts are left
// out (Volcano does not limit vGPU memory/cores through the queue, volcano#4168).
import { totalsPerResource, type QuotaRow } from './model.js';
import { formatQuantity, parseQuantity } from './quantity.js';
import { ownLabels } from './resourcequota.js';
import { describeResource, KNOWN_GPU_RESOURCES, type ResourceTable } from './resources.js';

export const VOLCANO_API_VERSION = 'scheduling.volcano.sh/v1beta1';
/** How a pod (annotation) or PodGroup names its queue; vcjobs use spec.queue. */
export const VOLCANO_QUEUE_ANNOTATION = 'scheduling.volcano.sh/queue-name';
/** On our queues: the namespace the queue belongs to (Volcano queues are cluster-scoped). */
export const VOLCANO_NAMESPACE_ANNOTATION = 'gpu-quota.ks-gpu-ml.io/namespace';

type Quantities = Record<string, string>;

export interface VolcanoQueue {
  apiVersion: typeof VOLCANO_API_VERSION;
  kind: 'Queue';
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    capability: Quantities;
    deserved: Quantities;
    guarantee: { resource: Quantities };
    reclaimable: boolean;
  };
  status?: { allocated?: Record<string, string | number>; state?: string };
}

export const volcanoQueueName = (namespace: string): string => `ks-gpu-ml-${namespace}`;

export function volcanoQueue(
  namespace: string,
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): VolcanoQueue {
  const capability: Quantities = {};
  const deserved: Quantities = {};
  const guarantee: Quantities = {};
  const countable = rows.filter((r) => describeResource(r.resource, table)?.countable);
  for (const [resource, { base, max }] of totalsPerResource(countable)) {
    capability[resource] = formatQuantity(max);
    deserved[resource] = formatQuantity(base);
    guarantee[resource] = formatQuantity(base);
  }
  return {
    apiVersion: VOLCANO_API_VERSION,
    kind: 'Queue',
    metadata: {
      name: volcanoQueueName(namespace),
      labels: ownLabels(),
      annotations: { [VOLCANO_NAMESPACE_ANNOTATION]: namespace },
    },
    // reclaimable: others may take back what this queue borrowed beyond its deserved share.
    spec: { capability, deserved, guarantee: { resource: guarantee }, reclaimable: true },
  };
}

/** base/max per resource back from a queue (base from guarantee, max from capability), and allocated. */
export function readVolcanoQueue(queue: Pick<VolcanoQueue, 'spec' | 'status'>): {
  totals: Map<string, { base: number; max: number }>;
  allocated: Map<string, number>;
} {
  const totals = new Map<string, { base: number; max: number }>();
  const capability = queue.spec?.capability ?? {};
  const guarantee = queue.spec?.guarantee?.resource ?? {};
  for (const resource of new Set([...Object.keys(capability), ...Object.keys(guarantee)])) {
    totals.set(resource, {
      base: parseQuantity(guarantee[resource]) ?? 0,
      max: parseQuantity(capability[resource]) ?? Infinity,
    });
  }
  const allocated = new Map<string, number>();
  for (const [resource, raw] of Object.entries(queue.status?.allocated ?? {})) {
    const value = parseQuantity(raw);
    if (value !== undefined) allocated.set(resource, value);
  }
  return { totals, allocated };
}
