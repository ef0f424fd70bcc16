// Notebooks through our backend against the sandbox. No Kubeflow controller runs here, so the test plays it:
// it creates the notebook's pod (`<name>-0`, labelled notebook-name, the notebook's pod spec) as the StatefulSet
// would, KWOK runs it on a fake GPU node, and the real scheduler refuses what cannot be placed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, waitFor, writeStatus } from '../../sandbox/src/testing.js';
import { bindClaim } from '../../sandbox/src/pvc-binder.js';
import { call } from '../backend/backend-process.js';
import { GROUP_PATH, gpuQuota, useMlAppsBackend } from './ml-apps-backend.js';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const NOTEBOOKS = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks' } as const;

const run = useMlAppsBackend();
const { cleanups } = run;

const api = run.resource('notebooks');

/** A create body: half a core, 1 GiB, no volume, and what the test adds. */
const notebook = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  image: 'sandbox.local/jupyter:1',
  cpu: 0.5,
  memory: '1Gi',
  workspaceVolume: { kind: 'none' },
  ...extra,
});

type Listed = { name: string; status: { phase: string; reason?: string; message?: string }; gpus: unknown[] };
const listed = async (ns: string, name: string) => {
  const res = await api('GET', ns);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.items as Listed[]).find((n) => n.name === name);
};

/** What the notebook controller's StatefulSet would create: pod `<name>-0` with the notebook's pod spec. */
async function playController(ns: string, name: string): Promise<V1Pod> {
  const notebook = (await custom.getNamespacedCustomObject({ ...NOTEBOOKS, namespace: ns, name })) as {
    spec: { template: { spec: V1Pod['spec'] } };
  };
  return core.createNamespacedPod({
    namespace: ns,
    body: {
      metadata: { name: `${name}-0`, labels: { 'notebook-name': name, statefulset: name } },
      spec: notebook.spec.template.spec,
    },
  });
}

const notebookGone = (ns: string, name: string) =>
  custom.getNamespacedCustomObject({ ...NOTEBOOKS, namespace: ns, name }).then(
    () => false,
    () => true,
  );

describe('operators', () => {
  it('lists each ML kind as installed exactly when the API server serves it', async () => {
    const res = await call(run.process, 'GET', `${GROUP_PATH}/mloperators`, {
      token: sandboxUser('alice').token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const items = res.body.items as {
      id: string;
      group: string;
      version: string;
      resource: string;
      installed: boolean;
    }[];
    for (const op of items) {
      const served = await custom
        .getAPIResources({ group: op.group, version: op.version })
        .then((list) => list.resources.some((r) => r.name === op.resource))
        .catch(() => false);
      assert.equal(op.installed, served, `${op.id} (${op.group}/${op.version})`);
    }
    assert.equal(items.find((o) => o.id === 'notebooks')?.installed, true);
  });
});

describe('notebook life cycle', () => {
  it('creates, runs, stops, starts and deletes a 1-GPU notebook; a project member may do the same', async () => {
    const testStart = Date.now();
    const ns = await createTestNamespace('ml-nb');
    cleanups.push(ns.remove);
    const body = notebook('nb1', {
      gpu: { resource: 'nvidia.com/gpu', count: 1, model: 'NVIDIA-A100-SXM4-80GB' },
      env: [{ name: 'GREETING', value: 'hi' }],
    });
    const created = await api('POST', ns.name, '', body);
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body.gpus, [
      { resource: 'nvidia.com/gpu', count: 1, model: 'NVIDIA-A100-SXM4-80GB' },
    ]);
    // Asked to run, no pod yet: waiting, not running.
    assert.equal((created.body.status as { phase: string }).phase, 'waiting');
    assert.equal((await api('POST', ns.name, '', body)).status, 409, 'the same name twice');

    await playController(ns.name, 'nb1');
    // The controller copies the pod's readiness into the status subresource.
    await writeStatus({ ...NOTEBOOKS, namespace: ns.name, name: 'nb1' }, { readyReplicas: 1 });
    await waitFor('notebook running', async () => (await listed(ns.name, 'nb1'))?.status.phase === 'running');
    // GPU-hours of this run: 1 GPU since the pod started, so at most the hours since the test began.
    const hours = ((await listed(ns.name, 'nb1')) as Listed & { gpuHours?: number }).gpuHours;
    assert.ok(
      hours !== undefined && hours >= 0 && hours <= (Date.now() - testStart) / 3_600_000 + 0.001,
      `${hours}`,
    );

    let res = await api('PATCH', ns.name, '/nb1', { stopped: true });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body.status as { phase: string }).phase, 'stopped');
    const stored = (await custom.getNamespacedCustomObject({
      ...NOTEBOOKS,
      namespace: ns.name,
      name: 'nb1',
    })) as {
      metadata: { annotations?: Record<string, string> };
    };
    assert.ok(stored.metadata.annotations?.['kubeflow-resource-stopped'], 'stop annotation written');

    res = await api('PATCH', ns.name, '/nb1', { stopped: false });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body.status as { phase: string }).phase, 'running');

    res = await api('DELETE', ns.name, '/nb1');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(await notebookGone(ns.name, 'nb1'));
    assert.equal((await api('DELETE', ns.name, '/nb1')).status, 404);

    // alice is a member (edit) of alpha-train: she may create there, and a viewer may only read.
    const alice = sandboxUser('alice').token;
    const mine = { ...body, name: `alice-${Date.now().toString(36)}`, gpu: undefined };
    const byAlice = await api('POST', 'alpha-train', '', mine, alice);
    assert.equal(byAlice.status, 200, JSON.stringify(byAlice.body));
    cleanups.push(async () => void (await api('DELETE', 'alpha-train', `/${mine.name}`)));
    const stored2 = (await custom.getNamespacedCustomObject({
      ...NOTEBOOKS,
      namespace: 'alpha-train',
      name: mine.name,
    })) as { metadata: { annotations?: Record<string, string> } };
    assert.equal(stored2.metadata.annotations?.['kubesphere.io/creator'], 'alice');
    const viewer = sandboxUser('viewer').token;
    assert.equal((await api('GET', 'alpha-train', '', undefined, viewer)).status, 200);
    assert.equal((await api('DELETE', 'alpha-train', `/${mine.name}`, undefined, viewer)).status, 403);
    assert.equal((await api('POST', 'beta-research', '', mine, alice)).status, 403, 'not her project');
  });
});

describe('pre-check', () => {
  it('refuses an over-quota notebook with asked, used and max, and creates nothing', async () => {
    const ns = await createTestNamespace('ml-quota');
    cleanups.push(ns.remove);
    await gpuQuota(ns.name, 1);
    const res = await api(
      'POST',
      ns.name,
      '',
      notebook('big', {
        gpu: { resource: 'nvidia.com/gpu', count: 2 },
        workspaceVolume: { kind: 'new', size: '1Gi' },
      }),
    );
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.deepEqual((res.body.details as { refusals: unknown[] }).refusals, [
      { source: 'quota', resource: 'requests.nvidia.com/gpu', asked: 2, used: 0, max: 1, quota: 'gpus' },
    ]);
    assert.match(res.body.message as string, /2.*nvidia\.com\/gpu.*gpus.*1/);
    assert.ok(await notebookGone(ns.name, 'big'), 'no notebook');
    const claims = await core.listNamespacedPersistentVolumeClaim({ namespace: ns.name });
    assert.deepEqual(claims.items, [], 'no workspace claim');
  });

  it('refuses more GPUs than any matching node has free, naming the free count', async () => {
    const ns = await createTestNamespace('ml-cap');
    cleanups.push(ns.remove);
    // H100s are on the whole-GPU nodes only, 8 each (the HAMi node's 40 vGPU slots are A100s).
    const gpu = { resource: 'nvidia.com/gpu', count: 9, model: 'NVIDIA-H100-80GB-HBM3' };
    const res = await api('POST', ns.name, '', notebook('huge', { gpu }));
    assert.equal(res.status, 409, JSON.stringify(res.body));
    const [refusal] = (res.body.details as { refusals: { source: string; asked: number; free: number }[] })
      .refusals;
    assert.equal(refusal?.source, 'capacity');
    assert.equal(refusal?.asked, 9);
    assert.ok(refusal.free <= 8, `free ${refusal.free}`);
    assert.ok(await notebookGone(ns.name, 'huge'));
  });
});

describe('workspace volumes', () => {
  it('a new workspace claim binds (a provisioner stand-in) and the notebook runs with it mounted', async () => {
    const ns = await createTestNamespace('ml-vol');
    cleanups.push(ns.remove);
    const created = await api(
      'POST',
      ns.name,
      '',
      notebook('nbv', { workspaceVolume: { kind: 'new', size: '2Gi' } }),
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const claim = await core.readNamespacedPersistentVolumeClaim({
      name: 'nbv-workspace',
      namespace: ns.name,
    });
    assert.equal(claim.spec?.resources?.requests?.storage, '2Gi');
    cleanups.push(await bindClaim(kc, ns.name, 'nbv-workspace'));
    const pod = await playController(ns.name, 'nbv');
    assert.ok(
      pod.spec?.volumes?.some((v) => v.persistentVolumeClaim?.claimName === 'nbv-workspace'),
      'the pod mounts the claim',
    );
    await writeStatus({ ...NOTEBOOKS, namespace: ns.name, name: 'nbv' }, { readyReplicas: 1 });
    await waitFor('the notebook running on its bound volume', async () => {
      const nb = await listed(ns.name, 'nbv');
      return nb?.status.phase === 'running' ? true : undefined;
    });
  });
});

describe('waiting notebooks', () => {
  it('a notebook whose pod is Pending is waiting with the scheduler message verbatim', async () => {
    const ns = await createTestNamespace('ml-wait');
    cleanups.push(ns.remove);
    // A new workspace claim: the sandbox has no provisioner for it, so the scheduler cannot place the pod.
    const created = await api(
      'POST',
      ns.name,
      '',
      notebook('nbw', { workspaceVolume: { kind: 'new', size: '1Gi' } }),
    );
    assert.equal(created.status, 200, JSON.stringify(created.body));
    await playController(ns.name, 'nbw');
    let scheduler = '';
    await waitFor('the scheduler refuses the pod', async () => {
      const pod = await core.readNamespacedPod({ name: 'nbw-0', namespace: ns.name });
      const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
      scheduler = cond?.message ?? '';
      return scheduler !== '';
    });
    const nb = await listed(ns.name, 'nbw');
    assert.deepEqual(nb?.status, { phase: 'waiting', reason: 'Unschedulable', message: scheduler });
    assert.match(scheduler, /unbound immediate PersistentVolumeClaims/);
  });

  it('a notebook whose pod quota admission refuses is waiting with the apiserver message verbatim', async () => {
    const ns = await createTestNamespace('ml-adm');
    cleanups.push(ns.remove);
    await gpuQuota(ns.name, 1);
    const gpu = { resource: 'nvidia.com/gpu', count: 1 };
    const created = await api('POST', ns.name, '', notebook('nbq', { gpu }));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    // Someone else takes the project's only GPU between the pre-check and the pod.
    await core.createNamespacedPod({ namespace: ns.name, body: gpuHolder('holder') });
    await waitFor('the quota counts the holder', async () => {
      const q = await core.readNamespacedResourceQuota({ name: 'gpus', namespace: ns.name });
      return q.status?.used?.['requests.nvidia.com/gpu'] === '1';
    });
    // The controller's StatefulSet: the real StatefulSet controller asks for the pod, quota admission refuses.
    const stored = (await custom.getNamespacedCustomObject({
      ...NOTEBOOKS,
      namespace: ns.name,
      name: 'nbq',
    })) as {
      spec: { template: { spec: V1Pod['spec'] } };
    };
    const labels = { 'notebook-name': 'nbq', statefulset: 'nbq' };
    await apps.createNamespacedStatefulSet({
      namespace: ns.name,
      body: {
        metadata: { name: 'nbq' },
        spec: {
          replicas: 1,
          serviceName: 'nbq',
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: stored.spec.template.spec! },
        },
      },
    });
    let refusal = '';
    await waitFor('quota admission refuses the StatefulSet pod', async () => {
      const events = await core.listNamespacedEvent({
        namespace: ns.name,
        fieldSelector: 'reason=FailedCreate',
      });
      refusal = events.items.find((e) => e.involvedObject.name === 'nbq')?.message ?? '';
      return refusal !== '';
    });
    assert.match(refusal, /exceeded quota: gpus/);
    await waitFor('the list shows the refusal', async () => {
      const nb = await listed(ns.name, 'nbq');
      return nb?.status.message === refusal;
    });
    assert.deepEqual((await listed(ns.name, 'nbq'))?.status, {
      phase: 'waiting',
      reason: 'FailedCreate',
      message: refusal,
    });
  });
});

/** A pod holding one GPU of the project's quota. */
const gpuHolder = (name: string): V1Pod => ({
  metadata: { name },
  spec: {
    containers: [
      {
        name: 'main',
        image: 'sandbox.local/holder:1',
        resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
      },
    ],
  },
});
