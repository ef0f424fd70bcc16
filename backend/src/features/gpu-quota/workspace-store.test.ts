import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { KNOWN_GPU_RESOURCES } from './resources.js';
import { A100 } from './test-fixtures.js';
import { fakeKube, keyOf } from './test-kube.js';
import { KUBESPHERE_QUOTA_API_VERSION } from './workspace.js';
import { KUBESPHERE_QUOTA_CRD, workspaceConfigMapName, workspaceStore } from './workspace-store.js';

const rows = [{ resource: 'nvidia.com/gpu', model: A100, base: 2, max: 4 }];
const configMapKey = `v1/ConfigMap/ks-gpu-ml/${workspaceConfigMapName('ws')}`;
const kubesphereRef = { apiVersion: KUBESPHERE_QUOTA_API_VERSION, kind: 'ResourceQuota', name: 'ws' };

describe('workspaceStore', () => {
  it('without KubeSphere’s CRD: a ConfigMap in our namespace, read back, removed when cleared', async () => {
    const fake = fakeKube();
    const store = workspaceStore(fake.kube, KNOWN_GPU_RESOURCES);
    assert.deepEqual(await store.read('ws'), { storage: 'configmap', rows: [] });
    assert.deepEqual(await store.write('ws', 'configmap', rows), []);
    assert.ok(fake.store.has(configMapKey));
    assert.deepEqual(await store.read('ws'), { storage: 'configmap', rows });
    assert.deepEqual(await store.write('ws', 'configmap', []), []);
    assert.equal(fake.store.has(configMapKey), false);
  });

  it('clearing keeps a same-named ConfigMap someone else made, and says so', async () => {
    const fake = fakeKube();
    fake.store.set(configMapKey, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } });
    const kept = await workspaceStore(fake.kube, KNOWN_GPU_RESOURCES).write('ws', 'configmap', []);
    assert.deepEqual(
      kept.map((w) => w.code),
      ['GPU_QUOTA_FOREIGN_OBJECT_KEPT'],
    );
    assert.ok(fake.store.has(configMapKey));
  });

  it('with KubeSphere’s CRD: its workspace quota object; cleared, deleted only when it held nothing but GPUs', async () => {
    const fake = fakeKube({ crds: [KUBESPHERE_QUOTA_CRD] });
    const store = workspaceStore(fake.kube, KNOWN_GPU_RESOURCES);
    await store.write('ws', 'kubesphere', rows);
    assert.deepEqual(await store.read('ws'), { storage: 'kubesphere', rows });
    await store.write('ws', 'kubesphere', []);
    assert.equal(fake.store.has(keyOf(kubesphereRef)), false);

    // KubeSphere's own page put CPU into it: our rows go, the object stays.
    await store.write('ws', 'kubesphere', rows);
    const object = fake.store.get(keyOf(kubesphereRef)) as KubernetesObject & {
      spec: { quota: { hard: Record<string, string> } };
    };
    object.spec.quota.hard['limits.cpu'] = '8';
    await store.write('ws', 'kubesphere', []);
    assert.ok(fake.store.has(keyOf(kubesphereRef)));
    assert.deepEqual((await store.read('ws')).rows, []);
  });
});
