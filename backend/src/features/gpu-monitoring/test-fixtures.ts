// Shared fixtures for this feature's unit tests: Prometheus samples and the two label schemes.
import { DEFAULT_SCHEME, type LabelScheme } from './labels.js';
import type { GpuTableColumn } from './queries.js';
import type { Sample } from './samples.js';

export const PLAIN: LabelScheme = { ...DEFAULT_SCHEME, dcgmSeen: true };
/** Operator scrape with honorLabels: false, and dcgm-exporter after PR #655. */
export const EXPORTED: LabelScheme = { ...PLAIN, hostLabel: 'hostname', workload: 'exported' };

/** An instant sample. */
export const s = (metric: Record<string, string>, value: number | string): Sample => ({
  metric,
  value: [1_700_000_000, String(value)],
});

/** Device labels of one GPU under the default scheme. */
export const gpu = (node: string, index: string, extra: Record<string, string> = {}) => ({
  Hostname: node,
  gpu: index,
  UUID: `GPU-${node}-${index}`,
  modelName: 'NVIDIA A100-SXM4-80GB',
  ...extra,
});

/**
 * Every GPU-table column (gpuTableQueries' names) for a small fleet under PLAIN: four GPUs on gpu-node-2, and on
 * gpu-node-10 one GPU plus two MIG instances sharing one parent UUID, and a GPU that fell off the bus (an XID and
 * its last temperature, no other field). Figures differ per device so any sort tells them apart; two are held, two
 * reported an XID, one runs hot, one MIG instance has no temperature.
 */
export function cardFleet(): Record<Exclude<GpuTableColumn, 'devices'>, Sample[]> {
  const mig = (instance: string) =>
    gpu('gpu-node-10', '1', { UUID: 'GPU-mig-parent', GPU_I_PROFILE: '1g.10gb', GPU_I_ID: instance });
  const devices = [
    gpu('gpu-node-2', '0'),
    gpu('gpu-node-2', '1'),
    gpu('gpu-node-2', '2'),
    gpu('gpu-node-2', '3'),
    gpu('gpu-node-10', '0'),
    mig('7'),
    mig('8'),
  ];
  const lost = gpu('gpu-node-10', '2');
  const column = (value: (i: number) => number | undefined) =>
    devices.flatMap((d, i) => (value(i) === undefined ? [] : [s(d, value(i)!)]));
  return {
    utilization: column((i) => [0.1, 0.9, 0.4, 0, 0.7, 0.3, 0.2][i]),
    tensorActive: column((i) => i / 10),
    memoryUsedBytes: column((i) => (i + 1) * 1_048_576),
    memoryTotalBytes: column(() => 80 * 1_048_576),
    powerWatts: column((i) => 100 + i * 25),
    temperatureC: [...column((i) => (i === 6 ? undefined : [40, 88, 50, 45, 60, 55][i])), s(lost, 91)],
    xid: [
      s({ ...devices[4]!, err_code: '48', err_msg: 'Double Bit ECC Error' }, 48),
      s({ ...lost, err_code: '79', err_msg: 'GPU has fallen off the bus' }, 79),
    ],
    holders: [
      s({ ...devices[1]!, namespace: 'team-a', pod: 'train-0', container: 'main' }, 1),
      s({ ...devices[5]!, namespace: 'team-b', pod: 'notebook', container: 'jupyter' }, 1),
    ],
  };
}
