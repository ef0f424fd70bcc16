import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import { notebookStatus } from './notebook-status.js';

const notebook = (extra: Partial<KubeNotebook['metadata']> = {}, status?: KubeNotebook['status']) =>
  ({ metadata: { name: 'nb', namespace: 'ns', ...extra }, ...(status ? { status } : {}) }) as KubeNotebook;

const pod = (status: V1Pod['status']): V1Pod => ({ metadata: { name: 'nb-0' }, status });

const event = (kind: string, name: string, reason: string, message: string, at: string): CoreV1Event => ({
  metadata: { creationTimestamp: new Date(at) },
  involvedObject: { kind, name },
  reason,
  message,
  lastTimestamp: new Date(at),
});

const UNSCHEDULABLE = '0/6 nodes are available: 6 Insufficient nvidia.com/gpu.';

test('a Pending pod the scheduler refused is waiting with its message verbatim, never running', () => {
  // The controller may already report a ready replica from before: the pod decides.
  const status = notebookStatus(
    notebook({}, { readyReplicas: 1 }),
    pod({
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: UNSCHEDULABLE },
      ],
    }),
    [],
  );
  assert.deepEqual(status, { phase: 'waiting', reason: 'Unschedulable', message: UNSCHEDULABLE });
});

test('an image pull error is the waiting reason', () => {
  const status = notebookStatus(
    notebook(),
    pod({
      phase: 'Pending',
      conditions: [{ type: 'PodScheduled', status: 'True' }],
      containerStatuses: [
        {
          name: 'nb',
          image: 'x',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { waiting: { reason: 'ErrImagePull', message: 'pull access denied for x' } },
        },
      ],
    }),
    [],
  );
  assert.deepEqual(status, { phase: 'waiting', reason: 'ErrImagePull', message: 'pull access denied for x' });
});

test('without a pod, the newest warning about its StatefulSet (quota admission) says why', () => {
  const quota = 'create Pod nb-0 in StatefulSet nb failed error: pods "nb-0" is forbidden: exceeded quota: q';
  const status = notebookStatus(notebook(), undefined, [
    event('StatefulSet', 'nb', 'FailedCreate', 'older', '2026-01-01T00:00:00Z'),
    event('StatefulSet', 'nb', 'FailedCreate', quota, '2026-01-01T00:05:00Z'),
    event('StatefulSet', 'other', 'FailedCreate', 'not ours', '2026-01-01T00:09:00Z'),
  ]);
  assert.deepEqual(status, { phase: 'waiting', reason: 'FailedCreate', message: quota });
});

test('running only when the pod runs and its containers are ready; stopped and terminating first', () => {
  const ready = pod({
    phase: 'Running',
    containerStatuses: [{ name: 'nb', image: 'x', imageID: '', ready: true, restartCount: 0 }],
  });
  assert.deepEqual(notebookStatus(notebook(), ready, []), { phase: 'running' });
  assert.equal(
    notebookStatus(notebook({ annotations: { 'kubeflow-resource-stopped': 'x' } }), ready, []).phase,
    'stopped',
  );
  assert.equal(notebookStatus(notebook({ deletionTimestamp: new Date() }), ready, []).phase, 'terminating');
  assert.deepEqual(notebookStatus(notebook(), undefined, []), { phase: 'waiting', reason: 'NoPod' });
});
