import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeResource,
  isMigProfile,
  quotaKeyFor,
  resourceTable,
  rowKey,
  splitRowKey,
} from './resources.js';

describe('describeResource', () => {
  it('recognises NVIDIA whole GPUs with their model label', () => {
    const d = describeResource('nvidia.com/gpu');
    assert.equal(d?.kind, 'gpu');
    assert.equal(d?.modelLabel, 'nvidia.com/gpu.product');
    assert.equal(d?.countable, true);
  });

  it('recognises MIG profiles by pattern, including +me and compute-instance profiles', () => {
    for (const name of [
      'nvidia.com/mig-1g.10gb',
      'nvidia.com/mig-3g.40gb',
      'nvidia.com/mig-1g.10gb+me',
      'nvidia.com/mig-1c.3g.40gb',
    ]) {
      assert.equal(describeResource(name)?.kind, 'mig', name);
      assert.ok(isMigProfile(name), name);
    }
    assert.equal(describeResource('nvidia.com/mig-strategy'), undefined);
  });

  it('treats HAMi gpumem/gpucores as amounts enforced through limits. keys', () => {
    const mem = describeResource('nvidia.com/gpumem');
    assert.deepEqual([mem?.countable, mem?.unit, mem?.quotaPrefix], [false, 'MiB', 'limits.']);
    assert.equal(describeResource('nvidia.com/gpucores')?.unit, 'percent');
    assert.equal(quotaKeyFor('nvidia.com/gpumem'), 'limits.nvidia.com/gpumem');
    assert.equal(quotaKeyFor('nvidia.com/gpu'), 'requests.nvidia.com/gpu');
  });

  it('recognises other vendors by the documented names only', () => {
    assert.equal(describeResource('amd.com/gpu')?.vendor, 'amd');
    assert.equal(describeResource('huawei.com/Ascend910')?.vendor, 'huawei');
    assert.equal(describeResource('huawei.com/Ascend310P')?.vendor, 'huawei');
    assert.equal(describeResource('gpu.intel.com/i915')?.vendor, 'intel');
    // near misses are not GPU resources
    for (const name of [
      'huawei.com/Ascend910B-memory',
      'gpu.intel.com/millicores',
      'example.com/gpu',
      'cpu',
      'nvidia.com/gpu.product',
    ]) {
      assert.equal(describeResource(name), undefined, name);
    }
  });

  it('accepts per-cluster extras', () => {
    const table = resourceTable([
      {
        match: 'example.com/gpu',
        vendor: 'example',
        kind: 'gpu',
        unit: 'device',
        countable: true,
        quotaPrefix: 'requests.',
      },
    ]);
    assert.equal(describeResource('example.com/gpu', table)?.vendor, 'example');
    assert.equal(describeResource('nvidia.com/gpu', table)?.vendor, 'nvidia');
  });
});

describe('rowKey', () => {
  it('round-trips resource and model', () => {
    assert.equal(rowKey('nvidia.com/gpu'), 'nvidia.com/gpu');
    assert.deepEqual(splitRowKey(rowKey('nvidia.com/gpu', 'NVIDIA-A100')), {
      resource: 'nvidia.com/gpu',
      model: 'NVIDIA-A100',
    });
    assert.deepEqual(splitRowKey('nvidia.com/mig-1g.10gb'), { resource: 'nvidia.com/mig-1g.10gb' });
  });
});
