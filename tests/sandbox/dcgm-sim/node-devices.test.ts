import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuNode, gpuNode, hamiNode, migNode } from './fixtures.js';
import { DEFAULT_DRIVER_VERSION, describeNodeGpus, deviceResources } from './node-devices.js';

test('a plain GPU node gets one device per nvidia.com/gpu, with dcgm-style identifiers', () => {
  const node = describeNodeGpus(gpuNode('gpu-a100-0'))!;
  assert.equal(node.gpus.length, 8);
  assert.equal(node.slots.length, 8);
  assert.equal(node.shared, false);
  assert.equal(node.model.modelName, 'NVIDIA A100-SXM4-80GB');
  assert.equal(node.fbTotalMiB, 81920);
  assert.equal(node.driverVersion, DEFAULT_DRIVER_VERSION);
  const gpu = node.gpus[3]!;
  assert.equal(gpu.device, 'nvidia3');
  assert.match(gpu.uuid, /^GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.match(gpu.pciBusId, /^00000000:[0-9A-F]{2}:00\.0$/);
  assert.equal(new Set(node.gpus.map((g) => g.uuid)).size, 8, 'UUIDs are unique');
  assert.deepEqual(describeNodeGpus(gpuNode('gpu-a100-0')), node, 'and stable for the same node');
  assert.notEqual(describeNodeGpus(gpuNode('gpu-a100-1'))!.gpus[0]!.uuid, gpu.uuid);
});

test('H100 product label maps to its NVML name', () => {
  assert.equal(
    describeNodeGpus(gpuNode('h', 'NVIDIA-H100-80GB-HBM3'))!.model.modelName,
    'NVIDIA H100 80GB HBM3',
  );
});

test('MIG mixed: each profile unit is a GPU instance packed onto parent GPUs', () => {
  const node = describeNodeGpus(migNode('gpu-mig-0'))!;
  const small = node.slots.filter((s) => s.mig?.profile === '1g.10gb');
  const large = node.slots.filter((s) => s.mig?.profile === '3g.40gb');
  assert.equal(small.length, 14);
  assert.equal(large.length, 4);
  assert.equal(new Set(small.map((s) => s.gpu.index)).size, 2, 'seven 1g.10gb per A100-80GB');
  assert.equal(new Set(large.map((s) => s.gpu.index)).size, 2, 'two 3g.40gb per A100-80GB');
  assert.equal(node.gpus.length, 4);
  assert.deepEqual(
    small.filter((s) => s.gpu.index === small[0]!.gpu.index).map((s) => s.mig!.instanceId),
    [7, 8, 9, 10, 11, 12, 13],
  );
  assert.equal(new Set(node.slots.map((s) => s.key)).size, node.slots.length, 'slot keys are unique');
  assert.ok(small[0]!.mig!.fbTotalMiB < 10240 && small[0]!.mig!.fbTotalMiB > 9000);
});

test('HAMi node: vGPU slots share physical GPUs; count from gpucores, memory from gpumem', () => {
  const node = describeNodeGpus(hamiNode('gpu-hami-0'))!;
  assert.equal(node.shared, true);
  assert.equal(node.gpus.length, 8);
  assert.equal(node.fbTotalMiB, 40960);
});

test('nodes without GPU resources are not simulated; gpumem/gpucores are not devices', () => {
  assert.equal(describeNodeGpus(cpuNode('cpu-0')), undefined);
  assert.deepEqual(
    [
      ...deviceResources({
        'nvidia.com/gpu': '8',
        'nvidia.com/gpumem': '1000',
        'nvidia.com/gpucores': '800',
      }).keys(),
    ],
    ['nvidia.com/gpu'],
  );
  assert.deepEqual(
    [...deviceResources({ 'nvidia.com/a100': '2', 'nvidia.com/gpu': '0' }).keys()],
    ['nvidia.com/a100'],
  );
});

test('driver version comes from GFD labels when present', () => {
  const n = gpuNode('d');
  n.metadata!.labels!['nvidia.com/cuda.driver.major'] = '535';
  n.metadata!.labels!['nvidia.com/cuda.driver.minor'] = '104';
  n.metadata!.labels!['nvidia.com/cuda.driver.rev'] = '12';
  assert.equal(describeNodeGpus(n)!.driverVersion, '535.104.12');
});
