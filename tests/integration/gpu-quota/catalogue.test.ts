// The GPU catalogue built from the sandbox's real (KWOK) nodes: both models of whole GPUs, the MIG
// profiles, and the HAMi node's gpumem/gpucores, with the capacities the sandbox gave them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  buildCatalogue,
  capacityOf,
  findResource,
} from '../../../backend/src/features/gpu-quota/catalogue.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { gpuModels, gpuNodeSpecs } from '../../sandbox/src/nodes.js';
import { adminKubeConfig } from '../../sandbox/src/testing.js';

describe('GPU catalogue from the sandbox nodes', async () => {
  const specs = gpuNodeSpecs(Number(readSandboxEnv().SANDBOX_NODES ?? 4));
  // Only the sandbox's standard nodes: benchmarks may add more while this runs.
  const names = new Set(specs.map((s) => s.name));
  const nodes = (await adminKubeConfig().makeApiClient(CoreV1Api).listNode()).items.filter((n) =>
    names.has(n.metadata?.name ?? ''),
  );
  const catalogue = buildCatalogue(nodes);
  const expected = (resource: string, product?: string) =>
    specs
      .filter(
        (s) =>
          s.resources[resource] !== undefined && (!product || s.labels['nvidia.com/gpu.product'] === product),
      )
      .reduce((sum, s) => sum + Number(s.resources[resource]), 0);

  it('has every standard node', () => assert.equal(nodes.length, specs.length));

  it('lists nvidia.com/gpu for both models with their capacity', () => {
    const gpu = findResource(catalogue, 'nvidia.com/gpu')!;
    assert.deepEqual(gpu.models.map((m) => m.model).sort(), gpuModels.map((m) => m.product).sort());
    for (const { product } of gpuModels) {
      assert.equal(
        capacityOf(catalogue, 'nvidia.com/gpu', product)?.allocatable,
        expected('nvidia.com/gpu', product),
        product,
      );
    }
    assert.equal(gpu.allocatable, expected('nvidia.com/gpu'));
    // The HAMi node's 40 slots are 4 physical GPUs.
    assert.equal(gpu.sharedNodes, 1);
    assert.equal(gpu.physicalDevices, expected('nvidia.com/gpu') - 40 + 4);
  });

  it('lists the MIG profiles of the mixed-strategy node', () => {
    assert.deepEqual(catalogue.migProfiles, ['nvidia.com/mig-1g.10gb', 'nvidia.com/mig-3g.40gb']);
    assert.equal(findResource(catalogue, 'nvidia.com/mig-1g.10gb')?.allocatable, 14);
    assert.equal(findResource(catalogue, 'nvidia.com/mig-3g.40gb')?.allocatable, 4);
    assert.equal(catalogue.migStrategies.mixed, 1);
  });

  it('lists HAMi gpumem (MiB) and gpucores (percent) as amounts', () => {
    const mem = findResource(catalogue, 'nvidia.com/gpumem')!;
    const cores = findResource(catalogue, 'nvidia.com/gpucores')!;
    assert.deepEqual([mem.capacity, mem.unit, mem.countable], [4 * 81920, 'MiB', false]);
    assert.deepEqual([cores.capacity, cores.unit, cores.countable], [400, 'percent', false]);
  });
});
