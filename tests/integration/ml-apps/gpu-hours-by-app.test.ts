// GPU-hours by app and by user (issue 16, docs/adr/0041) end to end on real-shaped series: a notebook created
// through our backend (which writes `kubesphere.io/creator`), a PyTorchJob created as KubeSphere's apiserver
// would (the annotation set on POST), and a bare pod, each holding GPUs. Their pods carry the labels the notebook
// controller and the Training Operator put on them; the sandbox's kube-state-metrics stand-in exports the pod
// labels and, from the chart's own custom-resource config, each app's creator; the real Prometheus runs the
// chart's accounting rules; the gpu-monitoring API reports the hours. Each app's and each user's hours must equal
// its GPUs × the minutes the rules recorded. Waits for rule evaluations (1 min), never for a fixed time.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { GPU_MONITORING_GROUP, ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { ACCOUNTING_INTERVAL_SECONDS } from '../../../backend/src/features/gpu-monitoring/queries.js';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { SCRAPE_INTERVAL_SECONDS } from '../../sandbox/src/monitoring.js';
import { adminKubeConfig, createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { num, query, ruleGroups } from '../gpu-monitoring/prometheus.js';
import { GROUP_PATH } from './ml-apps-backend.js';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const admin = sandboxUser('admin').token;
const HOURS_PATH = `/kapis/${GPU_MONITORING_GROUP}/v1alpha1/namespaces`;
const SAMPLES = 3;
const ACCOUNTING_GROUP = 'gpu-monitoring.accounting';

/** The apps: GPUs per pod and their pods, as their controllers would label them. */
const NOTEBOOK = 'lab';
const JOB = 'bert';
const LOOSE = 'loose';

interface HoursRow {
  appKind?: string;
  app?: string;
  user?: string;
  allocatedByResource: Record<string, number>;
  allocatedGpuHours: number;
  utilizedGpuHours: number;
}

function gpuPodOf(name: string, labels: Record<string, string>, gpus: number): V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      nodeSelector: { 'nvidia.com/gpu.count': '8' },
      containers: [
        {
          name: 'main',
          image: 'sandbox.local/train:1',
          resources: {
            requests: { 'nvidia.com/gpu': String(gpus) },
            limits: { 'nvidia.com/gpu': String(gpus) },
          },
        },
      ],
    },
  };
}

const lastEvaluation = async (): Promise<number> => {
  const group = (await ruleGroups()).find((g) => g.name === ACCOUNTING_GROUP);
  assert.ok(group, `rule group ${ACCOUNTING_GROUP} loaded`);
  const errors = group.rules.filter((r) => r.lastError).map((r) => `${r.name}: ${r.lastError}`);
  assert.deepEqual(errors, [], 'accounting rules evaluate without errors');
  return Date.parse(group.lastEvaluation) / 1000;
};

describe('GPU-hours by app and by user from real-shaped kube-state-metrics series', () => {
  let backend: BackendProcess;
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let start = 0;
  let end = 0;
  const pods: string[] = [];
  /** Recorded minutes of each app's allocation series, by app name. */
  const minutes = new Map<string, number>();

  const report = async (groupBy: 'app' | 'user') => {
    const res = await call(
      backend,
      'GET',
      `${HOURS_PATH}/${ns.name}/gpuhours?start=${start}&end=${end}&groupBy=${groupBy}`,
      { token: admin },
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return (res.body as { rows: HoursRow[] }).rows;
  };

  before(async () => {
    await applyFeatureRbac(kc, ROUTE_TABLE, readSandboxUsers());
    backend = await startBackend({
      FEATURES: 'ml-apps,gpu-monitoring',
      IDENTITY_CACHE_TTL_MS: '1000',
      AUTHZ_CACHE_TTL_MS: '0',
    });
    ns = await createTestNamespace('gpuh-app', uniqueName('gpuh-app-ws'));
    start = Math.floor(Date.now() / 1000) - 1;

    // The notebook through our backend, as the admin: it writes kubesphere.io/creator=admin.
    const created = await call(backend, 'POST', `${GROUP_PATH}/namespaces/${ns.name}/notebooks`, {
      token: admin,
      body: {
        name: NOTEBOOK,
        image: 'sandbox.local/jupyter:1',
        cpu: 0.5,
        memory: '1Gi',
        gpu: { resource: 'nvidia.com/gpu', count: 1 },
        workspaceVolume: { kind: 'none' },
      },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    // The job as ks-apiserver stores what alice POSTs through it: with her creator annotation.
    await custom.createNamespacedCustomObject({
      group: 'kubeflow.org',
      version: 'v1',
      plural: 'pytorchjobs',
      namespace: ns.name,
      body: {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata: { name: JOB, annotations: { 'kubesphere.io/creator': 'alice' } },
        spec: {
          pytorchReplicaSpecs: {
            Worker: {
              replicas: 2,
              template: { spec: { containers: [{ name: 'pytorch', image: 'sandbox.local/train:1' }] } },
            },
          },
        },
      },
    });
    // kube-state-metrics (the stand-in, from the chart's config) exports both creators before any pod runs.
    await waitFor(
      'kube_customresource_ml_app_creator of both apps in Prometheus',
      async () => {
        const rows = await query(`kube_customresource_ml_app_creator{namespace="${ns.name}"}`);
        const seen = rows
          .map((r) => `${r.metric.customresource_kind}/${r.metric.name}=${r.metric.creator}`)
          .sort();
        return seen.length === 2 ? seen : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    ).then((seen) => assert.deepEqual(seen, [`Notebook/${NOTEBOOK}=admin`, `PyTorchJob/${JOB}=alice`]));

    // The pods their controllers would make (none runs here), and one pod of no app.
    const op = { 'training.kubeflow.org/operator-name': 'pytorchjob-controller' };
    const bodies = [
      gpuPodOf(`${NOTEBOOK}-0`, { 'notebook-name': NOTEBOOK, statefulset: NOTEBOOK }, 1),
      gpuPodOf(`${JOB}-worker-0`, { ...op, 'training.kubeflow.org/job-name': JOB }, 1),
      gpuPodOf(`${JOB}-worker-1`, { ...op, 'training.kubeflow.org/job-name': JOB }, 1),
      gpuPodOf(LOOSE, {}, 2),
    ];
    for (const body of bodies) {
      await core.createNamespacedPod({ namespace: ns.name, body });
      pods.push(body.metadata!.name!);
    }
    await waitFor(
      'the four GPU pods Running (5 free nvidia.com/gpu on the 8-GPU nodes)',
      async () =>
        (await core.listNamespacedPod({ namespace: ns.name })).items.filter(
          (p) => p.status?.phase === 'Running',
        ).length === bodies.length,
      { timeoutMs: 90_000, intervalMs: 500 },
    );

    const series = `app:gpu_requested:sum{namespace="${ns.name}"}`;
    await waitFor(
      `${SAMPLES} accounting samples of every app (${series})`,
      async () => {
        const rows = await query(`count_over_time(${series}[1h])`);
        return rows.length === 3 && rows.every((r) => num(r) >= SAMPLES) ? true : undefined;
      },
      { timeoutMs: (SAMPLES + 3) * ACCOUNTING_INTERVAL_SECONDS * 1000, intervalMs: 5000 },
    ).catch(async (error: Error) => {
      const rows = await query(`count_over_time(${series}[1h])`).catch(() => []);
      throw new Error(
        `${error.message}\nrecorded: ${JSON.stringify(rows.map((r) => [r.metric, r.value[1]]))}`,
      );
    });

    for (const name of pods)
      await core.deleteNamespacedPod({ name, namespace: ns.name, gracePeriodSeconds: 0 });
    const stoppedAt = Date.now() / 1000;
    await waitFor(
      'an accounting evaluation after the pods stopped',
      async () => (await lastEvaluation()) > stoppedAt + SCRAPE_INTERVAL_SECONDS + 1,
      { timeoutMs: 3 * ACCOUNTING_INTERVAL_SECONDS * 1000, intervalMs: 2000 },
    );
    end = Math.ceil(Date.now() / 1000);
    for (const row of await query(`count_over_time(${series}[${end - start}s])`, end)) {
      minutes.set(row.metric.app!, num(row));
    }
  });
  after(async () => {
    for (const name of pods)
      await core.deleteNamespacedPod({ name, namespace: ns.name }).catch(() => undefined);
    await ns?.remove();
    if (backend) assert.equal(await backend.stop(), 0);
  });

  /** GPUs × recorded minutes, in hours. */
  const expected = (app: string, gpus: number) =>
    (gpus * (minutes.get(app) ?? NaN) * ACCOUNTING_INTERVAL_SECONDS) / 3600;
  const close = (a: number | undefined, b: number, what: string) =>
    assert.ok(a !== undefined && Math.abs(a - b) < 1e-9, `${what}: ${a} GPU-h, expected ${b}`);

  it('by app: each notebook, job and bare pod under its own name and kind, GPUs × its recorded minutes', async () => {
    assert.ok(
      [NOTEBOOK, JOB, LOOSE].every((a) => (minutes.get(a) ?? 0) >= SAMPLES),
      JSON.stringify([...minutes]),
    );
    const rows = await report('app');
    assert.deepEqual(
      rows.map((r) => `${r.appKind}/${r.app}`).sort(),
      [`Notebook/${NOTEBOOK}`, `Pod/${LOOSE}`, `PyTorchJob/${JOB}`],
      JSON.stringify(rows),
    );
    const row = (app: string) => rows.find((r) => r.app === app)?.allocatedGpuHours;
    close(row(NOTEBOOK), expected(NOTEBOOK, 1), 'the notebook');
    close(row(JOB), expected(JOB, 2), 'the job, both workers');
    close(row(LOOSE), expected(LOOSE, 2), 'the bare pod');
  });

  it('by user: the creator of each app, and the bare pod in the row without a user', async () => {
    const rows = await report('user');
    const row = (user: string | undefined) => rows.find((r) => r.user === user)?.allocatedGpuHours;
    assert.deepEqual(
      rows.map((r) => r.user ?? '(none)').sort(),
      ['(none)', 'admin', 'alice'],
      JSON.stringify(rows),
    );
    close(row('admin'), expected(NOTEBOOK, 1), 'admin (the notebook)');
    close(row('alice'), expected(JOB, 2), 'alice (the job)');
    close(row(undefined), expected(LOOSE, 2), 'no user (the bare pod)');
  });

  it('as CSV, by user: one line per user with the same hours', async () => {
    const response = await fetch(
      `${backend.url}${HOURS_PATH}/${ns.name}/gpuhours?start=${start}&end=${end}&groupBy=user&format=csv`,
      { headers: { authorization: `Bearer ${admin}` } },
    );
    assert.equal(response.status, 200);
    const [header, ...lines] = (await response.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    assert.match(header ?? '', /^User,Allocated GPU-hours,/);
    const alice = lines.find((l) => l.startsWith('alice,'))?.split(',');
    assert.ok(alice, lines.join('\n'));
    assert.ok(Math.abs(Number(alice[1]) - expected(JOB, 2)) < 1e-4, alice.join(','));
  });
});
