import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { clusterQueueName, KUEUE_API_VERSION } from './kueue.js';
import { foreignInTheWay, writeQueues } from './project-queues.js';
import { KNOWN_GPU_RESOURCES } from './resources.js';
import { chooseEnforcer, ENFORCER_CRDS } from './scheduler.js';
import { fakeKube, keyOf } from './test-kube.js';

const rows = [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }];
const both = [...ENFORCER_CRDS.kueue, ...ENFORCER_CRDS.volcano];
const clusterQueueRef = { apiVersion: KUEUE_API_VERSION, kind: 'ClusterQueue', name: clusterQueueName('a') };
const foreignClusterQueue: KubernetesObject = {
  ...clusterQueueRef,
  metadata: { name: clusterQueueRef.name },
};

describe('project queues', () => {
  it('name a same-named queue someone else made before anything is written', async () => {
    const fake = fakeKube();
    fake.store.set(keyOf(clusterQueueRef), foreignClusterQueue);
    const write = { namespace: 'a', rows, choice: chooseEnforcer(both, 'kueue') };
    const found = await foreignInTheWay(fake.kube, KNOWN_GPU_RESOURCES, write);
    assert.deepEqual(
      found.map((p) => [p.code, p.params.name]),
      [['GPU_QUOTA_FOREIGN_OBJECT_IN_THE_WAY', clusterQueueRef.name]],
    );
    // Written to Volcano instead, the foreign ClusterQueue is not in the way.
    const volcano = { ...write, choice: chooseEnforcer(both, 'volcano') };
    assert.deepEqual(await foreignInTheWay(fake.kube, KNOWN_GPU_RESOURCES, volcano), []);
  });

  it('moving to Volcano removes our Kueue queues and keeps someone else’s, saying so', async () => {
    const fake = fakeKube();
    await writeQueues(fake.kube, KNOWN_GPU_RESOURCES, { namespace: 'a', rows, choice: chooseEnforcer(both) });
    assert.ok(fake.store.has(keyOf(clusterQueueRef)));
    const kept = await writeQueues(fake.kube, KNOWN_GPU_RESOURCES, {
      namespace: 'a',
      rows,
      choice: chooseEnforcer(both, 'volcano'),
    });
    assert.deepEqual(kept, []);
    assert.equal(fake.store.has(keyOf(clusterQueueRef)), false);
    assert.ok(fake.applied.some((k) => k.includes('/Queue/')));

    fake.store.set(keyOf(clusterQueueRef), foreignClusterQueue);
    const again = await writeQueues(fake.kube, KNOWN_GPU_RESOURCES, {
      namespace: 'a',
      rows,
      choice: chooseEnforcer(both, 'volcano'),
    });
    assert.deepEqual(
      again.map((p) => p.code),
      ['GPU_QUOTA_FOREIGN_OBJECT_KEPT'],
    );
    assert.ok(fake.store.has(keyOf(clusterQueueRef)));
  });
});
