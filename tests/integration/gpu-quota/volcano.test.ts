// GPU_QUOTA_ENFORCER=volcano, through our own backend process against the sandbox (Kueue and Volcano CRDs both
// installed, so `auto` would pick Kueue): a project quota PUT through the API becomes a Volcano Queue with
// guarantee = base and capability = max, no Kueue object is written, and the answers say Volcano enforces base.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { ensureCrds } from './crds.js';

const GROUP_PATH = '/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1';
const VOLCANO = 'scheduling.volcano.sh/v1beta1';
const KUEUE = 'kueue.x-k8s.io/v1beta1';
const kc = adminKubeConfig();
const objects = KubernetesObjectApi.makeApiClient(kc);
const token = () => sandboxUser('admin').token;

interface Queue extends KubernetesObject {
  spec: {
    capability: Record<string, string>;
    deserved: Record<string, string>;
    guarantee: { resource: Record<string, string> };
  };
}
interface Answer {
  enforcer: { enforcer: string; setting: string; installed: string[] };
  rows: { resource: string; base: number; max: number; enforcement: { base: unknown; max: unknown } }[];
  warnings: { code: string }[];
}

const read = <T extends KubernetesObject>(
  apiVersion: string,
  kind: string,
  name: string,
  namespace?: string,
) =>
  objects
    .read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })
    .then((o) => o as T)
    .catch(() => undefined);

let backend: BackendProcess;
let ns: Awaited<ReturnType<typeof createTestNamespace>>;

before(async () => {
  const crds = await ensureCrds(kc, ['kueue', 'volcano']);
  assert.ok(crds.includes('queues.scheduling.volcano.sh') && crds.includes('clusterqueues.kueue.x-k8s.io'));
  backend = await startBackend({ FEATURES: 'gpu-quota', GPU_QUOTA_ENFORCER: 'volcano' });
  ns = await createTestNamespace('gq-volcano');
});
after(async () => {
  // The Queue is cluster-scoped: it does not go with the namespace.
  if (ns) {
    await objects
      .delete({ apiVersion: VOLCANO, kind: 'Queue', metadata: { name: `ks-gpu-ml-${ns.name}` } })
      .catch(() => undefined);
    await ns.remove();
  }
  assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0');
});

describe('GPU_QUOTA_ENFORCER=volcano', () => {
  it('a project quota PUT through the API becomes a Volcano Queue: guarantee = base, capability = max', async () => {
    const path = `${GROUP_PATH}/namespaces/${ns.name}/gpuquotas`;
    const put = await call(backend, 'PUT', path, {
      token: token(),
      body: {
        resources: [
          { resource: 'nvidia.com/gpu', base: 1, max: 3 },
          { resource: 'nvidia.com/mig-1g.10gb', base: 2, max: 5 },
          // HAMi amounts never go to a queue (Volcano does not limit them): their max is HAMi's.
          { resource: 'nvidia.com/gpumem', base: 0, max: 20480 },
        ],
      },
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));

    const queue = await read<Queue>(VOLCANO, 'Queue', `ks-gpu-ml-${ns.name}`);
    assert.ok(queue, 'Volcano Queue written');
    assert.deepEqual(queue.spec.guarantee.resource, { 'nvidia.com/gpu': '1', 'nvidia.com/mig-1g.10gb': '2' });
    assert.deepEqual(queue.spec.capability, { 'nvidia.com/gpu': '3', 'nvidia.com/mig-1g.10gb': '5' });
    assert.deepEqual(queue.spec.deserved, queue.spec.guarantee.resource);
    // Kueue is installed too, but not chosen: nothing of Kueue's for this project.
    assert.equal(await read(KUEUE, 'ClusterQueue', `ks-gpu-ml-${ns.name}`), undefined);
    assert.equal(await read(KUEUE, 'LocalQueue', 'gpu-quota', ns.name), undefined);

    const get = await call(backend, 'GET', path, { token: token() });
    assert.equal(get.status, 200, JSON.stringify(get.body));
    const answer = get.body as unknown as Answer;
    assert.equal(answer.enforcer.enforcer, 'volcano');
    assert.equal(answer.enforcer.setting, 'volcano');
    assert.deepEqual([...answer.enforcer.installed].sort(), ['kueue', 'volcano']);
    const gpu = answer.rows.find((r) => r.resource === 'nvidia.com/gpu')!;
    assert.deepEqual([gpu.base, gpu.max], [1, 3]);
    assert.deepEqual(gpu.enforcement.base, { state: 'enforced', by: ['volcano'] });
    assert.deepEqual(gpu.enforcement.max, { state: 'enforced', by: ['resourcequota', 'volcano'] });
    assert.ok(!answer.warnings.some((w) => w.code.startsWith('GPU_QUOTA_BASE_NOT_ENFORCED')));

    // Clearing the quota removes the project's Queue.
    const cleared = await call(backend, 'PUT', path, { token: token(), body: { resources: [] } });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(await read(VOLCANO, 'Queue', `ks-gpu-ml-${ns.name}`), undefined);
  });
});
