// The dcgm-exporter exposition: the 25 default families (reference §1.1), labels in the order
// render_metrics.go writes them (§1.2), integers printed plainly and doubles with %f (§1.4).
import { createHash } from 'node:crypto';
import { reservedFbMiB } from './gpu-models.js';
import type { SimGpu } from './node-devices.js';
import type { GpuReading } from './profiles.js';
import { familyHeader, formatSeries, type Labels } from './prom-text.js';

export const LABEL_VARIANTS = ['default', 'lowercase-hostname', 'exported'] as const;
export type LabelVariant = (typeof LABEL_VARIANTS)[number];

export function isLabelVariant(text: string): text is LabelVariant {
  return (LABEL_VARIANTS as readonly string[]).includes(text);
}

/** Everything one device's series are rendered from: a whole GPU or one MIG GPU instance. */
export interface DeviceSeries {
  hostname: string;
  gpu: SimGpu;
  modelName: string;
  driverVersion: string;
  mig?: { profile: string; instanceId: number };
  fbTotalMiB: number;
  /** The workload the device is attributed to; absent when free or not attributable. */
  workload?: { namespace: string; pod: string; container: string };
  reading: GpuReading;
  /** Counters accumulated since the simulator started (a stand-in for "since boot"). */
  energyMj: number;
  nvlinkBandwidthTotal: number;
}

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  /** DCGM doubles are printed with %f; everything else is an integer. */
  double?: boolean;
  /** GPU_UTIL is not reported for MIG GPU instances (dcgm-exporter #105, #216, #430). */
  notOnMig?: boolean;
  value: (d: DeviceSeries) => number;
}

const fb = (d: DeviceSeries): { used: number; free: number; reserved: number } => {
  const reserved = reservedFbMiB(d.fbTotalMiB);
  const used = Math.min(d.reading.fbUsedMiB, d.fbTotalMiB - reserved);
  return { used, reserved, free: d.fbTotalMiB - reserved - used };
};

// HELP texts as in dcgm-exporter's counters CSV (4.x), in the CSV's order.
export const DCGM_FAMILIES: readonly Family[] = [
  g('DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', (d) => d.reading.smClockMHz),
  g('DCGM_FI_DEV_MEM_CLOCK', 'Memory clock frequency (in MHz).', (d) => d.reading.memClockMHz),
  g('DCGM_FI_DEV_MEMORY_TEMP', 'Memory temperature (in C).', (d) => d.reading.memoryTempC),
  g('DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', (d) => d.reading.gpuTempC),
  { ...g('DCGM_FI_DEV_POWER_USAGE', 'Power draw (in W).', (d) => d.reading.powerW), double: true },
  c(
    'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    'Total energy consumption since boot (in mJ).',
    (d) => d.energyMj,
  ),
  c('DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'Total number of PCIe retries.', () => 0),
  { ...g('DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', (d) => d.reading.gpuUtil), notOnMig: true },
  g('DCGM_FI_DEV_MEM_COPY_UTIL', 'Memory utilization (in %).', (d) => d.reading.memCopyUtil),
  g('DCGM_FI_DEV_ENC_UTIL', 'Encoder utilization (in %).', (d) => d.reading.encUtil),
  g('DCGM_FI_DEV_DEC_UTIL', 'Decoder utilization (in %).', (d) => d.reading.decUtil),
  g('DCGM_FI_DEV_XID_ERRORS', 'Value of the last XID error encountered.', (d) => d.reading.xid),
  g('DCGM_FI_DEV_FB_FREE', 'Framebuffer memory free (in MiB).', (d) => fb(d).free),
  g('DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', (d) => fb(d).used),
  g('DCGM_FI_DEV_FB_RESERVED', 'Framebuffer memory reserved (in MiB).', (d) => fb(d).reserved),
  c(
    'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
    'Total number of NVLink bandwidth counters for all lanes.',
    (d) => d.nvlinkBandwidthTotal,
  ),
  g('DCGM_FI_DEV_VGPU_LICENSE_STATUS', 'vGPU License status', () => 0),
  c('DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'Number of remapped rows for uncorrectable errors', () => 0),
  c('DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 'Number of remapped rows for correctable errors', () => 0),
  g('DCGM_FI_DEV_ROW_REMAP_FAILURE', 'Whether remapping of rows has failed', () => 0),
  ratio(
    'DCGM_FI_PROF_GR_ENGINE_ACTIVE',
    'Ratio of time the graphics engine is active.',
    (d) => d.reading.grEngineActive,
  ),
  ratio(
    'DCGM_FI_PROF_PIPE_TENSOR_ACTIVE',
    'Ratio of cycles the tensor (HMMA) pipe is active.',
    (d) => d.reading.tensorActive,
  ),
  ratio(
    'DCGM_FI_PROF_DRAM_ACTIVE',
    'Ratio of cycles the device memory interface is active sending or receiving data.',
    (d) => d.reading.dramActive,
  ),
  g(
    'DCGM_FI_PROF_PCIE_TX_BYTES',
    'The rate of data transmitted over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
    (d) => d.reading.pcieTxBytesPerSec,
  ),
  g(
    'DCGM_FI_PROF_PCIE_RX_BYTES',
    'The rate of data received over the PCIe bus - including both protocol headers and data payloads - in bytes per second.',
    (d) => d.reading.pcieRxBytesPerSec,
  ),
];

function g(name: string, help: string, value: Family['value']): Family {
  return { name, type: 'gauge', help, value };
}
function c(name: string, help: string, value: Family['value']): Family {
  return { name, type: 'counter', help, value };
}
function ratio(name: string, help: string, value: Family['value']): Family {
  return { name, type: 'gauge', help, value, double: true };
}

// A few XID descriptions in the wording dcgm-exporter's err_msg label uses (NVIDIA's XID catalogue).
const xidMessages: Record<number, string> = {
  0: 'No Error',
  13: 'Graphics Engine Exception',
  31: 'GPU memory page fault',
  43: 'GPU stopped processing',
  45: 'Preemptive cleanup, due to previous errors -- Most likely to see when running multiple cuda',
  48: 'Double Bit ECC Error',
  62: 'Internal micro-controller halt',
  63: 'ECC page retirement or row remapping recording event',
  64: 'ECC page retirement or row remapper recording failure',
  74: 'NVLINK Error',
  79: 'GPU has fallen off the bus',
  92: 'High single-bit ECC error rate',
  94: 'Contained ECC error',
  95: 'Uncontained ECC error',
  109: 'Context Switch Timeout Error',
  119: 'GSP RPC Timeout',
  120: 'GSP Error',
};

export function xidMessage(code: number): string {
  return xidMessages[code] ?? 'Unknown Error';
}

export const EXPORTER_POD = {
  container: 'nvidia-dcgm-exporter',
  namespace: 'gpu-operator',
  endpoint: 'gpu-metrics',
};

/** The DaemonSet pod name dcgm-exporter would have on a node: a stable 5-character suffix per node. */
export function exporterPodName(node: string): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  const digest = createHash('sha1').update(node).digest();
  const suffix = [...digest.subarray(0, 5)].map((b) => alphabet[b % alphabet.length]).join('');
  return `nvidia-dcgm-exporter-${suffix}`;
}

/** The labels of one device's series in a family, per variant. */
export function seriesLabels(d: DeviceSeries, family: string, variant: LabelVariant): Labels {
  const labels: Labels = [
    ['gpu', String(d.gpu.index)],
    ['UUID', d.gpu.uuid],
    ['pci_bus_id', d.gpu.pciBusId],
    ['device', d.gpu.device],
    ['modelName', d.modelName],
  ];
  if (d.mig) labels.push(['GPU_I_PROFILE', d.mig.profile], ['GPU_I_ID', String(d.mig.instanceId)]);
  labels.push([variant === 'lowercase-hostname' ? 'hostname' : 'Hostname', d.hostname]);
  labels.push(['DCGM_FI_DRIVER_VERSION', d.driverVersion]);

  // The exporter's attributes are written in sorted key order (a Go template ranging over a map).
  const attributes: Labels = [];
  if (family === 'DCGM_FI_DEV_XID_ERRORS') {
    attributes.push(['err_code', String(d.reading.xid)], ['err_msg', xidMessage(d.reading.xid)]);
  }
  if (d.workload) {
    // With honor_labels false Prometheus keeps the exporter's pod labels as exported_*.
    const prefix = variant === 'exported' ? 'exported_' : '';
    attributes.push(
      [`${prefix}container`, d.workload.container],
      [`${prefix}namespace`, d.workload.namespace],
      [`${prefix}pod`, d.workload.pod],
    );
  }
  attributes.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  labels.push(...attributes);

  if (variant === 'exported') {
    // ...and the plain ones name the exporter's own pod, as a Prometheus-Operator scrape stores them.
    labels.push(
      ['container', EXPORTER_POD.container],
      ['endpoint', EXPORTER_POD.endpoint],
      ['namespace', EXPORTER_POD.namespace],
      ['pod', exporterPodName(d.hostname)],
      ['service', EXPORTER_POD.container],
    );
  }
  return labels;
}

function formatValue(value: number, double: boolean | undefined): string {
  return double ? value.toFixed(6) : String(Math.round(value));
}

/** The whole /metrics body: each family's HELP and TYPE once, then one series per device. */
export function renderDcgm(devices: readonly DeviceSeries[], variant: LabelVariant): string {
  const out: string[] = [];
  for (const family of DCGM_FAMILIES) {
    const members = devices.filter((d) => !(family.notOnMig && d.mig));
    if (members.length === 0) continue;
    out.push(familyHeader(family.name, family.help, family.type));
    for (const d of members) {
      out.push(
        formatSeries(
          family.name,
          seriesLabels(d, family.name, variant),
          formatValue(family.value(d), family.double),
        ),
      );
    }
  }
  return out.length ? out.join('\n') + '\n' : '';
}
