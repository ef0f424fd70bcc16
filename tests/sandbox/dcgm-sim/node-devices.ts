// Which simulated GPUs a node has, derived only from the node object (capacity and GFD labels), so any
// fake node the sandbox creates works without naming it here.
import { createHash } from 'node:crypto';
import type { NodeLike } from './k8s-types.js';
import { modelSpecForProduct, type GpuModelSpec } from './gpu-models.js';

export interface SimGpu {
  index: number;
  uuid: string;
  pciBusId: string;
  device: string;
}

/** One unit of an extended resource a pod can be given: a whole GPU or one MIG GPU instance. */
export interface DeviceSlot {
  /** Unique within the node, stable across scrapes. */
  key: string;
  resource: string;
  gpu: SimGpu;
  mig?: { profile: string; instanceId: number; fbTotalMiB: number };
}

export interface NodeGpus {
  node: string;
  model: GpuModelSpec;
  fbTotalMiB: number;
  driverVersion: string;
  /**
   * Several pods share one device (HAMi vGPU slots, time-slicing replicas). dcgm-exporter cannot map
   * those pods to the physical GPU (reference §1.3), so their series carry no pod labels.
   */
  shared: boolean;
  /** Shared by HAMi (whose vGPU monitor then reports per-container figures), not by time-slicing. */
  hami?: true;
  gpus: SimGpu[];
  slots: DeviceSlot[];
}

export const DEFAULT_DRIVER_VERSION = '550.127.08';

// nvidia.com/* resources that are amounts on a device (HAMi), not devices.
const nonDeviceResources = new Set([
  'nvidia.com/gpumem',
  'nvidia.com/gpumem-percentage',
  'nvidia.com/gpucores',
  'nvidia.com/priority',
]);

// Bus ids of the eight SXM slots of a DGX/HGX A100 board, so the sample looks like a real one.
const hgxBusIds = ['07', '0F', '47', '4E', '87', '90', 'B7', 'BD'];

// A100/H100 place GPU instances at fixed ids per slice size (1g instances start at 7, 3g at 1, ...).
const firstInstanceIdBySlices: Record<number, number> = { 1: 7, 2: 3, 3: 1, 4: 1, 7: 0 };

/** Count-valued nvidia.com/* resources the node offers, by name; empty for non-GPU nodes. */
export function deviceResources(capacity: Record<string, string> | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, value] of Object.entries(capacity ?? {})) {
    if (!name.startsWith('nvidia.com/') || nonDeviceResources.has(name)) continue;
    const count = Number.parseInt(value, 10);
    if (count > 0) out.set(name, count);
  }
  return out;
}

export function isMigResource(resource: string): boolean {
  return resource.startsWith('nvidia.com/mig-');
}

/** The GPUs and device slots a node has, or undefined when it has no GPU resources. */
export function describeNodeGpus(node: NodeLike): NodeGpus | undefined {
  const name = node.metadata?.name ?? '';
  const labels = node.metadata?.labels ?? {};
  const capacity = node.status?.capacity ?? {};
  const resources = deviceResources(capacity);
  if (resources.size === 0) return undefined;

  const model = modelSpecForProduct(labels['nvidia.com/gpu.product']);
  const replicas = Number.parseInt(labels['nvidia.com/gpu.replicas'] ?? '1', 10) || 1;
  const hami = capacity['nvidia.com/gpucores'] !== undefined || capacity['nvidia.com/gpumem'] !== undefined;
  const shared = hami || replicas > 1;
  const physicalShared = sharedPhysicalCount(labels, capacity, resources, replicas);
  const fbTotalMiB =
    positiveInt(labels['nvidia.com/gpu.memory']) ??
    (hami && physicalShared ? positiveInt(capacity['nvidia.com/gpumem'], physicalShared) : undefined) ??
    model.fbTotalMiB;

  const gpus: SimGpu[] = [];
  const slots: DeviceSlot[] = [];
  const newGpu = (): SimGpu => {
    const gpu = makeGpu(name, gpus.length);
    gpus.push(gpu);
    return gpu;
  };
  const sorted = [...resources.entries()].sort(([a], [b]) => a.localeCompare(b));
  for (const [resource, count] of sorted.filter(([r]) => !isMigResource(r))) {
    const physical = shared ? (physicalShared ?? count) : count;
    for (let i = 0; i < physical; i++) {
      const gpu = newGpu();
      slots.push({ key: `${resource}/${gpu.index}`, resource, gpu });
    }
  }
  for (const [resource, count] of sorted.filter(([r]) => isMigResource(r))) {
    slots.push(...migSlots(resource, count, fbTotalMiB, newGpu));
  }
  const base = { node: name, model, fbTotalMiB, driverVersion: driverVersion(labels), shared };
  return { ...base, ...(hami ? { hami: true as const } : {}), gpus, slots };
}

function sharedPhysicalCount(
  labels: Record<string, string>,
  capacity: Record<string, string>,
  resources: Map<string, number>,
  replicas: number,
): number | undefined {
  const fromLabel = positiveInt(labels['nvidia.com/gpu.count']);
  if (fromLabel) return fromLabel;
  const cores = positiveInt(capacity['nvidia.com/gpucores']);
  if (cores) return Math.max(1, Math.floor(cores / 100)); // HAMi: 100 core-percent per physical GPU
  const slotsCount = resources.get('nvidia.com/gpu');
  return slotsCount ? Math.max(1, Math.floor(slotsCount / replicas)) : undefined;
}

/**
 * Packs a MIG profile's instances onto parent GPUs, one profile per GPU (as mig-manager's all-<profile>
 * configs do): as many instances as both the 7 compute slices and the board memory allow.
 */
function migSlots(resource: string, count: number, boardMiB: number, newGpu: () => SimGpu): DeviceSlot[] {
  const profile = resource.slice('nvidia.com/mig-'.length);
  const match = /^(\d+)g\.(\d+)gb/.exec(profile);
  const slices = match ? Number(match[1]) : 1;
  const memGb = match ? Number(match[2]) : 10;
  const perGpu = Math.max(1, Math.min(Math.floor(7 / slices), Math.floor(boardMiB / 1024 / memGb)));
  const firstId = firstInstanceIdBySlices[slices] ?? 1;
  const slots: DeviceSlot[] = [];
  let parent: SimGpu | undefined;
  for (let i = 0; i < count; i++) {
    if (i % perGpu === 0) parent = newGpu();
    const instanceId = firstId + (i % perGpu);
    slots.push({
      key: `${resource}/${parent!.index}/${instanceId}`,
      resource,
      gpu: parent!,
      mig: { profile, instanceId, fbTotalMiB: Math.round(memGb * 1024 * 0.95) },
    });
  }
  return slots;
}

function makeGpu(node: string, index: number): SimGpu {
  const hex = createHash('sha1').update(`${node}/gpu/${index}`).digest('hex');
  const uuid = `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
  const bus = hgxBusIds[index] ?? (0x10 + index * 8).toString(16).toUpperCase().padStart(2, '0');
  return { index, uuid, pciBusId: `00000000:${bus}:00.0`, device: `nvidia${index}` };
}

function driverVersion(labels: Record<string, string>): string {
  const full = labels['nvidia.com/cuda.driver-version.full'];
  if (full) return full;
  const [major, minor, rev] = ['major', 'minor', 'rev'].map((p) => labels[`nvidia.com/cuda.driver.${p}`]);
  return major && minor ? [major, minor, rev].filter(Boolean).join('.') : DEFAULT_DRIVER_VERSION;
}

function positiveInt(text: string | undefined, divisor = 1): number | undefined {
  const n = Number.parseInt(text ?? '', 10);
  return n > 0 ? Math.floor(n / divisor) : undefined;
}
