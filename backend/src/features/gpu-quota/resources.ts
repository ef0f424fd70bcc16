// Which extended resources are GPUs (or other accelerators), and what one unit of each means.
//
// Recognition is by this documented table only: a node resource is a GPU resource when its name is listed
// here or matches one of the listed patterns, never because it merely contains "gpu". Names come from the
// vendors' device plugins (see docs/adr/0004-gpu-quota-base-and-max.md and
// shared/reference/gpu-monitoring-and-quota.md §2.4, §3.5). Clusters with other device plugins add
// descriptors through `extra` (per-cluster configuration).

/** What a unit of the resource is: a whole device, a MIG slice, or an amount of a shared device. */
export type GpuResourceKind = 'gpu' | 'shared-gpu' | 'mig' | 'accelerator' | 'vgpu-memory' | 'vgpu-cores';
export type GpuUnit = 'device' | 'MiB' | 'percent';

export interface GpuResourceDescriptor {
  /** Exact resource name, or a pattern for families (MIG profiles, Ascend models). */
  match: string | RegExp;
  vendor: string;
  kind: GpuResourceKind;
  unit: GpuUnit;
  /**
   * Countable resources are devices (GPUs, MIG slices, NPUs): what "how many GPUs" adds up. Amounts
   * (HAMi gpumem in MiB, gpucores in percent) are per-card values on a shared device and never add to
   * device counts.
   */
  countable: boolean;
  /** Node label naming the device model, when quotas may be split per model (Kueue flavors key on it). */
  modelLabel?: string;
  /**
   * The ResourceQuota key prefix that enforces a project total. kube-apiserver tracks extended resources
   * only as `requests.<name>`; HAMi's amounts are per card, so their project total is enforced by the HAMi
   * scheduler from `limits.<name>` keys (which it multiplies by the GPU count) and a `requests.` key would
   * count the wrong thing (HAMi#893).
   */
  quotaPrefix: 'requests.' | 'limits.';
}

export const NVIDIA_PRODUCT_LABEL = 'nvidia.com/gpu.product';
export const NVIDIA_GPU_COUNT_LABEL = 'nvidia.com/gpu.count';
export const MIG_STRATEGY_LABEL = 'nvidia.com/mig.strategy';
export const NVIDIA_GPU = 'nvidia.com/gpu';

/** MIG profiles under the mixed strategy, e.g. nvidia.com/mig-1g.10gb, mig-1g.10gb+me, mig-1c.3g.40gb. */
export const MIG_PROFILE_PATTERN = /^nvidia\.com\/mig-(?:\d+c\.)?\d+g\.\d+gb(?:\+me)?$/;

const device = { unit: 'device', countable: true, quotaPrefix: 'requests.' } as const;

/** The built-in table. Order matters only for readability; names never match two entries. */
export const KNOWN_GPU_RESOURCES: readonly GpuResourceDescriptor[] = [
  // NVIDIA device plugin: whole GPUs (or MIG slices under the single strategy), labelled per model by GFD.
  { match: NVIDIA_GPU, vendor: 'nvidia', kind: 'gpu', modelLabel: NVIDIA_PRODUCT_LABEL, ...device },
  // Time-slicing with renameByDefault: shared replicas of a GPU.
  {
    match: 'nvidia.com/gpu.shared',
    vendor: 'nvidia',
    kind: 'shared-gpu',
    modelLabel: NVIDIA_PRODUCT_LABEL,
    ...device,
  },
  // MIG mixed strategy: each profile is its own resource.
  { match: MIG_PROFILE_PATTERN, vendor: 'nvidia', kind: 'mig', ...device },
  // HAMi vGPU amounts, per card: device memory in MiB and SM share in percent.
  {
    match: 'nvidia.com/gpumem',
    vendor: 'nvidia',
    kind: 'vgpu-memory',
    unit: 'MiB',
    countable: false,
    quotaPrefix: 'limits.',
  },
  {
    match: 'nvidia.com/gpucores',
    vendor: 'nvidia',
    kind: 'vgpu-cores',
    unit: 'percent',
    countable: false,
    quotaPrefix: 'limits.',
  },
  {
    match: 'amd.com/gpumem',
    vendor: 'amd',
    kind: 'vgpu-memory',
    unit: 'MiB',
    countable: false,
    quotaPrefix: 'limits.',
  },
  {
    match: 'amd.com/gpucores',
    vendor: 'amd',
    kind: 'vgpu-cores',
    unit: 'percent',
    countable: false,
    quotaPrefix: 'limits.',
  },
  // Other vendors' device plugins: whole devices.
  { match: 'amd.com/gpu', vendor: 'amd', kind: 'gpu', ...device },
  // Intel's GPU plugin advertises gpu.intel.com/<driver>; its millicores/memory.max sharing resources are not devices.
  { match: 'gpu.intel.com/i915', vendor: 'intel', kind: 'gpu', ...device },
  { match: 'gpu.intel.com/xe', vendor: 'intel', kind: 'gpu', ...device },
  { match: 'habana.ai/gaudi', vendor: 'intel-habana', kind: 'accelerator', ...device },
  // Ascend NPUs: huawei.com/Ascend910, Ascend910B, Ascend310P; not the HAMi vNPU amounts (Ascend910B-memory).
  { match: /^huawei\.com\/Ascend\d+[A-Z0-9]*$/, vendor: 'huawei', kind: 'accelerator', ...device },
  { match: 'cambricon.com/mlu', vendor: 'cambricon', kind: 'accelerator', ...device },
  { match: 'hygon.com/dcunum', vendor: 'hygon', kind: 'accelerator', ...device },
  { match: 'metax-tech.com/gpu', vendor: 'metax', kind: 'gpu', ...device },
];

export type ResourceTable = readonly GpuResourceDescriptor[];

/** The table for one cluster: the built-in entries plus configured extras (extras cannot shadow built-ins). */
export function resourceTable(extra: readonly GpuResourceDescriptor[] = []): ResourceTable {
  return [...KNOWN_GPU_RESOURCES, ...extra];
}

/** The descriptor of a resource name, or undefined when it is not a GPU resource. */
export function describeResource(
  name: string,
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): GpuResourceDescriptor | undefined {
  return table.find((d) => (typeof d.match === 'string' ? d.match === name : d.match.test(name)));
}

export const isMigProfile = (name: string): boolean => MIG_PROFILE_PATTERN.test(name);

/** The ResourceQuota key that enforces a project's total of this resource (`requests.nvidia.com/gpu`, …). */
export function quotaKeyFor(resource: string, table: ResourceTable = KNOWN_GPU_RESOURCES): string {
  return (describeResource(resource, table)?.quotaPrefix ?? 'requests.') + resource;
}

/**
 * One row of a quota: a resource, optionally one device model of it. The key is how rows are indexed:
 * `nvidia.com/gpu` for any model, `nvidia.com/gpu@NVIDIA-A100-SXM4-80GB` for one model ("@" occurs in no
 * resource name and no label value, so the key is unambiguous).
 */
export function rowKey(resource: string, model?: string): string {
  return model ? `${resource}@${model}` : resource;
}

export function splitRowKey(key: string): { resource: string; model?: string } {
  const at = key.indexOf('@');
  return at < 0 ? { resource: key } : { resource: key.slice(0, at), model: key.slice(at + 1) };
}
