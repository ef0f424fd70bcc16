import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TrainingJobCreate } from '@ks-gpu-ml/contracts';
import type { V1Node, V1ResourceQuota } from '@kubernetes/client-node';
import type { KubeTrainingJob, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { createTrainingJob } from './training-job-create.js';
import { askOfTrainingJob, trainingJobManifest, type ReplicaSpecManifest } from './training-job-manifest.js';

const gpuNode = (name: string, gpus: number, model: string): V1Node => ({
  metadata: { name, labels: { 'nvidia.com/gpu.product': model } },
  status: { allocatable: { 'nvidia.com/gpu': String(gpus) } },
});

/** An in-memory cluster: two 4-GPU A100 nodes (one with 3 in use), one 8-GPU H100 node. */
function fakeKube(opts: { quotas?: V1ResourceQuota[]; existing?: boolean } = {}) {
  const created: { plural: string; version: string; body: KubeTrainingJob }[] = [];
  const kube = {
    getTrainingJob: async () =>
      opts.existing ? ({ metadata: { name: 'x' } } as KubeTrainingJob) : undefined,
    async createTrainingJob(_ns: string, plural: string, version: string, body: KubeTrainingJob) {
      created.push({ plural, version, body });
      return body;
    },
    resourceQuotas: async () => opts.quotas ?? [],
    namespaceExists: async () => true,
    nodes: async () => [gpuNode('a1', 4, 'A100'), gpuNode('a2', 4, 'A100'), gpuNode('h1', 8, 'H100')],
    placedRequests: async () => ({ a2: { 'nvidia.com/gpu': 3 } }),
  } as Partial<MlAppsKube> as MlAppsKube;
  return { kube, created };
}

const replica = (type: string, replicas: number, gpus?: number, model?: string) => ({
  type,
  replicas,
  image: 'pytorch/pytorch:2',
  command: ['torchrun', 'train.py'],
  cpu: 2,
  memory: '8Gi',
  ...(gpus ? { gpu: { resource: 'nvidia.com/gpu', count: gpus, ...(model ? { model } : {}) } } : {}),
});

const job = (extra: Partial<TrainingJobCreate> = {}): TrainingJobCreate => ({
  kind: 'PyTorchJob',
  name: 'mnist',
  replicaSpecs: [replica('Master', 1, 1), replica('Worker', 3, 2)],
  ...extra,
});

const refusal = (err: unknown) => {
  assert.ok(err instanceof AppError, String(err));
  return err;
};

test('a PyTorchJob becomes pytorchReplicaSpecs with the operator container name, requests = limits', () => {
  const manifest = trainingJobManifest('p1', job({ env: [{ name: 'A', value: '1' }] }), 'alice', 'v1');
  assert.equal(manifest.apiVersion, 'kubeflow.org/v1');
  assert.equal(manifest.kind, 'PyTorchJob');
  assert.equal(manifest.metadata?.annotations?.['kubesphere.io/creator'], 'alice');
  const specs = manifest.spec?.pytorchReplicaSpecs as Record<string, ReplicaSpecManifest>;
  assert.deepEqual(Object.keys(specs), ['Master', 'Worker']);
  assert.equal(specs.Worker!.replicas, 3);
  const container = specs.Worker!.template.spec.containers[0]!;
  assert.equal(container.name, 'pytorch');
  assert.deepEqual(container.command, ['torchrun', 'train.py']);
  assert.deepEqual(container.env, [{ name: 'A', value: '1' }]);
  assert.deepEqual(container.resources.requests, { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '2' });
  assert.deepEqual(container.resources.limits, container.resources.requests);
  const tf = trainingJobManifest(
    'p1',
    job({ kind: 'TFJob', replicaSpecs: [replica('Worker', 2, 1, 'A100')] }),
    'a',
    'v1',
  );
  const worker = (tf.spec?.tfReplicaSpecs as Record<string, ReplicaSpecManifest>).Worker!.template.spec;
  assert.equal(worker.containers[0]!.name, 'tensorflow');
  assert.deepEqual(worker.nodeSelector, { 'nvidia.com/gpu.product': 'A100' });
});

test('the ask sums every replica: pods, CPU, memory, GPUs', () => {
  assert.deepEqual(askOfTrainingJob(job()), {
    pods: 4,
    cpu: 8,
    memory: 4 * 8 * 2 ** 30,
    'nvidia.com/gpu': 7,
  });
});

test('submits in the served version when the replicas fit', async () => {
  const { kube, created } = fakeKube();
  await createTrainingJob(
    kube,
    'p1',
    job({ kind: 'MPIJob', replicaSpecs: [replica('Launcher', 1), replica('Worker', 2, 4)] }),
    'alice',
    'v2beta1',
  );
  assert.equal(created.length, 1);
  assert.equal(created[0]!.plural, 'mpijobs');
  assert.equal(created[0]!.body.apiVersion, 'kubeflow.org/v2beta1');
});

test('replica types the kind does not take are a 400 naming the field; nothing is created', async () => {
  const { kube, created } = fakeKube();
  const cases: [TrainingJobCreate, string, string][] = [
    [job({ replicaSpecs: [replica('PS', 1)] }), 'body.replicaSpecs.0.type', 'ML_APPS_REPLICA_UNKNOWNTYPE'],
    [
      job({ replicaSpecs: [replica('Worker', 1), replica('Worker', 2)] }),
      'body.replicaSpecs.1.type',
      'ML_APPS_REPLICA_DUPLICATETYPE',
    ],
    [
      job({ replicaSpecs: [replica('Master', 2)] }),
      'body.replicaSpecs.0.replicas',
      'ML_APPS_REPLICA_SINGLEREPLICA',
    ],
    [
      job({ kind: 'XGBoostJob', replicaSpecs: [replica('Worker', 2)] }),
      'body.replicaSpecs',
      'ML_APPS_REPLICA_REQUIREDTYPE',
    ],
    [
      job({ replicaSpecs: [{ ...replica('Worker', 1), gpu: { resource: 'amd.com/gpu', count: 1 } }] }),
      'body.replicaSpecs.0.gpu.resource',
      'ML_APPS_UNKNOWN_GPU',
    ],
  ];
  for (const [input, field, key] of cases) {
    const err = refusal(await createTrainingJob(kube, 'p1', input, 'a', 'v1').catch((e) => e));
    assert.equal(err.statusCode, 400, key);
    assert.equal(err.key, key);
    assert.equal(err.details.field, field, key);
  }
  assert.equal(created.length, 0);
});

test('over quota: a 409 with asked (all replicas), used and max; nothing is created', async () => {
  const hard = { 'requests.nvidia.com/gpu': '8' };
  const { kube, created } = fakeKube({
    quotas: [
      {
        metadata: { name: 'gpus' },
        spec: { hard },
        status: { hard, used: { 'requests.nvidia.com/gpu': '2' } },
      },
    ],
  });
  const err = refusal(await createTrainingJob(kube, 'p1', job(), 'a', 'v1').catch((e) => e));
  assert.equal(err.statusCode, 409);
  assert.equal(err.key, 'ML_APPS_PRECHECK_JOB_QUOTA');
  assert.deepEqual((err.details.refusals as unknown[])[0], {
    source: 'quota',
    resource: 'requests.nvidia.com/gpu',
    asked: 7,
    used: 2,
    max: 8,
    quota: 'gpus',
  });
  assert.equal(created.length, 0);
});

test('capacity: every GPU pod must fit a matching node; the refusal says how many GPUs could run now', async () => {
  const { kube, created } = fakeKube();
  // A100 free: a1 4, a2 1. Workers of 2 on A100: two fit on a1, the third nowhere.
  const input = job({ replicaSpecs: [replica('Master', 1, 1, 'A100'), replica('Worker', 3, 2, 'A100')] });
  const err = refusal(await createTrainingJob(kube, 'p1', input, 'a', 'v1').catch((e) => e));
  assert.equal(err.statusCode, 409);
  assert.equal(err.key, 'ML_APPS_PRECHECK_JOB_CAPACITY');
  assert.deepEqual(err.details.refusals, [
    { source: 'capacity', resource: 'nvidia.com/gpu', asked: 7, free: 5 },
  ]);
  // Without the model the H100 node takes the workers.
  await createTrainingJob(kube, 'p1', job(), 'a', 'v1');
  assert.equal(created.length, 1);
});

test('a name taken by a job of the kind is a 409', async () => {
  const { kube } = fakeKube({ existing: true });
  const err = refusal(await createTrainingJob(kube, 'p1', job(), 'a', 'v1').catch((e) => e));
  assert.equal(err.statusCode, 409);
  assert.equal(err.key, 'ML_APPS_TRAININGJOB_EXISTS');
});
