// Per-model constants the simulated readings are scaled by. Values are the boards' published
// limits (power limit, max clocks, memory size); what matters to tests is that they are fixed.

export interface GpuModelSpec {
  /** NVML device name, which dcgm-exporter prints as modelName. */
  modelName: string;
  fbTotalMiB: number;
  powerLimitW: number;
  idlePowerW: number;
  maxSmClockMHz: number;
  idleSmClockMHz: number;
  memClockMHz: number;
}

// Keys are gpu-feature-discovery's nvidia.com/gpu.product label values (NVML name, spaces -> dashes).
const knownModels: Record<string, GpuModelSpec> = {
  'NVIDIA-A100-SXM4-80GB': spec('NVIDIA A100-SXM4-80GB', 81920, 400, 62, 1410, 210, 1593),
  'NVIDIA-A100-SXM4-40GB': spec('NVIDIA A100-SXM4-40GB', 40960, 400, 55, 1410, 210, 1215),
  'NVIDIA-A100-PCIE-40GB': spec('NVIDIA A100-PCIE-40GB', 40960, 250, 35, 1410, 210, 1215),
  'NVIDIA-A100-80GB-PCIe': spec('NVIDIA A100 80GB PCIe', 81920, 300, 45, 1410, 210, 1512),
  'NVIDIA-H100-80GB-HBM3': spec('NVIDIA H100 80GB HBM3', 81559, 700, 72, 1980, 345, 2619),
  'NVIDIA-H100-PCIe': spec('NVIDIA H100 PCIe', 81559, 350, 48, 1755, 345, 1593),
  'NVIDIA-H200': spec('NVIDIA H200', 143771, 700, 78, 1980, 345, 3201),
  'NVIDIA-L40S': spec('NVIDIA L40S', 46068, 350, 35, 2520, 210, 9001),
  'Tesla-T4': spec('Tesla T4', 15360, 70, 10, 1590, 300, 5000),
};

const fallbackModel = knownModels['NVIDIA-A100-SXM4-80GB']!;

function spec(
  modelName: string,
  fbTotalMiB: number,
  powerLimitW: number,
  idlePowerW: number,
  maxSmClockMHz: number,
  idleSmClockMHz: number,
  memClockMHz: number,
): GpuModelSpec {
  return { modelName, fbTotalMiB, powerLimitW, idlePowerW, maxSmClockMHz, idleSmClockMHz, memClockMHz };
}

/**
 * The spec for a node's product label. GFD appends "-MIG-<profile>" (strategy single) or "-SHARED"
 * (time-slicing) to the product; both are stripped. Unknown products keep their own name (dashes back
 * to spaces) with A100-like numbers.
 */
export function modelSpecForProduct(product: string | undefined): GpuModelSpec {
  if (!product) return fallbackModel;
  const base = product.replace(/-MIG-.*$/, '').replace(/-SHARED$/, '');
  return knownModels[base] ?? { ...fallbackModel, modelName: base.replace(/-/g, ' ') };
}

/**
 * Memory dcgm-exporter reports as FB_RESERVED (driver and ECC reservations); real boards show a few
 * hundred MiB, so FREE + USED + RESERVED = the board total.
 */
export function reservedFbMiB(fbTotalMiB: number): number {
  return Math.round(fbTotalMiB * 0.0066);
}
