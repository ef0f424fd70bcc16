// HAMi's vGPU monitor for the simulator's HAMi nodes: the per-container figures HAMi (v2.9+ names, reference
// §2.4) exports for pods sharing a GPU, which dcgm-exporter cannot attribute. Values: utilization a 0–1 ratio,
// memory in bytes; labels namespace, pod, container, vdevice_index, device_uuid.
import { familyHeader, formatGoFloat, formatSeries, type Labels } from './prom-text.js';

export interface HamiContainerReading {
  namespace: string;
  pod: string;
  container: string;
  /** The device's index among the container's vGPUs. */
  vdeviceIndex: number;
  deviceUuid: string;
  utilization: number;
  memoryBytes: number;
}

const FAMILIES = [
  ['hami_container_device_utilization_ratio', 'Container device utilization ratio', 'utilization'],
  ['hami_container_device_memory_bytes', 'Container device memory used in bytes', 'memoryBytes'],
] as const;

/** The /hami/metrics body. */
export function renderHami(readings: readonly HamiContainerReading[]): string {
  const blocks = FAMILIES.map(([name, help, field]) => {
    const lines = readings.map((r) => {
      const labels: Labels = [
        ['namespace', r.namespace],
        ['pod', r.pod],
        ['container', r.container],
        ['vdevice_index', String(r.vdeviceIndex)],
        ['device_uuid', r.deviceUuid],
      ];
      return formatSeries(name, labels, formatGoFloat(r[field]));
    });
    return [familyHeader(name, help, 'gauge'), ...lines].join('\n');
  });
  return `${blocks.join('\n')}\n`;
}
