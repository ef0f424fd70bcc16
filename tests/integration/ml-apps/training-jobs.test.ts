// Training Operator v1 jobs through our backend against the sandbox: a TFJob and a PyTorchJob made as a user
// makes them (kubectl), their replica pods as the operator makes them (labels job-name, replica-type and -index;
// KWOK runs them, the scheduler refuses what cannot be placed), their status written through /status.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, waitFor, writeStatus } from '../../sandbox/src/testing.js';
import { call } from '../backend/backend-process.js';
import { GROUP_PATH, useMlAppsBackend } from './ml-apps-backend.js';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const V1 = { group: 'kubeflow.org', version: 'v1' } as const;

const run = useMlAppsBackend();
const { cleanups } = run;

type Listed = {
  kind: string;
  name: string;
  status: { phase: string; reason?: string; message?: string };
  replicaTypes: { type: string; replicas: number; gpus: unknown[] }[];
  replicas: { pod: string; type?: string; index?: string; status: { phase: string } }[];
};
const list = async (ns: string) => {
  const res = await call(run.process, 'GET', `${GROUP_PATH}/namespaces/${ns}/trainingjobs`, {
    token: sandboxUser('admin').token,
  });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { kinds: string[]; items: Listed[] };
};

const template = (container: string, gpus?: number) => ({
  spec: {
    containers: [
      {
        name: container,
        image: 'sandbox.local/trainer:1',
        ...(gpus
          ? {
              resources: {
                requests: { 'nvidia.com/gpu': String(gpus) },
                limits: { 'nvidia.com/gpu': String(gpus) },
              },
            }
          : {}),
      },
    ],
  },
});

const replicaPod = (
  job: string,
  type: string,
  index: number,
  extra: Partial<NonNullable<V1Pod['spec']>> = {},
): V1Pod => ({
  metadata: {
    name: `${job}-${type}-${index}`,
    labels: {
      'training.kubeflow.org/job-name': job,
      'training.kubeflow.org/replica-type': type,
      'training.kubeflow.org/replica-index': String(index),
    },
  },
  spec: { containers: [{ name: 'main', image: 'sandbox.local/trainer:1' }], ...extra },
});

describe('Training Operator v1 jobs', () => {
  it('lists a TFJob with its replica types and pods (waiting while a worker cannot be placed) and a finished PyTorchJob', async () => {
    const ns = await createTestNamespace('ml-v1');
    cleanups.push(ns.remove);
    await custom.createNamespacedCustomObject({
      ...V1,
      plural: 'tfjobs',
      namespace: ns.name,
      body: {
        apiVersion: 'kubeflow.org/v1',
        kind: 'TFJob',
        metadata: { name: 'mnist' },
        spec: {
          tfReplicaSpecs: {
            PS: { replicas: 1, template: template('tensorflow') },
            Worker: { replicas: 2, template: template('tensorflow', 1) },
          },
        },
      },
    });
    await custom.createNamespacedCustomObject({
      ...V1,
      plural: 'pytorchjobs',
      namespace: ns.name,
      body: {
        apiVersion: 'kubeflow.org/v1',
        kind: 'PyTorchJob',
        metadata: { name: 'bert' },
        spec: { pytorchReplicaSpecs: { Master: { replicas: 1, template: template('pytorch') } } },
      },
    });
    for (const body of [
      replicaPod('mnist', 'ps', 0),
      replicaPod('mnist', 'worker', 0),
      replicaPod('mnist', 'worker', 1, { nodeSelector: { 'nvidia.com/gpu.product': 'no-such-gpu' } }),
    ]) {
      await core.createNamespacedPod({ namespace: ns.name, body });
    }
    await writeStatus(
      { ...V1, plural: 'pytorchjobs', namespace: ns.name, name: 'bert' },
      {
        conditions: [
          { type: 'Created', status: 'True', reason: 'PyTorchJobCreated' },
          { type: 'Succeeded', status: 'True', reason: 'PyTorchJobSucceeded', message: 'done' },
        ],
      },
    );

    let scheduler = '';
    await waitFor('the scheduler refuses worker 1', async () => {
      const pod = await core.readNamespacedPod({ name: 'mnist-worker-1', namespace: ns.name });
      scheduler =
        pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False')?.message ?? '';
      return scheduler !== '';
    });
    await waitFor('ps and worker 0 run', async () => {
      const mnist = (await list(ns.name)).items.find((j) => j.name === 'mnist');
      return mnist?.replicas.filter((r) => r.status.phase === 'running').length === 2;
    });
    const answer = await list(ns.name);
    assert.deepEqual(answer.kinds, ['TFJob', 'PyTorchJob', 'XGBoostJob', 'MPIJob']);
    const mnist = answer.items.find((j) => j.name === 'mnist')!;
    assert.equal(mnist.kind, 'TFJob');
    assert.deepEqual(mnist.status, { phase: 'waiting', reason: 'Unschedulable', message: scheduler });
    assert.deepEqual(mnist.replicaTypes, [
      { type: 'PS', replicas: 1, gpus: [] },
      { type: 'Worker', replicas: 2, gpus: [{ resource: 'nvidia.com/gpu', count: 1 }] },
    ]);
    assert.deepEqual(
      mnist.replicas.map((r) => [r.pod, r.type, r.index, r.status.phase]),
      [
        ['mnist-ps-0', 'ps', '0', 'running'],
        ['mnist-worker-0', 'worker', '0', 'running'],
        ['mnist-worker-1', 'worker', '1', 'waiting'],
      ],
    );
    const bert = answer.items.find((j) => j.name === 'bert')!;
    assert.deepEqual(
      [bert.kind, bert.status],
      ['PyTorchJob', { phase: 'succeeded', reason: 'PyTorchJobSucceeded', message: 'done' }],
    );
  });
});
