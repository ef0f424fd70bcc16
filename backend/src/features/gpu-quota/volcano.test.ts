import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { A100, H100 } from './test-fixtures.js';
import { readVolcanoQueue, volcanoQueue } from './volcano.js';

describe('volcanoQueue', () => {
  const queue = volcanoQueue('ml-team', [
    { resource: 'nvidia.com/gpu', model: A100, base: 2, max: 4 },
    { resource: 'nvidia.com/gpu', model: H100, base: 1, max: 2 },
    { resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 7 },
    { resource: 'nvidia.com/gpumem', base: 0, max: 1024 },
  ]);

  it('capability = max, guarantee.resource = deserved = base, models summed, amounts left out', () => {
    assert.equal(queue.metadata.name, 'ks-gpu-ml-ml-team');
    assert.equal(queue.metadata.annotations['gpu-quota.ks-gpu-ml.io/namespace'], 'ml-team');
    assert.deepEqual(queue.spec, {
      capability: { 'nvidia.com/gpu': '6', 'nvidia.com/mig-1g.10gb': '7' },
      deserved: { 'nvidia.com/gpu': '3', 'nvidia.com/mig-1g.10gb': '0' },
      guarantee: { resource: { 'nvidia.com/gpu': '3', 'nvidia.com/mig-1g.10gb': '0' } },
      reclaimable: true,
    });
  });

  it('reads back base, max and allocated', () => {
    const read = readVolcanoQueue({
      ...queue,
      status: { allocated: { 'nvidia.com/gpu': '2', cpu: '500m' } },
    });
    assert.deepEqual(read.totals.get('nvidia.com/gpu'), { base: 3, max: 6 });
    assert.equal(read.allocated.get('nvidia.com/gpu'), 2);
  });
});
