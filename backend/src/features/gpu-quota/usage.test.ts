import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import { A100, H100, sandboxLikeNodes } from './test-fixtures.js';
import { holdsResources, mergeUsage, modelOfNode, podGpuRequests, usageFromPods } from './usage.js';

function pod(
  name: string,
  namespace: string,
  containers: Record<string, string>[],
  extra: {
    nodeName?: string;
    phase?: string;
    init?: { resources: Record<string, string>; sidecar?: boolean }[];
  } = {},
): V1Pod {
  return {
    metadata: { name, namespace },
    spec: {
      ...(extra.nodeName ? { nodeName: extra.nodeName } : {}),
      containers: containers.map((limits, i) => ({ name: `c${i}`, resources: { limits } })),
      initContainers: (extra.init ?? []).map((c, i) => ({
        name: `i${i}`,
        resources: { requests: c.resources },
        ...(c.sidecar ? { restartPolicy: 'Always' } : {}),
      })),
    },
    status: { phase: extra.phase ?? 'Running' },
  };
}

describe('podGpuRequests', () => {
  it('sums containers and ignores non-GPU resources', () => {
    const p = pod('p', 'ns', [{ 'nvidia.com/gpu': '2', cpu: '4' }, { 'nvidia.com/gpu': '1' }]);
    assert.deepEqual([...podGpuRequests(p)], [['nvidia.com/gpu', 3]]);
  });

  it('takes the larger of app containers and a plain init container; adds sidecars', () => {
    const p = pod('p', 'ns', [{ 'nvidia.com/gpu': '1' }], {
      init: [
        { resources: { 'nvidia.com/gpu': '4' } },
        { resources: { 'nvidia.com/mig-1g.10gb': '1' }, sidecar: true },
      ],
    });
    assert.deepEqual(Object.fromEntries(podGpuRequests(p)), {
      'nvidia.com/gpu': 4,
      'nvidia.com/mig-1g.10gb': 1,
    });
  });

  it('multiplies HAMi per-card amounts by the GPU count', () => {
    const p = pod('p', 'ns', [
      { 'nvidia.com/gpu': '2', 'nvidia.com/gpucores': '10', 'nvidia.com/gpumem': '4096' },
    ]);
    assert.deepEqual(Object.fromEntries(podGpuRequests(p)), {
      'nvidia.com/gpu': 2,
      'nvidia.com/gpucores': 20,
      'nvidia.com/gpumem': 8192,
    });
  });
});

describe('usageFromPods', () => {
  it('counts bound, unfinished pods per namespace, resource and node model', () => {
    const nodes = new Map([
      ['a', A100],
      ['h', H100],
    ]);
    const index = usageFromPods(
      [
        pod('1', 'team', [{ 'nvidia.com/gpu': '2' }], { nodeName: 'a' }),
        pod('2', 'team', [{ 'nvidia.com/gpu': '1' }], { nodeName: 'h' }),
        pod('3', 'team', [{ 'nvidia.com/gpu': '8' }]), // pending, unbound
        pod('4', 'team', [{ 'nvidia.com/gpu': '8' }], { nodeName: 'a', phase: 'Succeeded' }),
        pod('5', 'other', [{ 'nvidia.com/mig-1g.10gb': '1' }], { nodeName: 'mig' }),
        pod('6', 'cpu-only', [{ cpu: '1' }], { nodeName: 'a' }),
      ],
      nodes,
    );
    assert.deepEqual(Object.fromEntries(index.get('team')!), {
      'nvidia.com/gpu': 3,
      [`nvidia.com/gpu@${A100}`]: 2,
      [`nvidia.com/gpu@${H100}`]: 1,
    });
    assert.deepEqual(Object.fromEntries(index.get('other')!), { 'nvidia.com/mig-1g.10gb': 1 });
    assert.equal(index.has('cpu-only'), false);
  });

  it('holdsResources needs a node and an unfinished phase', () => {
    assert.equal(holdsResources(pod('x', 'ns', [], { nodeName: 'a', phase: 'Failed' })), false);
    assert.equal(holdsResources(pod('x', 'ns', [], { phase: 'Pending' })), false);
    assert.equal(holdsResources(pod('x', 'ns', [], { nodeName: 'a', phase: 'Pending' })), true);
  });
});

describe('modelOfNode', () => {
  it('maps each node with a product label to its model, and leaves out nodes without one', () => {
    const unlabelled = { metadata: { name: 'cpu-node', labels: {} } };
    assert.deepEqual(Object.fromEntries(modelOfNode([...sandboxLikeNodes, unlabelled])), {
      'gpu-node-0': A100,
      'gpu-node-1': H100,
      'gpu-node-mig': A100,
      'gpu-node-hami': A100,
    });
  });
});

describe('mergeUsage', () => {
  it('prefers the quota’s totals and keeps per-model figures from pods', () => {
    const merged = mergeUsage(
      new Map([['nvidia.com/gpu', 4]]),
      new Map([
        ['nvidia.com/gpu', 3],
        [`nvidia.com/gpu@${A100}`, 3],
      ]),
    );
    assert.deepEqual(Object.fromEntries(merged), { 'nvidia.com/gpu': 4, [`nvidia.com/gpu@${A100}`]: 3 });
  });
});
