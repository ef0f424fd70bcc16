import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gpuNodeSpecs, nodeObject, KWOK_ANNOTATION } from './nodes.js';

describe('fake GPU nodes', () => {
  it('makes N standard nodes of alternating models plus a MIG and a HAMi node', () => {
    const specs = gpuNodeSpecs(3);
    assert.equal(specs.length, 5);
    const standard = specs.filter((s) => s.resources['nvidia.com/gpu'] === '8');
    assert.deepEqual(
      standard.map((s) => s.labels['nvidia.com/gpu.product']),
      ['NVIDIA-A100-SXM4-80GB', 'NVIDIA-H100-80GB-HBM3', 'NVIDIA-A100-SXM4-80GB'],
    );
    assert.ok(specs.some((s) => s.resources['nvidia.com/mig-3g.40gb'] === '4'));
    assert.ok(specs.some((s) => s.resources['nvidia.com/gpucores'] && s.resources['nvidia.com/gpumem']));
  });

  it('marks nodes for KWOK and reports capacity = allocatable', () => {
    const node = nodeObject(gpuNodeSpecs(1)[0]!) as unknown as {
      metadata: { annotations: Record<string, string> };
      status: { capacity: Record<string, string>; allocatable: Record<string, string> };
    };
    assert.equal(node.metadata.annotations[KWOK_ANNOTATION], 'fake');
    assert.deepEqual(node.status.capacity, node.status.allocatable);
  });
});
