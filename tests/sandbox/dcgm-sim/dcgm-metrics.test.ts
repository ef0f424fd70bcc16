import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DCGM_FAMILIES, exporterPodName } from './dcgm-metrics.js';
import { fakeCluster, gpuNode, gpuPod, hamiNode, migNode } from './fixtures.js';
import { ANNOTATIONS } from './profiles.js';
import { labelOf, parseExposition, type ParsedSample } from './prom-text.js';
import { DcgmSimulator } from './simulator.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

function setup(now = T0 + 30_000) {
  const cluster = fakeCluster(
    [gpuNode('gpu-a100-0')],
    [gpuPod('llm-pretrain-worker-3', { namespace: 'team-a', container: 'trainer', gpus: 2 })],
  );
  let clock = now;
  const sim = new DcgmSimulator(cluster, { now: () => clock });
  return { cluster, sim, tick: (ms: number) => (clock += ms) };
}

const names = (s: ParsedSample): string[] => s.labels.map(([k]) => k);
const byGpu = (samples: ParsedSample[], gpu: number): ParsedSample =>
  samples.find((s) => labelOf(s, 'gpu') === String(gpu))!;

test('25 default families with HELP and TYPE, one series per GPU each', () => {
  const families = parseExposition(setup().sim.renderMetrics());
  assert.equal(DCGM_FAMILIES.length, 25);
  assert.equal(families.size, 25);
  const types = Object.fromEntries([...families.values()].map((f) => [f.name, f.type]));
  assert.equal(types.DCGM_FI_DEV_GPU_UTIL, 'gauge');
  assert.equal(types.DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION, 'counter');
  assert.equal(types.DCGM_FI_PROF_PCIE_TX_BYTES, 'gauge', '4.x: bytes per second gauge');
  assert.equal(families.get('DCGM_FI_DEV_GPU_TEMP')!.help, 'GPU temperature (in C).');
  for (const f of families.values()) assert.equal(f.samples.length, 8, f.name);
});

test('default variant: dcgm-exporter label order, pod labels only on held GPUs', () => {
  const util = parseExposition(setup().sim.renderMetrics()).get('DCGM_FI_DEV_GPU_UTIL')!.samples;
  const held = byGpu(util, 0);
  assert.deepEqual(names(held), [
    'gpu',
    'UUID',
    'pci_bus_id',
    'device',
    'modelName',
    'Hostname',
    'DCGM_FI_DRIVER_VERSION',
    'container',
    'namespace',
    'pod',
  ]);
  assert.equal(labelOf(held, 'Hostname'), 'gpu-a100-0');
  assert.equal(labelOf(held, 'device'), 'nvidia0');
  assert.equal(labelOf(held, 'modelName'), 'NVIDIA A100-SXM4-80GB');
  assert.equal(labelOf(held, 'pod'), 'llm-pretrain-worker-3');
  assert.equal(labelOf(held, 'namespace'), 'team-a');
  assert.equal(labelOf(held, 'container'), 'trainer');
  assert.ok(held.value >= 90);
  assert.equal(labelOf(byGpu(util, 1), 'pod'), 'llm-pretrain-worker-3');
  const free = byGpu(util, 2);
  assert.equal(labelOf(free, 'pod'), undefined, 'a free GPU has no pod labels');
  assert.equal(free.value, 0);
});

test('lowercase-hostname variant writes hostname= instead of Hostname=', () => {
  const text = setup().sim.renderMetrics('lowercase-hostname');
  const s = parseExposition(text).get('DCGM_FI_DEV_GPU_TEMP')!.samples[0]!;
  assert.equal(labelOf(s, 'hostname'), 'gpu-a100-0');
  assert.equal(labelOf(s, 'Hostname'), undefined);
});

test('exported variant: workload in exported_*, plain pod/namespace/container name the exporter', () => {
  const { sim } = setup();
  sim.variant = 'exported';
  const samples = parseExposition(sim.renderMetrics()).get('DCGM_FI_PROF_GR_ENGINE_ACTIVE')!.samples;
  const held = byGpu(samples, 0);
  assert.equal(labelOf(held, 'exported_pod'), 'llm-pretrain-worker-3');
  assert.equal(labelOf(held, 'exported_namespace'), 'team-a');
  assert.equal(labelOf(held, 'exported_container'), 'trainer');
  assert.equal(labelOf(held, 'namespace'), 'gpu-operator');
  assert.equal(labelOf(held, 'container'), 'nvidia-dcgm-exporter');
  assert.equal(labelOf(held, 'pod'), exporterPodName('gpu-a100-0'));
  assert.match(labelOf(held, 'pod')!, /^nvidia-dcgm-exporter-[a-z0-9]{5}$/);
  const free = byGpu(samples, 5);
  assert.equal(labelOf(free, 'exported_pod'), undefined);
  assert.equal(labelOf(free, 'pod'), exporterPodName('gpu-a100-0'));
});

test('values: ratios and power print with %f, integers plainly; FB free+used+reserved = total', () => {
  const text = setup().sim.renderMetrics();
  assert.match(text, /\nDCGM_FI_PROF_GR_ENGINE_ACTIVE\{gpu="0",[^}]*\} (0\.9\d{5}|1\.000000)\n/);
  assert.match(text, /\nDCGM_FI_DEV_POWER_USAGE\{gpu="0",[^}]*\} \d+\.\d{6}\n/);
  assert.match(text, /\nDCGM_FI_DEV_GPU_UTIL\{gpu="0",[^}]*\} \d+\n/);
  const f = parseExposition(text);
  for (const gpu of [0, 4]) {
    const v = (name: string): number => byGpu(f.get(name)!.samples, gpu).value;
    assert.equal(v('DCGM_FI_DEV_FB_FREE') + v('DCGM_FI_DEV_FB_USED') + v('DCGM_FI_DEV_FB_RESERVED'), 81920);
  }
});

test('XID: err_code/err_msg labels, and the last code stays after the pod is gone', () => {
  const { cluster, sim, tick } = setup(T0);
  cluster.podList.splice(
    0,
    1,
    gpuPod('crashy', { annotations: { [ANNOTATIONS.profile]: 'xid', [ANNOTATIONS.xidAt]: '90s' } }),
  );
  const xid = (): ParsedSample =>
    byGpu(parseExposition(sim.renderMetrics()).get('DCGM_FI_DEV_XID_ERRORS')!.samples, 0);
  tick(60_000);
  assert.equal(xid().value, 0);
  assert.equal(labelOf(xid(), 'err_code'), '0');
  assert.equal(labelOf(xid(), 'err_msg'), 'No Error');
  assert.deepEqual(names(xid()).slice(7), ['container', 'err_code', 'err_msg', 'namespace', 'pod']);
  tick(31_000);
  assert.equal(xid().value, 79);
  assert.equal(labelOf(xid(), 'err_msg'), 'GPU has fallen off the bus');
  cluster.podList.splice(0, 1);
  assert.equal(xid().value, 79, 'does not reset (dcgm-exporter #500)');
  assert.equal(labelOf(xid(), 'pod'), undefined);
});

test('energy is a counter that only grows', () => {
  const { sim, tick } = setup();
  const energy = (): number =>
    byGpu(parseExposition(sim.renderMetrics()).get('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')!.samples, 0).value;
  const first = energy();
  tick(15_000);
  const second = energy();
  assert.ok(second > first);
  // 15 s at 300-400 W is 4.5-6 kJ.
  assert.ok(second - first > 4.5e6 && second - first < 6.1e6, `${second - first} mJ`);
});

test('MIG instances carry GPU_I_PROFILE/GPU_I_ID and have no GPU_UTIL', () => {
  const cluster = fakeCluster(
    [migNode('gpu-mig-0')],
    [gpuPod('nb', { node: 'gpu-mig-0', resource: 'nvidia.com/mig-1g.10gb' })],
  );
  const f = parseExposition(new DcgmSimulator(cluster, { now: () => T0 + 10_000 }).renderMetrics());
  assert.equal(f.get('DCGM_FI_DEV_GPU_UTIL'), undefined);
  const gr = f.get('DCGM_FI_PROF_GR_ENGINE_ACTIVE')!.samples;
  assert.equal(gr.length, 18);
  const held = gr.find((s) => labelOf(s, 'pod') === 'nb')!;
  assert.deepEqual(names(held).slice(4, 8), ['modelName', 'GPU_I_PROFILE', 'GPU_I_ID', 'Hostname']);
  assert.equal(labelOf(held, 'GPU_I_PROFILE'), '1g.10gb');
  assert.equal(labelOf(held, 'GPU_I_ID'), '7');
  assert.ok(held.value >= 0.9 && held.value <= 1);
});

test('shared (HAMi) GPUs show the load but no pod labels, as dcgm-exporter cannot attribute them', () => {
  const cluster = fakeCluster([hamiNode('gpu-hami-0')], [gpuPod('v', { node: 'gpu-hami-0' })]);
  const util = parseExposition(new DcgmSimulator(cluster, { now: () => T0 + 10_000 }).renderMetrics()).get(
    'DCGM_FI_DEV_GPU_UTIL',
  )!.samples;
  assert.equal(util.length, 8);
  assert.ok(byGpu(util, 0).value >= 90);
  assert.ok(util.every((s) => labelOf(s, 'pod') === undefined));
});
