// Kubeflow Trainer v2 TrainJobs through our backend against the sandbox. No Trainer controller runs here, so the
// test plays it: it makes the JobSet's pods (labelled jobset-name, KWOK runs them, the real scheduler refuses
// what cannot be placed) and writes the TrainJob's status through the status subresource.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import {
  adminClients,
  createClusterTrainingRuntime,
  createTestNamespace,
  uniqueName,
  waitFor,
  writeStatus,
} from '../../sandbox/src/testing.js';
import { gpuQuota, useMlAppsBackend } from './ml-apps-backend.js';

const { core, custom } = adminClients();
const TRAINER = { group: 'trainer.kubeflow.org', version: 'v1alpha1' } as const;
const TRAINJOBS = { ...TRAINER, plural: 'trainjobs' } as const;
const runtime = uniqueName('torch');

const run = useMlAppsBackend(async (cleanups) => {
  cleanups.push(await createClusterTrainingRuntime(runtime));
});
const { cleanups } = run;

const api = run.resource('trainjobs');

/** A submit body: nodes × (half a core, 1 GiB, the GPUs given) on the test's runtime. */
const trainJob = (name: string, numNodes: number, extra: Record<string, unknown> = {}) => ({
  name,
  runtimeRef: { kind: 'ClusterTrainingRuntime', name: runtime },
  image: 'sandbox.local/pytorch:2',
  command: ['torchrun', 'train.py'],
  numNodes,
  cpu: 0.5,
  memory: '1Gi',
  ...extra,
});

type Listed = {
  name: string;
  status: { phase: string; reason?: string; message?: string };
  replicas: { pod: string; node?: string; status: { phase: string; reason?: string; message?: string } }[];
  gpusPerNode: unknown[];
  progress?: { percentage?: number; estimatedRemainingSeconds?: number };
};
const listed = async (ns: string, name: string) => {
  const res = await api('GET', ns);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return (res.body.items as Listed[]).find((j) => j.name === name);
};

/** A node's pod of the TrainJob's JobSet, as the JobSet controller would make it. */
const nodePod = (job: string, index: number, extra: Partial<NonNullable<V1Pod['spec']>> = {}): V1Pod => ({
  metadata: { name: `${job}-node-0-${index}`, labels: { 'jobset.sigs.k8s.io/jobset-name': job } },
  spec: {
    containers: [
      {
        name: 'node',
        image: 'sandbox.local/pytorch:2',
        resources: { requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
      },
    ],
    ...extra,
  },
});

const gone = (ns: string, name: string) =>
  custom.getNamespacedCustomObject({ ...TRAINJOBS, namespace: ns, name }).then(
    () => false,
    () => true,
  );

describe('TrainJob life cycle', () => {
  it('submits a 2-node 1-GPU job; waiting, then running on two nodes, then succeeded with progress; deleted', async () => {
    const ns = await createTestNamespace('ml-tj');
    cleanups.push(ns.remove);
    const gpu = { resource: 'nvidia.com/gpu', count: 1 };
    const created = await api('POST', ns.name, '', trainJob('mnist', 2, { gpu }));
    assert.equal(created.status, 200, JSON.stringify(created.body));
    assert.deepEqual(created.body.gpusPerNode, [{ resource: 'nvidia.com/gpu', count: 1 }]);
    assert.deepEqual(created.body.status, { phase: 'waiting', reason: 'NoPod' });
    const stored = (await custom.getNamespacedCustomObject({
      ...TRAINJOBS,
      namespace: ns.name,
      name: 'mnist',
    })) as {
      spec: { runtimeRef: { name: string }; trainer: { numNodes: number; resourcesPerNode: unknown } };
    };
    assert.equal(stored.spec.runtimeRef.name, runtime);
    assert.equal(stored.spec.trainer.numNodes, 2);
    assert.equal((await api('POST', ns.name, '', trainJob('mnist', 2, { gpu }))).status, 409, 'same name');

    // One node's pod cannot be placed: the job waits with the scheduler's words, never running.
    await core.createNamespacedPod({ namespace: ns.name, body: nodePod('mnist', 0) });
    await core.createNamespacedPod({
      namespace: ns.name,
      body: nodePod('mnist', 1, { nodeSelector: { 'nvidia.com/gpu.product': 'no-such-gpu' } }),
    });
    let scheduler = '';
    await waitFor('the scheduler refuses node 1', async () => {
      const pod = await core.readNamespacedPod({ name: 'mnist-node-0-1', namespace: ns.name });
      scheduler =
        pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message ?? '';
      return scheduler !== '';
    });
    await waitFor('node 0 runs', async () => {
      const job = await listed(ns.name, 'mnist');
      return job?.replicas.find((r) => r.pod === 'mnist-node-0-0')?.status.phase === 'running';
    });
    let job = await listed(ns.name, 'mnist');
    assert.deepEqual(job?.status, { phase: 'waiting', reason: 'Unschedulable', message: scheduler });
    assert.ok(job?.replicas[0]?.node, 'the running node names its node');

    // Both nodes run: the job runs.
    await core.deleteNamespacedPod({ name: 'mnist-node-0-1', namespace: ns.name, gracePeriodSeconds: 0 });
    await waitFor('the refused pod is gone', async () =>
      core.readNamespacedPod({ name: 'mnist-node-0-1', namespace: ns.name }).then(
        () => false,
        () => true,
      ),
    );
    await core.createNamespacedPod({ namespace: ns.name, body: nodePod('mnist', 1) });
    await waitFor('the job runs', async () => (await listed(ns.name, 'mnist'))?.status.phase === 'running');

    // Trainer reports progress, then completion, through the status subresource.
    const status = (body: Record<string, unknown>) =>
      writeStatus({ ...TRAINJOBS, namespace: ns.name, name: 'mnist' }, body);
    await status({ trainerStatus: { progressPercentage: 40, estimatedRemainingSeconds: 600 } });
    assert.deepEqual((await listed(ns.name, 'mnist'))?.progress, {
      percentage: 40,
      estimatedRemainingSeconds: 600,
    });
    const now = new Date().toISOString();
    await status({
      conditions: [
        {
          type: 'Complete',
          status: 'True',
          reason: 'JobsCompleted',
          message: 'done',
          lastTransitionTime: now,
        },
      ],
    });
    job = await listed(ns.name, 'mnist');
    assert.deepEqual(job?.status, { phase: 'succeeded', reason: 'JobsCompleted', message: 'done' });

    assert.equal((await api('DELETE', ns.name, '/mnist')).status, 200);
    assert.ok(await gone(ns.name, 'mnist'));
    assert.equal((await api('DELETE', ns.name, '/mnist')).status, 404);
  });

  it('a runtime that does not exist is a 404 naming the field; nothing is created', async () => {
    const ns = await createTestNamespace('ml-tj-rt');
    cleanups.push(ns.remove);
    const res = await api('POST', ns.name, '', {
      ...trainJob('nort', 1),
      runtimeRef: { kind: 'ClusterTrainingRuntime', name: 'no-such-runtime' },
    });
    assert.equal(res.status, 404, JSON.stringify(res.body));
    assert.equal((res.body.details as { field: string }).field, 'body.runtimeRef.name');
    assert.ok(await gone(ns.name, 'nort'));
  });
});

describe('TrainJob initializers', () => {
  it('fetches a dataset first where the runtime has that initializer; refuses one it lacks, naming the field', async () => {
    const ns = await createTestNamespace('ml-tj-init');
    cleanups.push(ns.remove);
    // A project runtime shaped as Trainer's torchtune ones: a dataset-initializer job before the trainer's.
    const withInit = uniqueName('tune');
    await custom.createNamespacedCustomObject({
      ...TRAINER,
      plural: 'trainingruntimes',
      namespace: ns.name,
      body: {
        apiVersion: 'trainer.kubeflow.org/v1alpha1',
        kind: 'TrainingRuntime',
        metadata: { name: withInit },
        spec: {
          template: {
            spec: {
              replicatedJobs: ['dataset-initializer', 'node'].map((step) => ({
                name: step,
                template: {
                  metadata: {
                    labels: {
                      'trainer.kubeflow.org/trainjob-ancestor-step': step === 'node' ? 'trainer' : step,
                    },
                  },
                  spec: {
                    template: { spec: { containers: [{ name: step, image: 'sandbox.local/pytorch:2' }] } },
                  },
                },
              })),
            },
          },
        },
      },
    });
    const dataset = { storageUri: 'hf://tatsu-lab/alpaca' };
    const refused = await api('POST', ns.name, '', trainJob('noinit', 1, { initializer: { dataset } }));
    assert.equal(refused.status, 400, JSON.stringify(refused.body));
    assert.equal((refused.body.details as { field: string }).field, 'body.initializer.dataset');
    assert.ok(await gone(ns.name, 'noinit'), 'nothing created');

    const created = await api('POST', ns.name, '', {
      ...trainJob('tune', 1, { initializer: { dataset } }),
      runtimeRef: { kind: 'TrainingRuntime', name: withInit },
    });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const stored = (await custom.getNamespacedCustomObject({
      ...TRAINJOBS,
      namespace: ns.name,
      name: 'tune',
    })) as {
      spec: { initializer?: unknown };
    };
    assert.deepEqual(stored.spec.initializer, { dataset });
    assert.deepEqual(((await listed(ns.name, 'tune')) as Listed & { initializer?: unknown }).initializer, {
      dataset,
    });
  });
});

describe('TrainJob pre-check', () => {
  it('counts every node against the quota: 2 nodes × 2 GPUs over a max of 3 is refused with the numbers', async () => {
    const ns = await createTestNamespace('ml-tj-q');
    cleanups.push(ns.remove);
    await gpuQuota(ns.name, 3);
    const res = await api(
      'POST',
      ns.name,
      '',
      trainJob('big', 2, { gpu: { resource: 'nvidia.com/gpu', count: 2 } }),
    );
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.deepEqual((res.body.details as { refusals: unknown[] }).refusals, [
      { source: 'quota', resource: 'requests.nvidia.com/gpu', asked: 4, used: 0, max: 3, quota: 'gpus' },
    ]);
    assert.ok(await gone(ns.name, 'big'));
  });

  it('refuses more whole-node GPUs than the matching nodes have free, naming what is usable', async () => {
    const ns = await createTestNamespace('ml-tj-c');
    cleanups.push(ns.remove);
    // H100s: the whole-GPU nodes of that model only, 8 each; 3 nodes × 8 cannot fit on two.
    const gpu = { resource: 'nvidia.com/gpu', count: 8, model: 'NVIDIA-H100-80GB-HBM3' };
    const res = await api('POST', ns.name, '', trainJob('wide', 3, { gpu }));
    assert.equal(res.status, 409, JSON.stringify(res.body));
    const [refusal] = (res.body.details as { refusals: { source: string; asked: number; free: number }[] })
      .refusals;
    assert.equal(refusal?.source, 'capacity');
    assert.equal(refusal?.asked, 24);
    assert.ok(refusal.free < 24 && refusal.free % 8 === 0, `usable ${refusal.free}`);
    assert.ok(await gone(ns.name, 'wide'));
  });
});
