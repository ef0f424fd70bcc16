// The GPU catalogue: every GPU resource the nodes advertise, with capacity and allocatable per resource and,
// where the resource has a model label, per model. Quota validation, Kueue flavors and the cluster view all
// read it, so it is built once per node-list change and is a pure function of the nodes.
import type { NodeView } from '../../clients/kube-projections.js';
import { parseQuantity } from './quantity.js';
import {
  describeResource,
  isMigProfile,
  KNOWN_GPU_RESOURCES,
  MIG_STRATEGY_LABEL,
  NVIDIA_GPU,
  NVIDIA_GPU_COUNT_LABEL,
  type GpuResourceKind,
  type GpuUnit,
  type ResourceTable,
} from './resources.js';

/** Capacity figures, summed over nodes. */
export interface CapacityFigures {
  /** status.capacity summed. */
  capacity: number;
  /** status.allocatable summed: what quotas and pods are charged against. */
  allocatable: number;
  /** The part of allocatable on nodes that cannot take new pods now (cordoned or not Ready). */
  unavailable: number;
  /** Nodes advertising the resource. */
  nodes: number;
  /**
   * Physical devices behind `nvidia.com/gpu` when HAMi splits them into vGPU slots (its allocatable is
   * slots, 10 per GPU by default); equal to allocatable elsewhere. Only set for countable resources.
   */
  physicalDevices?: number;
}

export interface ModelCapacity extends CapacityFigures {
  model: string;
}

export interface CatalogueResource extends CapacityFigures {
  resource: string;
  vendor: string;
  kind: GpuResourceKind;
  unit: GpuUnit;
  countable: boolean;
  /** Set when quotas may name a model of this resource. */
  modelLabel?: string;
  /** Per model, sorted by model name; nodes without the model label count only in the resource totals. */
  models: ModelCapacity[];
  /** Nodes where HAMi shares the devices (they advertise HAMi amounts next to nvidia.com/gpu). */
  sharedNodes: number;
}

export interface GpuCatalogue {
  /** Sorted by resource name. */
  resources: CatalogueResource[];
  /** Nodes per MIG strategy label value (`mixed`, `single`, `none`). */
  migStrategies: Record<string, number>;
  /** MIG profiles any node advertises (mixed strategy), sorted. */
  migProfiles: string[];
}

const HAMI_AMOUNTS = ['nvidia.com/gpumem', 'nvidia.com/gpucores'];

function nodeAvailable(node: NodeView): boolean {
  if (node.spec?.unschedulable) return false;
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  // Nodes registered with their status but no conditions yet count as available: we cannot know better.
  return ready === undefined || ready.status === 'True';
}

const emptyFigures = (): CapacityFigures => ({ capacity: 0, allocatable: 0, unavailable: 0, nodes: 0 });

function addTo(
  figures: CapacityFigures,
  capacity: number,
  allocatable: number,
  available: boolean,
  physical?: number,
): void {
  figures.capacity += capacity;
  figures.allocatable += allocatable;
  if (!available) figures.unavailable += allocatable;
  figures.nodes += 1;
  if (physical !== undefined) figures.physicalDevices = (figures.physicalDevices ?? 0) + physical;
}

/**
 * Physical GPUs behind a HAMi node's nvidia.com/gpu slots: GPU feature discovery's gpu.count label. Without
 * it we cannot tell, and report the slots (overstating, as every dashboard reading allocatable does).
 */
function physicalGpus(node: NodeView, allocatable: number, shared: boolean): number {
  if (!shared) return allocatable;
  const count = parseQuantity(node.metadata?.labels?.[NVIDIA_GPU_COUNT_LABEL]);
  return count !== undefined && Number.isInteger(count) && count >= 0 ? count : allocatable;
}

/** Catalogues already built, per node list: the watch cache answers the same array until a node changes. */
const built = new WeakMap<readonly NodeView[], WeakMap<ResourceTable, GpuCatalogue>>();

/**
 * The catalogue of these nodes, built once per node list (every request between two node changes shares it), so
 * callers must treat it as read-only.
 */
export function buildCatalogue(
  nodes: readonly NodeView[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): GpuCatalogue {
  const perTable = built.get(nodes) ?? new WeakMap<ResourceTable, GpuCatalogue>();
  built.set(nodes, perTable);
  let catalogue = perTable.get(table);
  if (!catalogue) perTable.set(table, (catalogue = catalogueOf(nodes, table)));
  return catalogue;
}

function catalogueOf(nodes: readonly NodeView[], table: ResourceTable): GpuCatalogue {
  const byResource = new Map<string, CatalogueResource>();
  const byModel = new Map<string, Map<string, ModelCapacity>>();
  const migStrategies: Record<string, number> = {};

  for (const node of nodes) {
    const labels = node.metadata?.labels ?? {};
    const strategy = labels[MIG_STRATEGY_LABEL];
    if (strategy) migStrategies[strategy] = (migStrategies[strategy] ?? 0) + 1;
    const capacity = node.status?.capacity ?? {};
    const allocatable = node.status?.allocatable ?? capacity;
    const available = nodeAvailable(node);
    const shared = HAMI_AMOUNTS.some(
      (name) => capacity[name] !== undefined || allocatable[name] !== undefined,
    );

    for (const name of new Set([...Object.keys(capacity), ...Object.keys(allocatable)])) {
      const descriptor = describeResource(name, table);
      if (!descriptor) continue;
      const cap = parseQuantity(capacity[name]) ?? 0;
      const alloc = parseQuantity(allocatable[name]) ?? cap;
      let entry = byResource.get(name);
      if (!entry) {
        entry = {
          resource: name,
          vendor: descriptor.vendor,
          kind: descriptor.kind,
          unit: descriptor.unit,
          countable: descriptor.countable,
          ...(descriptor.modelLabel ? { modelLabel: descriptor.modelLabel } : {}),
          ...emptyFigures(),
          models: [],
          sharedNodes: 0,
        };
        byResource.set(name, entry);
      }
      const isShared = shared && name === NVIDIA_GPU;
      if (isShared) entry.sharedNodes += 1;
      const physical = descriptor.countable ? physicalGpus(node, alloc, isShared) : undefined;
      addTo(entry, cap, alloc, available, physical);

      const model = descriptor.modelLabel ? labels[descriptor.modelLabel] : undefined;
      if (!model) continue;
      let models = byModel.get(name);
      if (!models) byModel.set(name, (models = new Map()));
      let figures = models.get(model);
      if (!figures) models.set(model, (figures = { model, ...emptyFigures() }));
      addTo(figures, cap, alloc, available, physical);
    }
  }

  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const resources = [...byResource.values()].sort((a, b) => byName(a.resource, b.resource));
  for (const entry of resources) {
    entry.models = [...(byModel.get(entry.resource)?.values() ?? [])].sort((a, b) =>
      byName(a.model, b.model),
    );
  }
  const migProfiles = resources.map((r) => r.resource).filter(isMigProfile);
  return { resources, migStrategies, migProfiles };
}

/** Lookup helpers over a built catalogue. */
export function findResource(catalogue: GpuCatalogue, resource: string): CatalogueResource | undefined {
  return catalogue.resources.find((r) => r.resource === resource);
}

/** The figures for a resource, or for one model of it. */
export function capacityOf(
  catalogue: GpuCatalogue,
  resource: string,
  model?: string,
): CapacityFigures | undefined {
  const entry = findResource(catalogue, resource);
  if (!entry || model === undefined) return entry;
  return entry.models.find((m) => m.model === model);
}

/** Every model any GPU resource is labelled with, sorted: the Kueue flavors to create. */
export function catalogueModels(catalogue: GpuCatalogue, resource = NVIDIA_GPU): string[] {
  return findResource(catalogue, resource)?.models.map((m) => m.model) ?? [];
}
