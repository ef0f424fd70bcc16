// Issue 12's attacks on quota authority and integrity, against the sandbox through our backend process
// (docs/adr/0013): the workspace admin on its own workspace and beyond it, a project claiming the cluster's
// guarantee, two writers racing for the rest, a blanked annotation, a foreign LocalQueue, and a queue write
// refused by admission half-way through a save.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AdmissionregistrationV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { kueueObjects } from '../../../backend/src/features/gpu-quota/kueue.js';
import { GPU_QUOTA_ANNOTATION } from '../../../backend/src/features/gpu-quota/resourcequota.js';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { call, type BackendProcess } from '../backend/backend-process.js';
import { undoAfterTests } from '../backend/undo.js';
import { GROUP_PATH, startQuotaBackend } from './quota-backend.js';

const GPU = 'nvidia.com/gpu';
const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const objects = KubernetesObjectApi.makeApiClient(kc);
const token = (user: string) => sandboxUser(user).token;

let backend: BackendProcess;
const cleanups = undoAfterTests();

const quota = (base: number, max: number, extra: Record<string, unknown> = {}) => ({
  resources: [{ resource: GPU, base, max }],
  ...extra,
});
const putProject = (ns: string, body: unknown, user = 'admin') =>
  call(backend, 'PUT', `${GROUP_PATH}/namespaces/${ns}/gpuquotas`, { token: token(user), body });
const getProject = (ns: string, user = 'admin') =>
  call(backend, 'GET', `${GROUP_PATH}/namespaces/${ns}/gpuquotas`, { token: token(user) });
const putWorkspace = (ws: string, body: unknown, user = 'admin') =>
  call(backend, 'PUT', `${GROUP_PATH}/workspaces/${ws}/gpuquotas`, { token: token(user), body });
const getWorkspace = (ws: string, user = 'admin') =>
  call(backend, 'GET', `${GROUP_PATH}/workspaces/${ws}/gpuquotas`, { token: token(user) });
const clear = (ns: string) => () => putProject(ns, { resources: [] });

/** What is left of the cluster's guarantee of nvidia.com/gpu (any model), from the cluster view. */
async function unguaranteed(): Promise<number> {
  const view = await call(backend, 'GET', `${GROUP_PATH}/clusterquotaview`, { token: token('admin') });
  const rows = view.body.resources as {
    resource: string;
    model?: string;
    allocatable: number;
    sumBase: number;
  }[];
  const gpu = rows.find((r) => r.resource === GPU && r.model === undefined)!;
  return gpu.allocatable - gpu.sumBase;
}

/** The first problem's code of a refusal with problems (400, 409). */
const codeOf = (res: { body: Record<string, unknown> }) =>
  (res.body.details as { problems?: { code: string }[] } | undefined)?.problems?.[0]?.code;

before(async () => {
  backend = await startQuotaBackend('ws-admin', 'alpha-serve');
});
after(async () => assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0'));

describe('who may set which quota', () => {
  it("ws-admin cannot edit its own workspace's GPU quota, and the console is not offered to", async () => {
    const view = await getWorkspace('ws-alpha', 'ws-admin');
    assert.equal(view.status, 200, JSON.stringify(view.body));
    assert.equal(view.body.canEdit, false);
    const put = await putWorkspace('ws-alpha', quota(0, 100), 'ws-admin');
    assert.equal(put.status, 403, JSON.stringify(put.body));
    assert.match(String(put.body.message), /only a platform administrator sets workspace GPU quotas/);
  });

  it('ws-admin sets a project quota only within the workspace quota', async () => {
    cleanups.push(clear('alpha-serve'), () => putWorkspace('ws-alpha', { resources: [] }));
    let res = await putProject('alpha-serve', quota(0, 1), 'ws-admin');
    assert.equal(res.status, 403, 'no workspace quota: ' + JSON.stringify(res.body));
    assert.equal((await getProject('alpha-serve', 'ws-admin')).body.canEdit, false);

    res = await putWorkspace('ws-alpha', quota(1, 2));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await putProject('alpha-serve', quota(1, 2), 'ws-admin');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    res = await putProject('alpha-serve', quota(1, 3), 'ws-admin');
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(codeOf(res), 'GPU_QUOTA_WORKSPACE_OVERFLOW');
    res = await putProject('alpha-serve', { ...quota(1, 2), allowBaseOvercommit: true }, 'ws-admin');
    assert.equal(res.status, 403, JSON.stringify(res.body));
    await clear('alpha-serve')();
    await putWorkspace('ws-alpha', { resources: [] });
  });
});

describe("the cluster's guarantee", () => {
  it('a project cannot claim more base than the cluster can guarantee, unless a platform admin over-commits explicitly', async () => {
    const ns = await createTestNamespace('gq-claim');
    cleanups.push(ns.remove, clear(ns.name));
    const left = await unguaranteed();
    let res = await putProject(ns.name, quota(left + 1, left + 1));
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal(codeOf(res), 'GPU_QUOTA_CLUSTER_OVERCOMMIT');
    res = await putProject(ns.name, quota(left + 1, left + 1, { allowBaseOvercommit: true }));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(
      (res.body.warnings as { code: string }[]).some((w) => w.code === 'GPU_QUOTA_OVERCOMMIT_ACCEPTED'),
    );
    await waitFor('the cluster view marks the over-commitment', async () => (await unguaranteed()) < 0);
    await clear(ns.name)();
  });

  it('two concurrent writers cannot both take the rest of it', async () => {
    const [x, y] = await Promise.all([createTestNamespace('gq-race'), createTestNamespace('gq-race')]);
    cleanups.push(x.remove, y.remove, clear(x.name), clear(y.name));
    const half = Math.floor((await unguaranteed()) / 2) + 1;
    const results = await Promise.all([
      putProject(x.name, quota(half, half)),
      putProject(y.name, quota(half, half)),
    ]);
    assert.deepEqual(
      results.map((r) => r.status).sort(),
      [200, 409],
      JSON.stringify(results.map((r) => r.body)),
    );
    await Promise.all([clear(x.name)(), clear(y.name)()]);
  });
});

describe('two backend replicas', () => {
  it('cannot both take the rest of the guarantee (the write generation, not only the in-process lock)', async () => {
    const second = await startQuotaBackend('ws-admin', 'alpha-serve');
    cleanups.push(async () => assert.equal(await second.stop(), 0));
    const [x, y] = await Promise.all([createTestNamespace('gq-rep'), createTestNamespace('gq-rep')]);
    cleanups.push(x.remove, y.remove, clear(x.name), clear(y.name));
    const half = Math.floor((await unguaranteed()) / 2) + 1;
    const put = (b: typeof backend, ns: string) =>
      call(b, 'PUT', `${GROUP_PATH}/namespaces/${ns}/gpuquotas`, {
        token: token('admin'),
        body: quota(half, half),
      });
    const results = await Promise.all([put(backend, x.name), put(second, y.name)]);
    assert.deepEqual(
      results.map((r) => r.status).sort(),
      [200, 409],
      JSON.stringify(results.map((r) => r.body)),
    );
    await Promise.all([clear(x.name)(), clear(y.name)()]);
  });
});

describe('integrity', () => {
  it('a blanked annotation on the ResourceQuota frees no base of the workspace', async () => {
    const ws = uniqueName('gq-ws');
    const [a, b] = await Promise.all([
      createTestNamespace('gq-hold', ws),
      createTestNamespace('gq-hold', ws),
    ]);
    cleanups.push(
      a.remove,
      b.remove,
      () => putWorkspace(ws, { resources: [] }),
      clear(a.name),
      clear(b.name),
    );
    assert.equal((await putWorkspace(ws, quota(2, 2))).status, 200);
    assert.equal((await putProject(a.name, quota(2, 2))).status, 200);
    // What a project admin with ResourceQuota rights can do to the object in its namespace.
    await core.patchNamespacedResourceQuota(
      {
        name: 'ks-gpu-ml-gpu-quota',
        namespace: a.name,
        body: [{ op: 'remove', path: `/metadata/annotations/${GPU_QUOTA_ANNOTATION.replace('/', '~1')}` }],
      },
      undefined,
    );
    const res = await putProject(b.name, quota(1, 1));
    assert.equal(res.status, 409, JSON.stringify(res.body));
    const view = await getWorkspace(ws);
    assert.ok(
      (view.body.warnings as { code: string }[]).some((w) => w.code === 'GPU_QUOTA_HOLDINGS_MISMATCH'),
    );
    await clear(a.name)();
    await putWorkspace(ws, { resources: [] });
  });

  it('clearing a quota leaves a LocalQueue of the same name that someone else made, and says so', async () => {
    const ns = await createTestNamespace('gq-foreign');
    cleanups.push(ns.remove);
    const localQueue = {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'LocalQueue',
      metadata: { name: 'gpu-quota', namespace: ns.name },
      spec: { clusterQueue: 'team-made-by-hand' },
    };
    await objects.patch(localQueue, undefined, undefined, 'kubectl', true, PatchStrategy.ServerSideApply);
    const res = await putProject(ns.name, { resources: [] });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const kept = (res.body.warnings as { code: string; params: { kind: string } }[]).filter(
      (w) => w.code === 'GPU_QUOTA_FOREIGN_OBJECT_KEPT',
    );
    assert.deepEqual(
      kept.map((w) => w.params.kind),
      ['LocalQueue'],
    );
    const still = await objects.read(localQueue);
    assert.equal(
      (still as unknown as { spec: { clusterQueue: string } }).spec.clusterQueue,
      'team-made-by-hand',
    );
  });
});

describe('a save that fails half-way', () => {
  it('the ClusterQueue write refused by admission: the ResourceQuota is undone, the answer says so, the next save works', async () => {
    const ns = await createTestNamespace('gq-halfway');
    cleanups.push(ns.remove, clear(ns.name));
    assert.equal((await putProject(ns.name, quota(0, 1))).status, 200);

    // A real admission rejection of exactly this project's ClusterQueue.
    const admission = kc.makeApiClient(AdmissionregistrationV1Api);
    const name = uniqueName('gq-deny-cq');
    const queueName = `ks-gpu-ml-${ns.name}`;
    await admission.createValidatingAdmissionPolicy({
      body: {
        metadata: { name },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ['kueue.x-k8s.io'],
                apiVersions: ['*'],
                operations: ['CREATE', 'UPDATE'],
                resources: ['clusterqueues'],
              },
            ],
          },
          // Only the new amount (max 2 → borrowingLimit 2) is refused: writing the old one back is allowed.
          validations: [
            {
              expression:
                `object.metadata.name != '${queueName}' || !object.spec.resourceGroups.exists(g, ` +
                `g.flavors.exists(f, f.resources.exists(r, has(r.borrowingLimit) && string(r.borrowingLimit) == '2')))`,
              message: 'denied by test',
            },
          ],
        },
      },
    });
    cleanups.push(() => admission.deleteValidatingAdmissionPolicy({ name }));
    await admission.createValidatingAdmissionPolicyBinding({
      body: { metadata: { name }, spec: { policyName: name, validationActions: ['Deny'] } },
    });
    const unbind = () => admission.deleteValidatingAdmissionPolicyBinding({ name });
    cleanups.push(unbind);
    const probe = kueueObjects(ns.name, quota(0, 2).resources).clusterQueue as KubernetesObject;
    await waitFor('the policy refuses the ClusterQueue', async () =>
      objects
        .patch(probe, undefined, 'All', 'probe', true, PatchStrategy.ServerSideApply)
        .then(() => false)
        .catch((err: { code?: number }) => err.code === 422 || err.code === 403 || err.code === 400),
    );

    const res = await putProject(ns.name, quota(0, 2));
    assert.equal(res.status, 502, JSON.stringify(res.body));
    assert.equal((res.body.details as { rolledBack?: boolean }).rolledBack, true);
    assert.match(String(res.body.message), /were undone; the quota is as before/);
    const rq = await core.readNamespacedResourceQuota({ name: 'ks-gpu-ml-gpu-quota', namespace: ns.name });
    assert.deepEqual(rq.spec?.hard, { 'requests.nvidia.com/gpu': '1' });
    const view = await getProject(ns.name);
    assert.deepEqual(
      (view.body.rows as { max: number }[]).map((r) => r.max),
      [1],
    );

    await unbind();
    await waitFor('the policy lets the ClusterQueue through again', async () =>
      objects
        .patch(probe, undefined, 'All', 'probe', true, PatchStrategy.ServerSideApply)
        .then(() => true)
        .catch(() => false),
    );
    const again = await putProject(ns.name, quota(0, 2));
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });
});
