import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeTrainJob } from '../../clients/ml-apps-kube.js';
import { trainJobView } from './trainjob-view.js';

const job = (status?: KubeTrainJob['status']): KubeTrainJob => ({
  metadata: { name: 'mnist', namespace: 'ns', creationTimestamp: new Date('2026-01-01T00:00:00Z') },
  spec: {
    runtimeRef: { kind: 'ClusterTrainingRuntime', name: 'torch' },
    trainer: {
      image: 'img',
      numNodes: 2,
      resourcesPerNode: { limits: { cpu: '1', 'nvidia.com/gpu': '2' } },
    },
  },
  ...(status ? { status } : {}),
});

const pod = (name: string, status: V1Pod['status'], node?: string): V1Pod => ({
  metadata: { name },
  spec: { containers: [], ...(node ? { nodeName: node } : {}) },
  status,
});
const ready = (name: string, node: string) =>
  pod(
    name,
    {
      phase: 'Running',
      containerStatuses: [{ name: 'n', image: 'i', imageID: '', ready: true, restartCount: 0 }],
    },
    node,
  );
const MESSAGE = '0/6 nodes are available: 6 Insufficient nvidia.com/gpu.';

test('one waiting node makes the job wait with its words; all running makes it run', () => {
  const waiting = pod('mnist-node-0-1', {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: MESSAGE }],
  });
  const view = trainJobView(job(), [waiting, ready('mnist-node-0-0', 'n1')], []);
  assert.deepEqual(view.status, { phase: 'waiting', reason: 'Unschedulable', message: MESSAGE });
  assert.deepEqual(
    view.replicas.map((r) => [r.pod, r.node, r.status.phase]),
    [
      ['mnist-node-0-0', 'n1', 'running'],
      ['mnist-node-0-1', undefined, 'waiting'],
    ],
  );
  assert.deepEqual(view.gpusPerNode, [{ resource: 'nvidia.com/gpu', count: 2 }]);
  const running = trainJobView(job(), [ready('a', 'n1'), ready('b', 'n2')], []);
  assert.deepEqual(running.status, { phase: 'running' });
});

test("Trainer's conditions come first; progress when reported", () => {
  const view = trainJobView(
    job({
      conditions: [{ type: 'Failed', status: 'True', reason: 'DeadlineExceeded', message: 'too long' }],
      trainerStatus: { progressPercentage: 70 },
    }),
    [ready('a', 'n1')],
    [],
  );
  assert.deepEqual(view.status, { phase: 'failed', reason: 'DeadlineExceeded', message: 'too long' });
  assert.deepEqual(view.progress, { percentage: 70 });
});

test('without pods, the newest warning about the TrainJob or its JobSet says why', () => {
  const event: CoreV1Event = {
    metadata: {},
    involvedObject: { kind: 'JobSet', name: 'mnist' },
    reason: 'FailedCreate',
    message: 'exceeded quota: gpus',
    lastTimestamp: new Date(),
  };
  assert.deepEqual(trainJobView(job(), [], [event]).status, {
    phase: 'waiting',
    reason: 'FailedCreate',
    message: 'exceeded quota: gpus',
  });
  assert.deepEqual(trainJobView(job(), [], []).status, { phase: 'waiting', reason: 'NoPod' });
});
