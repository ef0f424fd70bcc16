// Kueue objects for a project's base and max (kueue.x-k8s.io/v1beta1, the field names of our test CRDs in
// tests/sandbox/crds/kueue.x-k8s.io.yaml, where the cohort field is `cohort`):
//
// - one ResourceFlavor per GPU model (nodeLabels nvidia.com/gpu.product=<model>), plus one flavor without
//   node labels for rows that mean "any model" (MIG profiles, other vendors, nvidia.com/gpu without model);
// - per namespace a ClusterQueue in the shared cohort: nominalQuota = base, borrowingLimit = max − base,
//   namespaceSelector matching only that namespace;
// - a LocalQueue in the namespace pointing at it (workloads label themselves kueue.x-k8s.io/queue-name).
//
// HAMi amounts are left out: Kueue would count per-card values unless a cluster-wide ResourceTransformation
// is configured, so their base stays "recorded" (see scheduler.ts).
import { createHash } from 'node:crypto';
import type { QuotaRow } from './model.js';
import { formatQuantity, parseQuantity } from './quantity.js';
import { ownLabels } from './resourcequota.js';
import {
  describeResource,
  KNOWN_GPU_RESOURCES,
  NVIDIA_PRODUCT_LABEL,
  rowKey,
  type ResourceTable,
} from './resources.js';

export const KUEUE_API_VERSION = 'kueue.x-k8s.io/v1beta1';
/** Every project's ClusterQueue is in this cohort, so unused base can be borrowed up to each max. */
export const KUEUE_COHORT = 'ks-gpu-ml';
export const LOCAL_QUEUE_NAME = 'gpu-quota';
/** The label a workload carries to be admitted through the project's LocalQueue. */
export const KUEUE_QUEUE_LABEL = 'kueue.x-k8s.io/queue-name';
export const ANY_MODEL_FLAVOR = 'ks-gpu-ml-any-model';
/** On our flavors: the model it stands for (label values cannot hold every product name losslessly). */
export const FLAVOR_MODEL_ANNOTATION = 'gpu-quota.ks-gpu-ml.io/model';
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export interface ResourceFlavor {
  apiVersion: typeof KUEUE_API_VERSION;
  kind: 'ResourceFlavor';
  metadata: { name: string; labels: Record<string, string>; annotations?: Record<string, string> };
  spec: { nodeLabels?: Record<string, string> };
}

export interface FlavorQuota {
  name: string;
  nominalQuota: string;
  borrowingLimit?: string;
}

export interface ResourceGroup {
  coveredResources: string[];
  flavors: { name: string; resources: FlavorQuota[] }[];
}

export interface ClusterQueue {
  apiVersion: typeof KUEUE_API_VERSION;
  kind: 'ClusterQueue';
  metadata: { name: string; labels: Record<string, string> };
  spec: {
    cohort: string;
    namespaceSelector: { matchLabels: Record<string, string> };
    queueingStrategy: 'BestEffortFIFO';
    preemption: { reclaimWithinCohort: 'Any'; withinClusterQueue: 'LowerPriority' };
    resourceGroups: ResourceGroup[];
  };
  status?: Record<string, unknown>;
}

export interface LocalQueue {
  apiVersion: typeof KUEUE_API_VERSION;
  kind: 'LocalQueue';
  metadata: { name: string; namespace: string; labels: Record<string, string> };
  spec: { clusterQueue: string };
  status?: { flavorUsage?: { name: string; resources: { name: string; total?: string | number }[] }[] };
}

/**
 * A DNS-1123 name for a model's flavor. Product names are mostly safe once lower-cased
 * (NVIDIA-A100-SXM4-80GB → ks-gpu-ml-nvidia-a100-sxm4-80gb); anything else is replaced and a short hash of
 * the original keeps two products that sanitise alike apart.
 */
export function flavorName(model: string): string {
  const lower = model.toLowerCase();
  const safe =
    lower
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'model';
  const name = `ks-gpu-ml-${safe}`;
  if (safe === lower) return name;
  return `${name}-${createHash('sha256').update(model).digest('hex').slice(0, 8)}`;
}

export function clusterQueueName(namespace: string): string {
  return `ks-gpu-ml-${namespace}`;
}

/** One flavor per model, and the any-model flavor. */
export function resourceFlavors(
  models: readonly string[],
  modelLabel = NVIDIA_PRODUCT_LABEL,
): ResourceFlavor[] {
  const flavors: ResourceFlavor[] = [
    {
      apiVersion: KUEUE_API_VERSION,
      kind: 'ResourceFlavor',
      metadata: { name: ANY_MODEL_FLAVOR, labels: ownLabels() },
      spec: {},
    },
  ];
  for (const model of [...new Set(models)].sort()) {
    flavors.push({
      apiVersion: KUEUE_API_VERSION,
      kind: 'ResourceFlavor',
      metadata: {
        name: flavorName(model),
        labels: ownLabels(),
        annotations: { [FLAVOR_MODEL_ANNOTATION]: model },
      },
      spec: { nodeLabels: { [modelLabel]: model } },
    });
  }
  return flavors;
}

const flavorQuota = (name: string, row: QuotaRow | undefined): FlavorQuota => ({
  name,
  nominalQuota: formatQuantity(row?.base ?? 0),
  borrowingLimit: formatQuantity(row ? row.max - row.base : 0),
});

/**
 * The resource groups for the rows. Kueue lists a flavor in one resource group only, and every flavor of a
 * group must name every covered resource, so: one group for the per-model rows (flavors = their models,
 * 0 where a resource has no row for that model) and one group for the any-model rows (the any-model flavor).
 */
export function resourceGroups(
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): ResourceGroup[] {
  const countable = rows.filter((r) => describeResource(r.resource, table)?.countable);
  const byKey = new Map(countable.map((r) => [rowKey(r.resource, r.model), r]));
  const groups: ResourceGroup[] = [];

  const perModel = countable.filter((r) => r.model !== undefined);
  if (perModel.length > 0) {
    const resources = [...new Set(perModel.map((r) => r.resource))].sort();
    const models = [...new Set(perModel.map((r) => r.model!))].sort();
    groups.push({
      coveredResources: resources,
      flavors: models.map((model) => ({
        name: flavorName(model),
        resources: resources.map((resource) => flavorQuota(resource, byKey.get(rowKey(resource, model)))),
      })),
    });
  }
  const anyModel = countable
    .filter((r) => r.model === undefined)
    .sort((a, b) => (a.resource < b.resource ? -1 : 1));
  if (anyModel.length > 0) {
    groups.push({
      coveredResources: anyModel.map((r) => r.resource),
      flavors: [{ name: ANY_MODEL_FLAVOR, resources: anyModel.map((r) => flavorQuota(r.resource, r)) }],
    });
  }
  return groups;
}

export function clusterQueue(
  namespace: string,
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): ClusterQueue {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: 'ClusterQueue',
    metadata: {
      name: clusterQueueName(namespace),
      labels: { ...ownLabels(), [NAMESPACE_NAME_LABEL]: namespace },
    },
    spec: {
      cohort: KUEUE_COHORT,
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
      queueingStrategy: 'BestEffortFIFO',
      // Base is a guarantee only if a queue can take back what others borrowed from it: reclaim within the
      // cohort by preempting borrowers. Inside the queue, higher priority may preempt lower.
      preemption: { reclaimWithinCohort: 'Any', withinClusterQueue: 'LowerPriority' },
      resourceGroups: resourceGroups(rows, table),
    },
  };
}

export function localQueue(namespace: string): LocalQueue {
  return {
    apiVersion: KUEUE_API_VERSION,
    kind: 'LocalQueue',
    metadata: { name: LOCAL_QUEUE_NAME, namespace, labels: ownLabels() },
    spec: { clusterQueue: clusterQueueName(namespace) },
  };
}

/** Every object to apply for one project (flavors are shared: applying them again is a no-op). */
export function kueueObjects(
  namespace: string,
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): { flavors: ResourceFlavor[]; clusterQueue: ClusterQueue; localQueue: LocalQueue } {
  const models = rows.filter((r) => r.model !== undefined).map((r) => r.model!);
  return {
    flavors: resourceFlavors(models),
    clusterQueue: clusterQueue(namespace, rows, table),
    localQueue: localQueue(namespace),
  };
}

/** flavor name → model (undefined for the any-model flavor), from our naming. */
function modelOfFlavor(name: string, models: ReadonlyMap<string, string>): string | undefined {
  return name === ANY_MODEL_FLAVOR ? undefined : models.get(name);
}

/**
 * Rows back from a ClusterQueue (base = nominalQuota, max = nominalQuota + borrowingLimit). `models` maps
 * flavor names to models (build it with flavorModels from the flavors or the rows' models). Flavors we do
 * not know are skipped; an unset borrowingLimit means unlimited borrowing and reads as max = Infinity.
 */
export function readClusterQueue(
  queue: Pick<ClusterQueue, 'spec'>,
  models: ReadonlyMap<string, string>,
): QuotaRow[] {
  const rows: QuotaRow[] = [];
  for (const group of queue.spec?.resourceGroups ?? []) {
    for (const flavor of group.flavors) {
      const known = flavor.name === ANY_MODEL_FLAVOR || models.has(flavor.name);
      if (!known) continue;
      const model = modelOfFlavor(flavor.name, models);
      for (const r of flavor.resources) {
        const base = parseQuantity(r.nominalQuota) ?? 0;
        const borrowing = r.borrowingLimit === undefined ? Infinity : (parseQuantity(r.borrowingLimit) ?? 0);
        // A per-model group lists 0/0 for models a resource has no row for: not a row of the user's.
        if (model !== undefined && base === 0 && borrowing === 0) continue;
        rows.push({
          resource: r.name,
          ...(model !== undefined ? { model } : {}),
          base,
          max: base + borrowing,
        });
      }
    }
  }
  return rows;
}

/** flavor name → model for the given models (the inverse of flavorName), or from flavor objects. */
export function flavorModels(
  source: readonly string[] | readonly Pick<ResourceFlavor, 'metadata'>[],
): Map<string, string> {
  const map = new Map<string, string>();
  for (const item of source) {
    if (typeof item === 'string') map.set(flavorName(item), item);
    else {
      const model = item.metadata.annotations?.[FLAVOR_MODEL_ANNOTATION];
      if (model) map.set(item.metadata.name, model);
    }
  }
  return map;
}

/** Use per row key from a LocalQueue's status.flavorUsage (admitted workloads in this namespace). */
export function localQueueUsage(
  queue: Pick<LocalQueue, 'status'>,
  models: ReadonlyMap<string, string>,
): Map<string, number> {
  const used = new Map<string, number>();
  for (const flavor of queue.status?.flavorUsage ?? []) {
    const model = modelOfFlavor(flavor.name, models);
    for (const r of flavor.resources) {
      const value = parseQuantity(r.total) ?? 0;
      used.set(r.name, (used.get(r.name) ?? 0) + value);
      if (model !== undefined)
        used.set(rowKey(r.name, model), (used.get(rowKey(r.name, model)) ?? 0) + value);
    }
  }
  return used;
}
