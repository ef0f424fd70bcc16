// The gpu-quota API against the sandbox, through our own backend process (Kubernetes auth mode): quota admission
// follows the max set through the API, Kueue objects carry base/max, members read but cannot edit, the
// workspace split is enforced, and invalid bodies are refused naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminClients, createTestNamespace, gpuPod, uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { call, type BackendProcess } from '../backend/backend-process.js';
import { undoAfterTests } from '../backend/undo.js';
import { GROUP_PATH, startQuotaBackend } from './quota-backend.js';

const { core, objects } = adminClients();
const admin = () => sandboxUser('admin').token;

let backend: BackendProcess;
const cleanups = undoAfterTests();

const putProject = (ns: string, body: unknown, token = admin(), headers: Record<string, string> = {}) =>
  call(backend, 'PUT', `${GROUP_PATH}/namespaces/${ns}/gpuquotas`, { token, body, headers });
const getProject = (ns: string, token = admin()) =>
  call(backend, 'GET', `${GROUP_PATH}/namespaces/${ns}/gpuquotas`, { token });
const putWorkspace = (ws: string, body: unknown) =>
  call(backend, 'PUT', `${GROUP_PATH}/workspaces/${ws}/gpuquotas`, { token: admin(), body });

const read = (apiVersion: string, kind: string, name: string, namespace?: string) =>
  objects
    .read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } })
    .then((o) => o as KubernetesObject & { spec?: Record<string, unknown> })
    .catch(() => undefined);

/** Creates a 1-GPU pod; resolves with the apiserver's refusal message, or undefined when admitted. */
async function createGpuPod(ns: string, name: string): Promise<string | undefined> {
  try {
    await core.createNamespacedPod({ namespace: ns, body: gpuPod(name, ns, 1) });
    return undefined;
  } catch (err) {
    const body = (err as { body?: unknown }).body;
    return typeof body === 'string' ? body : JSON.stringify(body ?? String(err));
  }
}

before(async () => {
  backend = await startQuotaBackend('alice', 'alpha-train');
});
after(async () => assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0'));

describe('project quota through the API', () => {
  it('raising max admits the second GPU pod; quota admission rejects the third; Kueue objects follow', async () => {
    const ns = await createTestNamespace('gq-api');
    cleanups.push(ns.remove);

    let res = await putProject(ns.name, { resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 1 }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const rows = res.body.rows as {
      resource: string;
      max: number;
      enforcement: { base: { state: string } };
    }[];
    assert.deepEqual(
      rows.map((r) => [r.resource, r.max]),
      [['nvidia.com/gpu', 1]],
    );
    // The quota controller fills status.hard before admission counts against it.
    await waitFor('first GPU pod admitted', async () => (await createGpuPod(ns.name, 'p1')) === undefined);
    const refused = await createGpuPod(ns.name, 'p2');
    assert.match(refused ?? '', /exceeded quota: ks-gpu-ml-gpu-quota/);

    res = await putProject(ns.name, { resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    await waitFor(
      'second GPU pod admitted after raising max',
      async () => (await createGpuPod(ns.name, 'p2')) === undefined,
    );
    const third = await createGpuPod(ns.name, 'p3');
    assert.match(third ?? '', /exceeded quota: ks-gpu-ml-gpu-quota.*requests\.nvidia\.com\/gpu/);

    // Kueue is installed in the sandbox: base is enforced by a ClusterQueue in the shared cohort.
    assert.equal((res.body.enforcer as { enforcer: string }).enforcer, 'kueue');
    const enforcedRows = res.body.rows as { enforcement: { base: { state: string; by: string[] } } }[];
    assert.deepEqual(enforcedRows[0]!.enforcement.base, { state: 'enforced', by: ['kueue'] });
    const cq = await read('kueue.x-k8s.io/v1beta1', 'ClusterQueue', `ks-gpu-ml-${ns.name}`);
    assert.ok(cq, 'ClusterQueue written');
    const groups = cq.spec!.resourceGroups as {
      flavors: { name: string; resources: Record<string, string>[] }[];
    }[];
    assert.deepEqual(groups[0]!.flavors[0]!.resources[0], {
      name: 'nvidia.com/gpu',
      nominalQuota: '1',
      borrowingLimit: '1',
    });
    assert.equal(cq.spec!.cohort, 'ks-gpu-ml');
    const lq = await read('kueue.x-k8s.io/v1beta1', 'LocalQueue', 'gpu-quota', ns.name);
    assert.equal((lq?.spec as { clusterQueue?: string } | undefined)?.clusterQueue, `ks-gpu-ml-${ns.name}`);

    // GET shows use from the quota's status.
    const got = await getProject(ns.name);
    assert.equal(got.status, 200);
    assert.equal((got.body.rows as { used: number }[])[0]!.used, 2);
    assert.equal(got.body.canEdit, true);

    // Below use: refused without force, accepted with it and a warning.
    res = await putProject(ns.name, { resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 1 }] });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.equal((res.body.details as { field: string }).field, 'body.resources.0.max');
    res = await putProject(ns.name, {
      resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 1 }],
      force: true,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(
      (res.body.warnings as { code: string }[]).some((w) => w.code === 'GPU_QUOTA_MAX_BELOW_USED_FORCED'),
    );

    // Clearing the rows removes the project's queues and releases the quota keys.
    res = await putProject(ns.name, { resources: [] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(await read('kueue.x-k8s.io/v1beta1', 'ClusterQueue', `ks-gpu-ml-${ns.name}`), undefined);
    assert.equal(await read('kueue.x-k8s.io/v1beta1', 'LocalQueue', 'gpu-quota', ns.name), undefined);
    const rq = await core.readNamespacedResourceQuota({ name: 'ks-gpu-ml-gpu-quota', namespace: ns.name });
    assert.deepEqual(rq.spec?.hard ?? {}, {});
  });
});

describe('who may read and edit', () => {
  it('a project member (alice, edit on alpha-train) can GET but not PUT', async () => {
    const alice = sandboxUser('alice').token;
    const got = await getProject('alpha-train', alice);
    assert.equal(got.status, 200, JSON.stringify(got.body));
    assert.equal(got.body.canEdit, false);
    const put = await putProject('alpha-train', { resources: [] }, alice);
    assert.equal(put.status, 403, JSON.stringify(put.body));
    const details = put.body.details as Record<string, string>;
    assert.equal(details.verb, 'update');
    assert.equal(details.resource, 'gpuquotas');
    assert.match(String(put.body.message), /may not update gpuquotas.*alpha-train/);
  });

  it('the cluster view is for platform admins', async () => {
    const denied = await call(backend, 'GET', `${GROUP_PATH}/clusterquotaview`, {
      token: sandboxUser('alice').token,
    });
    assert.equal(denied.status, 403);
    const res = await call(backend, 'GET', `${GROUP_PATH}/clusterquotaview`, { token: admin() });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    assert.ok((res.body.resources as { resource: string }[]).some((r) => r.resource === 'nvidia.com/gpu'));
  });

  it('every signed-in user can read the GPU catalogue', async () => {
    const res = await call(backend, 'GET', `${GROUP_PATH}/gpuresources`, {
      token: sandboxUser('viewer').token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok((res.body.items as { resource: string }[]).some((r) => r.resource === 'nvidia.com/gpu'));
  });
});

describe('workspace split', () => {
  it('refuses a project max above what the workspace has left, naming the holders', async () => {
    const ws = uniqueName('gq-ws');
    const a = await createTestNamespace('gq-wsa', ws);
    const b = await createTestNamespace('gq-wsb', ws);
    cleanups.push(a.remove, b.remove, async () => void (await putWorkspace(ws, { resources: [] })));

    let res = await putWorkspace(ws, { resources: [{ resource: 'nvidia.com/gpu', base: 2, max: 4 }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await putProject(a.name, { resources: [{ resource: 'nvidia.com/gpu', base: 1, max: 3 }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));

    res = await putProject(b.name, { resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 2 }] });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(res.body.reason, 'Conflict');
    assert.equal((res.body.details as { field: string }).field, 'body.resources.0.max');
    assert.match(String(res.body.message), new RegExp(`Held by: ${a.name} \\(3\\)`));
    res = await putProject(b.name, { resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 1 }] });
    assert.equal(res.status, 200, JSON.stringify(res.body));

    // The workspace cannot drop below what its projects hold.
    res = await putWorkspace(ws, { resources: [{ resource: 'nvidia.com/gpu', base: 2, max: 3 }] });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.match(String(res.body.message), new RegExp(a.name));

    const view = await call(backend, 'GET', `${GROUP_PATH}/workspaces/${ws}/gpuquotas`, { token: admin() });
    assert.equal(view.status, 200);
    const split = (view.body.rows as { remainingMax: number; holders: { namespace: string }[] }[])[0]!;
    assert.equal(split.remainingMax, 0);
    assert.deepEqual(
      split.holders.map((h) => h.namespace),
      [a.name, b.name],
    );
    // Stored as KubeSphere's workspace quota (its CRD is installed in the sandbox).
    assert.equal(view.body.storage, 'kubesphere');
    const ksQuota = await read('quota.kubesphere.io/v1alpha2', 'ResourceQuota', ws);
    assert.deepEqual((ksQuota?.spec as { quota?: { hard?: unknown } }).quota?.hard, {
      'requests.nvidia.com/gpu': '4',
    });

    for (const ns of [a.name, b.name]) await putProject(ns, { resources: [] });
  });
});

describe('validation', () => {
  it('refuses invalid bodies with 400 naming the field, in the caller language', async () => {
    const ns = 'alpha-serve';
    let res = await putProject(ns, { resources: [{ resource: 'nvidia.com/gpu', base: 'two', max: 2 }] });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as { field: string }).field, 'body.resources.0.base');

    res = await putProject(ns, { resources: [{ resource: 'nvidia.com/gpu', base: 3, max: 2 }] });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as { field: string }).field, 'body.resources.0.base');
    assert.match(String(res.body.message), /base 3 of nvidia.com\/gpu is above max 2/);

    res = await putProject(ns, { resources: [{ resource: 'example.com/foo', base: 0, max: 1 }] }, admin(), {
      'accept-language': 'zh-CN',
    });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as { field: string }).field, 'body.resources.0.resource');
    assert.match(String(res.body.message), /不是 GPU 资源/);

    res = await putProject(ns, { resources: [{ resource: 'nvidia.com/mig-7g.80gb', base: 0, max: 1 }] });
    assert.equal(res.status, 400);
    assert.equal(
      (res.body.details as { problems: { code: string }[] }).problems[0]!.code,
      'GPU_QUOTA_MIG_UNAVAILABLE',
    );

    // Above GPU_QUOTA_MAX_AMOUNT: "1e+21" would reach the ResourceQuota, and sums would lose precision.
    res = await putProject(ns, { resources: [{ resource: 'nvidia.com/gpu', base: 0, max: 1e21 }] });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as { field: string }).field, 'body.resources.0.max');

    res = await putProject(ns, { resources: [], extra: true });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as { field: string }).field, 'body.extra');
  });
});
