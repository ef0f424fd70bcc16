import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Pod } from '@kubernetes/client-node';
import type { KubeTrainingJob } from '../../clients/ml-apps-kube.js';
import { trainingJobView } from './training-job-view.js';

const tfjob = (conditions?: { type: string; status: string; reason?: string }[]): KubeTrainingJob => ({
  metadata: { name: 'mnist', namespace: 'ns' },
  spec: {
    runPolicy: {},
    tfReplicaSpecs: {
      Worker: {
        replicas: 2,
        template: {
          spec: {
            containers: [{ name: 'tensorflow', resources: { limits: { 'nvidia.com/gpu': '1', cpu: '2' } } }],
          },
        },
      },
      PS: { replicas: 1, template: { spec: { containers: [{ name: 'tensorflow' }] } } },
    },
  },
  ...(conditions ? { status: { conditions } } : {}),
});

const pod = (type: string, index: string, phase: string, scheduled = true): V1Pod => ({
  metadata: {
    name: `mnist-${type.toLowerCase()}-${index}`,
    labels: {
      'training.kubeflow.org/replica-type': type.toLowerCase(),
      'training.kubeflow.org/replica-index': index,
    },
  },
  spec: { containers: [], nodeName: scheduled ? 'n1' : undefined },
  status: {
    phase,
    ...(scheduled
      ? {
          containerStatuses: [
            { name: 't', image: 'i', imageID: '', ready: phase === 'Running', restartCount: 0 },
          ],
        }
      : {
          conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no GPU' }],
        }),
  },
});

test('replica types with counts and GPUs; each pod with its type and index; a waiting pod makes the job wait', () => {
  const view = trainingJobView(
    'TFJob',
    tfjob([{ type: 'Running', status: 'True' }]),
    [pod('Worker', '0', 'Running'), pod('Worker', '1', 'Pending', false), pod('PS', '0', 'Running')],
    [],
  );
  assert.deepEqual(view.replicaTypes, [
    { type: 'PS', replicas: 1, gpus: [] },
    { type: 'Worker', replicas: 2, gpus: [{ resource: 'nvidia.com/gpu', count: 1 }] },
  ]);
  assert.deepEqual(view.status, { phase: 'waiting', reason: 'Unschedulable', message: 'no GPU' });
  assert.deepEqual(
    view.replicas.map((r) => [r.type, r.index, r.status.phase]),
    [
      ['ps', '0', 'running'],
      ['worker', '0', 'running'],
      ['worker', '1', 'waiting'],
    ],
  );
});

test("the operator's Succeeded or Failed condition decides over pods", () => {
  const view = trainingJobView(
    'TFJob',
    tfjob([{ type: 'Succeeded', status: 'True', reason: 'TFJobSucceeded' }]),
    [],
    [],
  );
  assert.deepEqual(view.status, { phase: 'succeeded', reason: 'TFJobSucceeded' });
});
