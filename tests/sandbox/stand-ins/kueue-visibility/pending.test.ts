// The visibility stand-in's answer: pending Workloads only, in Kueue's queue order (priority, then age), with
// positions counted across the ClusterQueue and within each LocalQueue, and pages cut by offset and limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterQueuePending, localQueuePending, summary, type WorkloadLike } from './pending.js';

const queues = [
  { metadata: { namespace: 'team-a', name: 'gpus' }, spec: { clusterQueue: 'shared' } },
  { metadata: { namespace: 'team-b', name: 'gpus' }, spec: { clusterQueue: 'shared' } },
  { metadata: { namespace: 'team-c', name: 'gpus' }, spec: { clusterQueue: 'other' } },
];

const wl = (ns: string, name: string, minute: number, extra: Partial<WorkloadLike> = {}): WorkloadLike => ({
  metadata: {
    namespace: ns,
    name,
    creationTimestamp: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  },
  spec: { queueName: 'gpus', ...extra.spec },
  ...(extra.status ? { status: extra.status } : {}),
});

const workloads = [
  wl('team-a', 'a-old', 1),
  wl('team-b', 'b-mid', 2),
  wl('team-a', 'a-new', 3),
  wl('team-b', 'b-urgent', 4, { spec: { queueName: 'gpus', priority: 100 } }),
  wl('team-a', 'a-running', 0, { status: { conditions: [{ type: 'QuotaReserved', status: 'True' }] } }),
  wl('team-a', 'a-done', 0, { status: { conditions: [{ type: 'Finished', status: 'True' }] } }),
  wl('team-c', 'c-elsewhere', 0),
];

test('a ClusterQueue lists its pending Workloads by priority then age, with both positions', () => {
  assert.deepEqual(
    clusterQueuePending('shared', workloads, queues).map((p) => [
      p.metadata.name,
      p.positionInClusterQueue,
      p.positionInLocalQueue,
    ]),
    [
      ['b-urgent', 0, 0],
      ['a-old', 1, 0],
      ['b-mid', 2, 1],
      ['a-new', 3, 1],
    ],
  );
});

test('a LocalQueue lists its own, positions still counted in the ClusterQueue; an unknown queue has none', () => {
  const mine = localQueuePending('team-a', 'gpus', workloads, queues);
  assert.deepEqual(
    mine.map((p) => [p.metadata.name, p.localQueueName, p.positionInClusterQueue, p.positionInLocalQueue]),
    [
      ['a-old', 'gpus', 1, 0],
      ['a-new', 'gpus', 3, 1],
    ],
  );
  assert.deepEqual(localQueuePending('team-a', 'nope', workloads, queues), []);
});

test('the summary is a page of the list, in the API group and kind Kueue answers', () => {
  const page = summary(clusterQueuePending('shared', workloads, queues), 1, 2);
  assert.equal(page.kind, 'PendingWorkloadsSummary');
  assert.equal(page.apiVersion, 'visibility.kueue.x-k8s.io/v1beta2');
  assert.deepEqual(
    page.items.map((p) => p.metadata.name),
    ['a-old', 'b-mid'],
  );
});
