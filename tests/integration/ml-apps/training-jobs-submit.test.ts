// Training Operator v1 jobs (TFJob, PyTorchJob, XGBoostJob, MPIJob) through our backend against the sandbox's CRDs.
// No operator runs here: the test plays it where it matters, creating a replica's pod with the operator's labels,
// and the real scheduler says why it cannot be placed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, type V1PodSpec } from '@kubernetes/client-node';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, waitFor, writeStatus } from '../../sandbox/src/testing.js';
import type { ReplicaSpecManifest } from '../../../backend/src/features/ml-apps/training-job-manifest.js';
import { serveKueueVisibility } from '../../sandbox/stand-ins/kueue-visibility/register.js';
import { gpuQuota, useMlAppsBackend } from './ml-apps-backend.js';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);

const run = useMlAppsBackend();
const { cleanups } = run;

const api = run.resource('trainingjobs');

const replica = (type: string, replicas: number, gpus = 0) => ({
  type,
  replicas,
  image: 'sandbox.local/train:1',
  command: ['python', 'train.py'],
  cpu: 0.5,
  memory: '1Gi',
  ...(gpus ? { gpu: { resource: 'nvidia.com/gpu', count: gpus } } : {}),
});

/** One valid submit per kind, each with GPUs on its workers. */
const SUBMITS = {
  TFJob: { plural: 'tfjobs', field: 'tfReplicaSpecs', specs: [replica('PS', 1), replica('Worker', 2, 1)] },
  PyTorchJob: {
    plural: 'pytorchjobs',
    field: 'pytorchReplicaSpecs',
    specs: [replica('Master', 1, 1), replica('Worker', 2, 1)],
  },
  XGBoostJob: {
    plural: 'xgboostjobs',
    field: 'xgbReplicaSpecs',
    specs: [replica('Master', 1), replica('Worker', 2, 1)],
  },
  MPIJob: {
    plural: 'mpijobs',
    field: 'mpiReplicaSpecs',
    specs: [replica('Launcher', 1), replica('Worker', 2, 2)],
  },
} as const;

type Listed = {
  kind: string;
  name: string;
  status: { phase: string; reason?: string; message?: string };
  replicaTypes: { type: string; replicas: number; gpus: { resource: string; count: number }[] }[];
  replicas: { pod: string; type?: string; status: { phase: string; reason?: string; message?: string } }[];
};
const listed = async (ns: string, kind: string, name: string) => {
  const res = await api('GET', ns);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.items as Listed[]).find((j) => j.kind === kind && j.name === name);
};

const stored = (ns: string, plural: string, name: string) =>
  custom
    .getNamespacedCustomObject({ group: 'kubeflow.org', version: 'v1', plural, namespace: ns, name })
    .then(
      (o) =>
        o as {
          metadata: { annotations?: Record<string, string> };
          spec: Record<string, Record<string, ReplicaSpecManifest>>;
        },
      () => undefined,
    );

/** Submits a PyTorchJob through our API and answers the uid the apiserver gave it (what a Kueue Workload owns). */
const submitPyTorchJob = async (ns: string, name: string): Promise<string> => {
  const res = await api('POST', ns, '', { kind: 'PyTorchJob', name, replicaSpecs: SUBMITS.PyTorchJob.specs });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const job = (await custom.getNamespacedCustomObject({
    group: 'kubeflow.org',
    version: 'v1',
    plural: 'pytorchjobs',
    namespace: ns,
    name,
  })) as { metadata: { uid: string } };
  return job.metadata.uid;
};

/**
 * What Kueue makes of a job submitted to the LocalQueue team-gpus: the Workload `name` (owned by the PyTorchJob
 * `owner` when one is given), `count` pods in its pod set, not admitted for want of quota (`message`).
 */
const pendingWorkload = async (
  ns: string,
  name: string,
  { owner, count, message }: { owner?: { name: string; uid: string }; count: number; message: string },
) => {
  const KUEUE = { group: 'kueue.x-k8s.io', version: 'v1beta1', plural: 'workloads', namespace: ns };
  const controller = owner && {
    apiVersion: 'kubeflow.org/v1',
    kind: 'PyTorchJob',
    ...owner,
    controller: true,
  };
  await custom.createNamespacedCustomObject({
    ...KUEUE,
    body: {
      apiVersion: 'kueue.x-k8s.io/v1beta1',
      kind: 'Workload',
      metadata: { name, ...(controller ? { ownerReferences: [controller] } : {}) },
      spec: {
        queueName: 'team-gpus',
        podSets: [{ name: 'worker', count, template: { spec: { containers: [] } } }],
      },
    },
  });
  const reserved = { type: 'QuotaReserved', status: 'False', reason: 'Pending', message };
  await writeStatus(
    { ...KUEUE, name },
    { conditions: [{ ...reserved, lastTransitionTime: new Date().toISOString() }] },
  );
};

describe('v1 training jobs', () => {
  it('submits, lists and deletes each kind with its replica types, counts and GPUs', async () => {
    const ns = await createTestNamespace('ml-v1');
    cleanups.push(ns.remove);
    for (const [kind, { plural, field, specs }] of Object.entries(SUBMITS)) {
      const name = `${kind.toLowerCase()}-a`;
      const res = await api('POST', ns.name, '', {
        kind,
        name,
        replicaSpecs: specs,
        env: [{ name: 'E', value: '1' }],
      });
      assert.equal(res.status, 200, `${kind}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.kind, kind);
      // No operator, no pods: waiting, never running.
      assert.equal((res.body.status as { phase: string }).phase, 'waiting', kind);

      const object = await stored(ns.name, plural, name);
      assert.ok(object, `${kind} stored`);
      assert.equal(object.metadata.annotations?.['kubesphere.io/creator'], 'admin');
      const replicaSpecs = object.spec[field]!;
      assert.deepEqual(Object.keys(replicaSpecs).sort(), specs.map((s) => s.type).sort(), kind);
      const worker = replicaSpecs.Worker!;
      assert.equal(worker.replicas, 2);
      const container = worker.template.spec.containers[0]!;
      assert.deepEqual(container.command, ['python', 'train.py']);
      assert.deepEqual(container.env, [{ name: 'E', value: '1' }]);
      assert.equal(container.resources.limits['nvidia.com/gpu'], String(specs[1].gpu!.count));

      const row = await listed(ns.name, kind, name);
      assert.ok(row, `${kind} listed`);
      const workerRow = row.replicaTypes.find((r) => r.type === 'Worker');
      assert.deepEqual(workerRow, {
        type: 'Worker',
        replicas: 2,
        gpus: [{ resource: 'nvidia.com/gpu', count: specs[1].gpu!.count }],
      });

      assert.equal(
        (await api('POST', ns.name, '', { kind, name, replicaSpecs: specs })).status,
        409,
        'twice',
      );
      const del = await api('DELETE', ns.name, `/${name}?kind=${kind}`);
      assert.equal(del.status, 200, JSON.stringify(del.body));
      assert.equal(await stored(ns.name, plural, name), undefined, `${kind} deleted`);
      assert.equal((await api('DELETE', ns.name, `/${name}?kind=${kind}`)).status, 404);
    }
  });

  it('refuses what the kind does not take with a 400 naming the field, and a delete without a kind', async () => {
    const ns = await createTestNamespace('ml-v1bad');
    cleanups.push(ns.remove);
    const cases: [unknown, string][] = [
      [{ kind: 'PyTorchJob', name: 'x', replicaSpecs: [replica('PS', 1)] }, 'body.replicaSpecs.0.type'],
      [{ kind: 'MPIJob', name: 'x', replicaSpecs: [replica('Worker', 2)] }, 'body.replicaSpecs'],
      [{ kind: 'TFJob', name: 'x', replicaSpecs: [replica('Chief', 2)] }, 'body.replicaSpecs.0.replicas'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', ns.name, '', body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal((res.body.details as { field: string }).field, field);
    }
    const schema = await api('POST', ns.name, '', {
      kind: 'JAXJob',
      name: 'x',
      replicaSpecs: [replica('Worker', 1)],
    });
    assert.equal(schema.status, 400, JSON.stringify(schema.body));
    assert.equal((await api('DELETE', ns.name, '/x')).status, 400, 'kind is required');
    const listedJobs = (await api('GET', ns.name)).body.items as unknown[];
    assert.deepEqual(listedJobs, [], 'nothing created');
  });

  it('refuses a job whose replicas together pass the quota, with asked, used and max; creates nothing', async () => {
    const ns = await createTestNamespace('ml-v1q');
    cleanups.push(ns.remove);
    await gpuQuota(ns.name, 2);
    // Master 1 GPU + 2 workers × 1 GPU = 3 > 2, although each replica alone fits.
    const res = await api('POST', ns.name, '', {
      kind: 'PyTorchJob',
      name: 'big',
      replicaSpecs: SUBMITS.PyTorchJob.specs,
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.deepEqual((res.body.details as { refusals: unknown[] }).refusals, [
      { source: 'quota', resource: 'requests.nvidia.com/gpu', asked: 3, used: 0, max: 2, quota: 'gpus' },
    ]);
    assert.match(res.body.message as string, /3.*nvidia\.com\/gpu.*gpus.*2/);
    assert.equal(await stored(ns.name, 'pytorchjobs', 'big'), undefined);
  });

  it('a member of the project may submit; a viewer may list but not submit; another project is 403', async () => {
    const alice = sandboxUser('alice').token;
    const name = `alice-${Date.now().toString(36)}`;
    const body = { kind: 'TFJob', name, replicaSpecs: [replica('Worker', 1)] };
    const viewer = sandboxUser('viewer').token;
    assert.equal((await api('POST', 'alpha-train', '', body, viewer)).status, 403);
    const res = await api('POST', 'alpha-train', '', body, alice);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    cleanups.push(async () => void (await api('DELETE', 'alpha-train', `/${name}?kind=TFJob`)));
    assert.equal((await api('GET', 'alpha-train', '', undefined, viewer)).status, 200);
    assert.equal((await api('DELETE', 'alpha-train', `/${name}?kind=TFJob`, undefined, viewer)).status, 403);
    assert.equal((await api('POST', 'beta-research', '', body, alice)).status, 403, 'not her project');
  });

  it('a replica whose pod cannot be placed makes the job wait with the scheduler message verbatim', async () => {
    const ns = await createTestNamespace('ml-v1w');
    cleanups.push(ns.remove);
    const specs = [
      {
        ...replica('Worker', 1),
        gpu: { resource: 'nvidia.com/gpu', count: 1, model: 'NVIDIA-H100-80GB-HBM3' },
      },
    ];
    const res = await api('POST', ns.name, '', { kind: 'TFJob', name: 'tfw', replicaSpecs: specs });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // The operator's pod for Worker 0, with the job's template and its labels; asking for a node label no node has.
    const job = await stored(ns.name, 'tfjobs', 'tfw');
    const template = job!.spec.tfReplicaSpecs!.Worker!.template;
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: {
          name: 'tfw-worker-0',
          labels: {
            'training.kubeflow.org/job-name': 'tfw',
            'training.kubeflow.org/replica-type': 'worker',
            'training.kubeflow.org/replica-index': '0',
          },
        },
        spec: { ...(template.spec as V1PodSpec), nodeSelector: { 'ks-gpu-ml.test/none': 'x' } },
      },
    });
    let scheduler = '';
    await waitFor('the scheduler refuses the worker', async () => {
      const pod = await core.readNamespacedPod({ name: 'tfw-worker-0', namespace: ns.name });
      scheduler =
        pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message ?? '';
      return scheduler !== '';
    });
    const row = await listed(ns.name, 'TFJob', 'tfw');
    assert.deepEqual(row?.status, { phase: 'waiting', reason: 'Unschedulable', message: scheduler });
    assert.equal(row?.replicas[0]?.type, 'worker');
    assert.match(scheduler, /didn't match Pod's node affinity\/selector/);
  });

  it("a job Kueue has not admitted waits with Kueue's words and names its queue, not suspended", async () => {
    const ns = await createTestNamespace('ml-v1k');
    cleanups.push(ns.remove);
    const uid = await submitPyTorchJob(ns.name, 'queued');
    // What Kueue does: suspend the job, make its Workload, and say why it is not admitted yet.
    await writeStatus(
      { group: 'kubeflow.org', version: 'v1', plural: 'pytorchjobs', namespace: ns.name, name: 'queued' },
      { conditions: [{ type: 'Suspended', status: 'True', reason: 'JobSuspended' }] },
    );
    const name = 'pytorchjob-queued-7f3a1';
    const message =
      "couldn't assign flavors to pod set worker: insufficient unused quota for nvidia.com/gpu in flavor a100, 2 more needed";
    await pendingWorkload(ns.name, name, { owner: { name: 'queued', uid }, count: 2, message });
    const row = (await listed(ns.name, 'PyTorchJob', 'queued')) as Listed & { queue?: unknown };
    assert.deepEqual(row.status, { phase: 'waiting', reason: 'Pending', message });
    // No Kueue manager runs in the sandbox, so its visibility API (the queue position) is not served: the queue
    // says so instead of a position (the next test serves a stand-in of that API).
    assert.deepEqual(row.queue, {
      name: 'team-gpus',
      workload: name,
      admitted: false,
      positionUnavailable: 'not-served',
    });
  });

  it("with Kueue's visibility API served through the real aggregator, queued jobs show their places", async () => {
    // The stand-in answers as Kueue's visibility server would (PendingWorkloadsSummary, v1beta2), from the
    // Workloads and LocalQueues here; the kube-apiserver proxies to it as to Kueue's, after its own RBAC check.
    const visibility = await serveKueueVisibility(kc);
    try {
      const ours = await createTestNamespace('ml-v1q');
      const theirs = await createTestNamespace('ml-v1q-other');
      cleanups.push(ours.remove, theirs.remove);
      const clusterQueue = `sandbox-gpus-${ours.name}`;
      for (const ns of [theirs.name, ours.name]) {
        await custom.createNamespacedCustomObject({
          group: 'kueue.x-k8s.io',
          version: 'v1beta1',
          plural: 'localqueues',
          namespace: ns,
          body: {
            apiVersion: 'kueue.x-k8s.io/v1beta1',
            kind: 'LocalQueue',
            metadata: { name: 'team-gpus' },
            spec: { clusterQueue },
          },
        });
      }
      const queueWorkload = (ns: string, job: string, owner?: { name: string; uid: string }) =>
        pendingWorkload(ns, `pytorchjob-${job}-1a2b3`, {
          owner,
          count: 1,
          message: 'insufficient unused quota for nvidia.com/gpu in flavor a100',
        });
      // Another project's job queued first in the same ClusterQueue, then ours, one after the other (Kueue
      // orders by priority, then creation time, to the second).
      await queueWorkload(theirs.name, 'earlier');
      for (const job of ['first', 'second']) {
        await new Promise((r) => setTimeout(r, 1100));
        const uid = await submitPyTorchJob(ours.name, job);
        await queueWorkload(ours.name, job, { name: job, uid });
      }
      // The backend remembers an API's absence for 30 s (the previous test saw none): wait for it to see this one.
      const positions = await waitFor(
        "both jobs' places from the visibility API",
        async () => {
          const res = await api('GET', ours.name);
          const items = res.body.items as (Listed & { queue?: { position?: unknown } })[];
          const at = (job: string) => items.find((j) => j.name === job)?.queue?.position;
          return at('first') && at('second') ? { first: at('first'), second: at('second') } : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      assert.deepEqual(positions, {
        first: { inLocalQueue: 0, inClusterQueue: 1 },
        second: { inLocalQueue: 1, inClusterQueue: 2 },
      });
    } finally {
      await visibility.stop();
    }
  });
});
