// Smoke tests: each real part of the sandbox proves itself.
import { CoreV1Api, VersionApi } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminKubeConfig, createTestNamespace, gpuPod, waitFor } from '../sandbox/src/testing.js';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);

describe('Kubernetes control plane', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  before(async () => {
    ns = await createTestNamespace('smoke-cp');
  });
  after(async () => ns.remove());

  it('kube-apiserver answers with a version >= 1.31', async () => {
    const version = await kc.makeApiClient(VersionApi).getCode();
    assert.equal(version.major, '1');
    assert.ok(Number.parseInt(version.minor, 10) >= 31, `minor ${version.minor}`);
  });

  it('lists the KWOK GPU nodes with their GPU capacity, Ready', async () => {
    const nodes = (await core.listNode({ labelSelector: 'type=kwok' })).items;
    const whole = nodes.filter((n) => n.status?.capacity?.['nvidia.com/gpu'] === '8');
    assert.ok(whole.length >= 4, `expected >= 4 nodes with 8 nvidia.com/gpu, got ${whole.length}`);
    const models = new Set(whole.map((n) => n.metadata?.labels?.['nvidia.com/gpu.product']));
    assert.ok(models.size >= 2, `expected two GPU models, got ${[...models].join(', ')}`);
    assert.ok(
      nodes.some((n) => n.status?.capacity?.['nvidia.com/mig-1g.10gb']),
      'a MIG node',
    );
    assert.ok(
      nodes.some((n) => n.status?.capacity?.['nvidia.com/gpumem']),
      'a HAMi node',
    );
    for (const node of nodes) {
      const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
      assert.equal(ready?.status, 'True', `${node.metadata?.name} Ready`);
    }
  });

  it('schedules a GPU pod onto a GPU node, where KWOK makes it Running', async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: gpuPod('runs', ns.name, 2) });
    const pod = await waitFor('pod Running', async () => {
      const p = await core.readNamespacedPod({ name: 'runs', namespace: ns.name });
      return p.status?.phase === 'Running' ? p : undefined;
    });
    const node = await core.readNode({ name: pod.spec!.nodeName! });
    assert.ok(Number(node.status?.allocatable?.['nvidia.com/gpu'] ?? 0) >= 2);
  });

  it('leaves a GPU pod that fits nowhere Pending with the scheduler’s reason', async () => {
    await core.createNamespacedPod({ namespace: ns.name, body: gpuPod('too-big', ns.name, 64) });
    const condition = await waitFor('PodScheduled=False', async () => {
      const p = await core.readNamespacedPod({ name: 'too-big', namespace: ns.name });
      return p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    });
    const pod = await core.readNamespacedPod({ name: 'too-big', namespace: ns.name });
    assert.equal(pod.status?.phase, 'Pending');
    assert.equal(condition.reason, 'Unschedulable');
    assert.match(condition.message ?? '', /Insufficient nvidia\.com\/gpu/);
  });

  it('enforces requests.nvidia.com/gpu with real quota admission, and the controller fills status.used', async () => {
    const quotaNs = await createTestNamespace('smoke-quota');
    try {
      const namespace = quotaNs.name;
      await core.createNamespacedResourceQuota({
        namespace,
        body: { metadata: { name: 'gpu' }, spec: { hard: { 'requests.nvidia.com/gpu': '2' } } },
      });
      // Quota admission refuses pods until the controller has computed usage once.
      await waitFor('quota status.used', async () => {
        const q = await core.readNamespacedResourceQuota({ name: 'gpu', namespace });
        return q.status?.used?.['requests.nvidia.com/gpu'] !== undefined;
      });
      await core.createNamespacedPod({ namespace, body: gpuPod('first', namespace, 1) });
      await core.createNamespacedPod({ namespace, body: gpuPod('second', namespace, 1) });
      await assert.rejects(
        core.createNamespacedPod({ namespace, body: gpuPod('third', namespace, 1) }),
        (error: { code?: number; body?: unknown }) => {
          assert.equal(error.code, 403);
          assert.match(String(error.body), /exceeded quota: gpu.*requested: requests\.nvidia\.com\/gpu=1/);
          return true;
        },
      );
      await waitFor('status.used = 2', async () => {
        const q = await core.readNamespacedResourceQuota({ name: 'gpu', namespace });
        return q.status?.used?.['requests.nvidia.com/gpu'] === '2';
      });
    } finally {
      await quotaNs.remove();
    }
  });
});
