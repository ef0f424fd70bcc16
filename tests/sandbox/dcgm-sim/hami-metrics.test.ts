import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeCluster, gpuNode, gpuPod, hamiNode } from './fixtures.js';
import { ANNOTATIONS } from './profiles.js';
import { labelOf, parseExposition } from './prom-text.js';
import { DcgmSimulator } from './simulator.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

test("HAMi's vGPU monitor: one series per container on a HAMi GPU, with its own load; none for whole GPUs", () => {
  const cluster = fakeCluster(
    [hamiNode('gpu-hami-0'), gpuNode('gpu-a100-0')],
    [
      gpuPod('busy', { node: 'gpu-hami-0', annotations: { [ANNOTATIONS.profile]: 'busy' } }),
      gpuPod('idle', { node: 'gpu-hami-0', annotations: { [ANNOTATIONS.profile]: 'idle' } }),
      gpuPod('whole', { node: 'gpu-a100-0' }),
    ],
  );
  const sim = new DcgmSimulator(cluster, { now: () => T0 + 10_000 });
  const families = parseExposition(sim.renderHami());
  const util = families.get('hami_container_device_utilization_ratio')!.samples;
  const memory = families.get('hami_container_device_memory_bytes')!.samples;
  assert.deepEqual(util.map((s) => labelOf(s, 'pod')).sort(), ['busy', 'idle']);
  assert.equal(memory.length, 2);
  const byPod = new Map(util.map((s) => [labelOf(s, 'pod'), s]));
  assert.ok(byPod.get('busy')!.value >= 0.9 && byPod.get('busy')!.value <= 1, 'a ratio, the busy profile');
  assert.equal(byPod.get('idle')!.value, 0);
  const holders = sim.assignments().filter((a) => a.node === 'gpu-hami-0' && a.holders.length > 0);
  assert.deepEqual(
    util.map((s) => labelOf(s, 'device_uuid')).sort(),
    holders.map((a) => a.uuid).sort(),
    "labelled with the physical GPU's UUID",
  );
});
