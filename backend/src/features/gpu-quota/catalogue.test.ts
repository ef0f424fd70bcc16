import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Node } from '@kubernetes/client-node';
import { buildCatalogue, capacityOf, catalogueModels, findResource } from './catalogue.js';
import { A100, fakeNode, H100, sandboxLikeNodes } from './test-fixtures.js';

// The sandbox's nodes, a cordoned A100 node, a CPU-only node and one with accelerators of other vendors.
const nodes: V1Node[] = [
  ...sandboxLikeNodes,
  fakeNode('a-1', { 'nvidia.com/gpu.product': A100 }, { 'nvidia.com/gpu': '8' }, { unschedulable: true }),
  fakeNode('cpu', {}, {}),
  fakeNode('npu', {}, { 'huawei.com/Ascend910': '8', 'example.com/gpu': '2' }),
];

describe('buildCatalogue', () => {
  const catalogue = buildCatalogue(nodes);

  it('lists every GPU resource the nodes advertise, sorted, and nothing else', () => {
    assert.deepEqual(
      catalogue.resources.map((r) => r.resource),
      [
        'huawei.com/Ascend910',
        'nvidia.com/gpu',
        'nvidia.com/gpucores',
        'nvidia.com/gpumem',
        'nvidia.com/mig-1g.10gb',
        'nvidia.com/mig-3g.40gb',
      ],
    );
  });

  it('sums nvidia.com/gpu per model, with cordoned capacity as unavailable', () => {
    const gpu = findResource(catalogue, 'nvidia.com/gpu')!;
    assert.equal(gpu.allocatable, 64);
    assert.equal(gpu.unavailable, 8);
    assert.deepEqual(catalogueModels(catalogue), [A100, H100]);
    const a100 = capacityOf(catalogue, 'nvidia.com/gpu', A100)!;
    assert.deepEqual([a100.allocatable, a100.nodes, a100.unavailable], [56, 3, 8]);
    assert.equal(capacityOf(catalogue, 'nvidia.com/gpu', H100)?.allocatable, 8);
  });

  it('corrects HAMi vGPU slots to physical GPUs with the gpu.count label', () => {
    const gpu = findResource(catalogue, 'nvidia.com/gpu')!;
    assert.equal(gpu.sharedNodes, 1);
    assert.equal(gpu.physicalDevices, 8 + 8 + 8 + 4);
    assert.equal(capacityOf(catalogue, 'nvidia.com/gpu', A100)?.physicalDevices, 20);
  });

  it('reports HAMi amounts with their units, not as devices', () => {
    const mem = findResource(catalogue, 'nvidia.com/gpumem')!;
    assert.deepEqual(
      [mem.capacity, mem.unit, mem.countable, mem.physicalDevices],
      [327680, 'MiB', false, undefined],
    );
    const cores = findResource(catalogue, 'nvidia.com/gpucores')!;
    assert.deepEqual([cores.capacity, cores.unit], [400, 'percent']);
  });

  it('lists MIG profiles and strategies', () => {
    assert.deepEqual(catalogue.migProfiles, ['nvidia.com/mig-1g.10gb', 'nvidia.com/mig-3g.40gb']);
    assert.deepEqual(catalogue.migStrategies, { mixed: 1 });
    assert.equal(findResource(catalogue, 'nvidia.com/mig-1g.10gb')?.allocatable, 14);
    // MIG profiles are not split per model
    assert.deepEqual(findResource(catalogue, 'nvidia.com/mig-1g.10gb')?.models, []);
  });

  it('uses allocatable where it differs from capacity, and counts not-Ready nodes as unavailable', () => {
    const c = buildCatalogue([
      fakeNode(
        'x',
        { 'nvidia.com/gpu.product': H100 },
        { 'nvidia.com/gpu': '8' },
        { allocatable: { 'nvidia.com/gpu': '7' }, ready: false },
      ),
    ]);
    const gpu = findResource(c, 'nvidia.com/gpu')!;
    assert.deepEqual([gpu.capacity, gpu.allocatable, gpu.unavailable], [8, 7, 7]);
  });

  it('is built once per node list: the same list gets the same catalogue, another list a new one', () => {
    assert.equal(buildCatalogue(nodes), catalogue);
    const copy = [...nodes];
    assert.notEqual(buildCatalogue(copy), catalogue);
    assert.deepEqual(buildCatalogue(copy), catalogue);
  });

  it('is empty without GPU nodes', () => {
    assert.deepEqual(buildCatalogue([fakeNode('cpu', {}, {})]), {
      resources: [],
      migStrategies: {},
      migProfiles: [],
    });
  });
});
