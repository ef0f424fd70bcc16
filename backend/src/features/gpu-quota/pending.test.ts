import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { blockedWork, parseExceededQuota, pendingByNamespace, podsBlocked, quotaBlocked } from './pending.js';

// Verbatim shape of kube-apiserver's quota refusal as a ReplicaSet controller reports it.
const quotaMessage =
  'Error creating: pods "train-7d9f-x2k4q" is forbidden: exceeded quota: ks-gpu-ml-gpu-quota, requested: requests.nvidia.com/gpu=1, used: requests.nvidia.com/gpu=2, limited: requests.nvidia.com/gpu=2';

function event(name: string, message: string, extra: Partial<CoreV1Event> = {}): CoreV1Event {
  return {
    metadata: { name: `${name}.1`, namespace: 'ml-team' },
    involvedObject: { kind: 'ReplicaSet', name, namespace: 'ml-team' },
    reason: 'FailedCreate',
    type: 'Warning',
    message,
    count: 3,
    lastTimestamp: new Date('2026-01-01T10:00:00Z'),
    ...extra,
  };
}

function pendingPod(
  name: string,
  gpus: number,
  condition: { reason: string; message?: string },
  gates: string[] = [],
): V1Pod {
  return {
    metadata: { name, namespace: 'ml-team' },
    spec: {
      containers: [{ name: 'main', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
      ...(gates.length ? { schedulingGates: gates.map((g) => ({ name: g })) } : {}),
    },
    status: {
      phase: 'Pending',
      conditions: [
        {
          type: 'PodScheduled',
          status: 'False',
          ...condition,
          lastTransitionTime: new Date('2026-01-01T09:00:00Z'),
        },
      ],
    },
  };
}

describe('parseExceededQuota', () => {
  it('reads the quota name and the three lists', () => {
    assert.deepEqual(parseExceededQuota(quotaMessage), {
      quota: 'ks-gpu-ml-gpu-quota',
      requested: { 'requests.nvidia.com/gpu': 1 },
      used: { 'requests.nvidia.com/gpu': 2 },
      limited: { 'requests.nvidia.com/gpu': 2 },
    });
  });

  it('reads several resources and suffixed quantities', () => {
    const parsed = parseExceededQuota(
      'pods "p" is forbidden: exceeded quota: team, requested: requests.cpu=500m,requests.nvidia.com/gpu=2, used: requests.cpu=3,requests.nvidia.com/gpu=4, limited: requests.cpu=3,requests.nvidia.com/gpu=4',
    );
    assert.deepEqual(parsed?.requested, { 'requests.cpu': 0.5, 'requests.nvidia.com/gpu': 2 });
  });

  it('returns undefined for other messages', () => {
    assert.equal(
      parseExceededQuota('Error creating: pods "p" is forbidden: failed quota: q: must specify limits.cpu'),
      undefined,
    );
  });
});

describe('quotaBlocked', () => {
  it('keeps the newest GPU quota refusal per controller, verbatim', () => {
    const blocked = quotaBlocked([
      event('train-7d9f', quotaMessage, { lastTimestamp: new Date('2026-01-01T09:00:00Z'), count: 1 }),
      event('train-7d9f', quotaMessage),
      event('cpu-only', quotaMessage.replaceAll('requests.nvidia.com/gpu', 'requests.cpu')),
      event('other', 'Error creating: something else'),
      { ...event('started', 'Started'), reason: 'SuccessfulCreate' },
    ]);
    assert.equal(blocked.length, 1);
    assert.deepEqual(
      { ...blocked[0], quota: undefined },
      {
        reason: 'quota',
        namespace: 'ml-team',
        object: { kind: 'ReplicaSet', name: 'train-7d9f' },
        requests: { 'nvidia.com/gpu': 1 },
        message: quotaMessage,
        quota: undefined,
        lastSeen: '2026-01-01T10:00:00.000Z',
        count: 3,
      },
    );
  });

  it('drops events older than since', () => {
    assert.deepEqual(
      quotaBlocked([event('rs', quotaMessage)], { since: new Date('2026-01-02T00:00:00Z') }),
      [],
    );
  });
});

describe('podsBlocked', () => {
  it('reports unschedulable GPU pods with the scheduler’s message, and gated pods as queued', () => {
    const schedulerMessage =
      '0/6 nodes are available: 6 Insufficient nvidia.com/gpu. preemption: 0/6 nodes are available: 6 No preemption victims found for incoming pod.';
    const blocked = podsBlocked([
      pendingPod('big', 64, { reason: 'Unschedulable', message: schedulerMessage }),
      pendingPod('gated', 1, { reason: 'SchedulingGated' }, ['kueue.x-k8s.io/admission']),
      { ...pendingPod('cpu', 0, { reason: 'Unschedulable', message: 'x' }) },
      { ...pendingPod('bound', 1, { reason: 'Unschedulable' }), spec: { nodeName: 'n', containers: [] } },
    ]);
    assert.deepEqual(
      blocked.map((b) => [b.reason, b.object.name, b.requests['nvidia.com/gpu'], b.message]),
      [
        ['capacity', 'big', 64, schedulerMessage],
        ['queue', 'gated', 1, 'waiting for scheduling gates: kueue.x-k8s.io/admission'],
      ],
    );
  });
});

describe('blockedWork / pendingByNamespace', () => {
  it('orders quota, queue, capacity and sums what each namespace waits for', () => {
    const all = blockedWork(
      [pendingPod('big', 8, { reason: 'Unschedulable', message: 'm' })],
      [event('rs', quotaMessage)],
    );
    assert.deepEqual(
      all.map((b) => b.reason),
      ['quota', 'capacity'],
    );
    assert.deepEqual(Object.fromEntries(pendingByNamespace(all).get('ml-team')!), { 'nvidia.com/gpu': 9 });
  });
});
