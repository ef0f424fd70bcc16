import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { appEvents, podLabelOf } from './app-events.js';

const event = (kind: string, name: string, reason: string, at: string, type = 'Warning'): CoreV1Event => ({
  metadata: { name: `${name}.${reason}` },
  involvedObject: { kind, name },
  type,
  reason,
  message: `${reason} of ${name}`,
  count: 2,
  lastTimestamp: new Date(at),
});

test("an app's events: its own, its controller's (same name) and its pods', newest first; others left out", () => {
  const pods: V1Pod[] = [{ metadata: { name: 'nb-0' } }];
  const events = [
    event('Pod', 'nb-0', 'FailedScheduling', '2026-01-01T10:00:00Z'),
    event('StatefulSet', 'nb', 'SuccessfulCreate', '2026-01-01T09:00:00Z', 'Normal'),
    event('Notebook', 'nb', 'Created', '2026-01-01T11:00:00Z', 'Normal'),
    event('Pod', 'other-0', 'FailedScheduling', '2026-01-01T12:00:00Z'),
    event('Pod', 'nb', 'Odd', '2026-01-01T12:00:00Z'),
  ];
  assert.deepEqual(appEvents('nb', pods, events), [
    {
      type: 'Normal',
      reason: 'Created',
      message: 'Created of nb',
      object: 'Notebook/nb',
      count: 2,
      lastSeen: '2026-01-01T11:00:00.000Z',
    },
    {
      type: 'Warning',
      reason: 'FailedScheduling',
      message: 'FailedScheduling of nb-0',
      object: 'Pod/nb-0',
      count: 2,
      lastSeen: '2026-01-01T10:00:00.000Z',
    },
    {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: 'SuccessfulCreate of nb',
      object: 'StatefulSet/nb',
      count: 2,
      lastSeen: '2026-01-01T09:00:00.000Z',
    },
  ]);
});

test('the pods of each kind are found by the label its controller sets', () => {
  assert.equal(podLabelOf('Notebook'), 'notebook-name');
  assert.equal(podLabelOf('TrainJob'), 'jobset.sigs.k8s.io/jobset-name');
  assert.equal(podLabelOf('MPIJob'), 'training.kubeflow.org/job-name');
});
