// Kueue and Volcano objects for base/max, and KubeSphere's workspace quota, against the apiserver's
// schemas for our test CRDs (structural schemas, CEL rules included): created by server-side apply, read
// back, and checked field by field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import {
  ANY_MODEL_FLAVOR,
  clusterQueueName,
  flavorModels,
  flavorName,
  kueueObjects,
  LOCAL_QUEUE_NAME,
  readClusterQueue,
  type ClusterQueue,
  type LocalQueue,
  type ResourceFlavor,
} from '../../../backend/src/features/gpu-quota/kueue.js';
import type { QuotaRow } from '../../../backend/src/features/gpu-quota/model.js';
import { GPU_QUOTA_FIELD_MANAGER } from '../../../backend/src/features/gpu-quota/resourcequota.js';
import { chooseEnforcer } from '../../../backend/src/features/gpu-quota/scheduler.js';
import {
  readVolcanoQueue,
  volcanoQueue,
  type VolcanoQueue,
} from '../../../backend/src/features/gpu-quota/volcano.js';
import {
  kubesphereWorkspaceQuota,
  type KubeSphereWorkspaceQuota,
} from '../../../backend/src/features/gpu-quota/workspace.js';
import { gpuModels } from '../../sandbox/src/nodes.js';
import { adminKubeConfig, createTestNamespace, uniqueName } from '../../sandbox/src/testing.js';
import { ensureCrds } from './crds.js';

const kc = adminKubeConfig();
const objects = KubernetesObjectApi.makeApiClient(kc);
const [A100, H100] = gpuModels.map((m) => m.product) as [string, string];

const rows: QuotaRow[] = [
  { resource: 'nvidia.com/gpu', model: A100, base: 2, max: 4 },
  { resource: 'nvidia.com/gpu', model: H100, base: 0, max: 2 },
  { resource: 'nvidia.com/mig-1g.10gb', base: 1, max: 7 },
  { resource: 'nvidia.com/gpumem', base: 0, max: 163840 },
];

const apply = <T extends KubernetesObject>(obj: T) =>
  objects.patch(obj, undefined, undefined, GPU_QUOTA_FIELD_MANAGER, true, PatchStrategy.ServerSideApply);
const read = <T extends KubernetesObject>(obj: KubernetesObject) =>
  objects.read({
    apiVersion: obj.apiVersion!,
    kind: obj.kind!,
    metadata: { name: obj.metadata!.name!, namespace: obj.metadata?.namespace },
  }) as Promise<T>;
const remove = (obj: KubernetesObject) => objects.delete(obj).catch(() => undefined);

let ns: Awaited<ReturnType<typeof createTestNamespace>>;
let crdNames: string[];
const cleanup: KubernetesObject[] = [];

before(async () => {
  crdNames = await ensureCrds(kc, ['kueue', 'volcano', 'kubesphere']);
  ns = await createTestNamespace('gq-queues');
});
after(async () => {
  for (const obj of cleanup) await remove(obj);
  await ns.remove();
});

describe('scheduler detection on the real CRD list', () => {
  it('finds Kueue and Volcano installed and picks Kueue', () => {
    const choice = chooseEnforcer(crdNames);
    assert.deepEqual([choice.enforcer, choice.installed], ['kueue', ['kueue', 'volcano']]);
  });
});

describe('Kueue objects', () => {
  it('are accepted, and the ClusterQueue reads back to base/max', async () => {
    const { flavors, clusterQueue, localQueue } = kueueObjects(ns.name, rows);
    // Flavors are shared by every project's queue; they stay (applying them again is a no-op).
    for (const flavor of flavors) await apply(flavor);
    await apply(clusterQueue);
    cleanup.push(clusterQueue);
    await apply(localQueue);

    const flavorA100 = await read<ResourceFlavor>(flavors.find((f) => f.metadata.name === flavorName(A100))!);
    assert.deepEqual(flavorA100.spec.nodeLabels, { 'nvidia.com/gpu.product': A100 });

    const cq = await read<ClusterQueue>(clusterQueue);
    assert.equal(cq.metadata.name, clusterQueueName(ns.name));
    assert.equal(cq.spec.cohort, 'ks-gpu-ml');
    assert.deepEqual(cq.spec.namespaceSelector, { matchLabels: { 'kubernetes.io/metadata.name': ns.name } });
    const a100 = cq.spec.resourceGroups[0]!.flavors.find((f) => f.name === flavorName(A100))!;
    assert.deepEqual(a100.resources, [{ name: 'nvidia.com/gpu', nominalQuota: '2', borrowingLimit: '2' }]);
    const mig = cq.spec.resourceGroups[1]!.flavors[0]!;
    assert.equal(mig.name, ANY_MODEL_FLAVOR);
    assert.deepEqual(mig.resources, [
      { name: 'nvidia.com/mig-1g.10gb', nominalQuota: '1', borrowingLimit: '6' },
    ]);
    assert.deepEqual(readClusterQueue(cq, flavorModels([A100, H100])), rows.slice(0, 3));

    const lq = await read<LocalQueue>(localQueue);
    assert.deepEqual(
      [lq.metadata.name, lq.metadata.namespace, lq.spec.clusterQueue],
      [LOCAL_QUEUE_NAME, ns.name, clusterQueueName(ns.name)],
    );
  });

  it('pass the CRD’s CEL rule when several resources share per-model flavors', async () => {
    const { clusterQueue } = kueueObjects(`${ns.name}-multi`, [
      { resource: 'nvidia.com/gpu', model: A100, base: 1, max: 1 },
      { resource: 'nvidia.com/gpu.shared', model: H100, base: 2, max: 3 },
    ]);
    await apply(clusterQueue);
    cleanup.push(clusterQueue);
    const cq = await read<ClusterQueue>(clusterQueue);
    for (const flavor of cq.spec.resourceGroups[0]!.flavors) assert.equal(flavor.resources.length, 2);
  });
});

describe('Volcano queue', () => {
  it('is accepted with guarantee = deserved = base and capability = max', async () => {
    const queue = volcanoQueue(ns.name, rows);
    await apply(queue);
    cleanup.push(queue);
    const back = await read<VolcanoQueue>(queue);
    assert.deepEqual(back.spec.capability, { 'nvidia.com/gpu': '6', 'nvidia.com/mig-1g.10gb': '7' });
    assert.deepEqual(back.spec.guarantee.resource, { 'nvidia.com/gpu': '2', 'nvidia.com/mig-1g.10gb': '1' });
    assert.deepEqual(back.spec.deserved, back.spec.guarantee.resource);
    assert.deepEqual(readVolcanoQueue(back).totals.get('nvidia.com/gpu'), { base: 2, max: 6 });
  });
});

describe('KubeSphere workspace quota', () => {
  it('is accepted as quota.kubesphere.io/v1alpha2 with the workspace selector and our GPU keys', async () => {
    const workspace = uniqueName('gq-ws');
    const quota = kubesphereWorkspaceQuota(workspace, [{ resource: 'nvidia.com/gpu', base: 4, max: 10 }]);
    await apply(quota);
    cleanup.push(quota);
    const back = await read<KubeSphereWorkspaceQuota>(quota);
    assert.deepEqual(back.spec, {
      selector: { 'kubesphere.io/workspace': workspace },
      quota: { hard: { 'requests.nvidia.com/gpu': '10' } },
    });
  });
});
