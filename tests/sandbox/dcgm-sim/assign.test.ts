import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GpuAssigner } from './assign.js';
import { gpuNode, gpuPod, hamiNode, migNode } from './fixtures.js';
import { describeNodeGpus, type NodeGpus } from './node-devices.js';
import type { PodLike } from './k8s-types.js';

const a100 = describeNodeGpus(gpuNode('gpu-a100-0'))!;
const gpusOf = (assigner: GpuAssigner, pod: PodLike): number[] =>
  assigner.slotsOf(pod).map((k) => Number(k.split('/').at(-1)));

function assignerWith(nodes: NodeGpus[], pods: PodLike[]): GpuAssigner {
  const a = new GpuAssigner();
  a.sync(nodes, pods);
  return a;
}

test('pods get GPUs in creation order, then name order', () => {
  const p1 = gpuPod('b-second', { gpus: 2, created: '2026-01-01T00:00:02Z' });
  const p0 = gpuPod('a-first', { gpus: 3, created: '2026-01-01T00:00:01Z' });
  const p2 = gpuPod('c-same-time', { gpus: 1, created: '2026-01-01T00:00:02Z' });
  const a = assignerWith([a100], [p2, p1, p0]);
  assert.deepEqual(gpusOf(a, p0), [0, 1, 2]);
  assert.deepEqual(gpusOf(a, p1), [3, 4]);
  assert.deepEqual(gpusOf(a, p2), [5]);
});

test('allocations stay put across syncs; a deleted pod frees its GPUs for the next one', () => {
  const early = gpuPod('early', { gpus: 2, created: '2026-01-01T00:00:05Z' });
  const late = gpuPod('late', { gpus: 2, created: '2026-01-01T00:00:09Z' });
  const a = assignerWith([a100], [late]);
  assert.deepEqual(gpusOf(a, late), [0, 1]);
  // An older pod appearing later does not reshuffle what is already held.
  a.sync([a100], [late, early]);
  assert.deepEqual(gpusOf(a, late), [0, 1]);
  assert.deepEqual(gpusOf(a, early), [2, 3]);
  a.sync([a100], [early]);
  assert.deepEqual(gpusOf(a, late), []);
  assert.deepEqual(a.holders('gpu-a100-0', 'nvidia.com/gpu/0'), []);
  const next = gpuPod('next', { gpus: 1, created: '2026-01-01T00:01:00Z' });
  a.sync([a100], [early, next]);
  assert.deepEqual(gpusOf(a, next), [0]);
  assert.deepEqual(gpusOf(a, early), [2, 3]);
});

test('only bound, Running pods hold devices; finished ones give them back', () => {
  const pending = gpuPod('pending', { phase: 'Pending' });
  const unbound: PodLike = { ...gpuPod('unbound'), spec: { ...gpuPod('unbound').spec, nodeName: '' } };
  const a = assignerWith([a100], [pending, unbound]);
  assert.deepEqual(a.slotsOf(pending), []);
  assert.deepEqual(a.slotsOf(unbound), []);
  const job = gpuPod('job');
  a.sync([a100], [job]);
  assert.equal(a.slotsOf(job).length, 1);
  a.sync([a100], [{ ...job, status: { ...job.status, phase: 'Succeeded' } }]);
  assert.deepEqual(a.slotsOf(job), []);
});

test('holders carry namespace, pod and container', () => {
  const pod = gpuPod('llm', { namespace: 'team-b', container: 'worker' });
  const a = assignerWith([a100], [pod]);
  const [holder] = a.holders('gpu-a100-0', a.slotsOf(pod)[0]!);
  assert.equal(holder?.namespace, 'team-b');
  assert.equal(holder?.pod, 'llm');
  assert.equal(holder?.container, 'worker');
});

test('MIG pods get instances of the profile they ask for', () => {
  const mig = describeNodeGpus(migNode('gpu-mig-0'))!;
  const pod = gpuPod('small', { node: 'gpu-mig-0', resource: 'nvidia.com/mig-1g.10gb', gpus: 2 });
  const big = gpuPod('big', { node: 'gpu-mig-0', resource: 'nvidia.com/mig-3g.40gb' });
  const a = assignerWith([mig], [pod, big]);
  assert.equal(a.slotsOf(pod).length, 2);
  assert.ok(a.slotsOf(pod).every((k) => k.startsWith('nvidia.com/mig-1g.10gb/')));
  assert.ok(a.slotsOf(big)[0]!.startsWith('nvidia.com/mig-3g.40gb/'));
});

test('shared (HAMi) GPUs go to the least-shared card, so pods spread before they stack', () => {
  const hami = describeNodeGpus(hamiNode('gpu-hami-0'))!;
  const pods = Array.from({ length: 10 }, (_, i) =>
    gpuPod(`v${i}`, { node: 'gpu-hami-0', created: `2026-01-01T00:00:${String(i).padStart(2, '0')}Z` }),
  );
  const a = assignerWith([hami], pods);
  assert.deepEqual(
    pods.map((p) => gpusOf(a, p)[0]),
    [0, 1, 2, 3, 4, 5, 6, 7, 0, 1],
  );
  assert.equal(a.holders('gpu-hami-0', 'nvidia.com/gpu/0').length, 2);
});
