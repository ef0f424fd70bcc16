import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeWorkload } from '../../clients/ml-apps-kube.js';
import { kueueView } from './kueue-status.js';

const INSUFFICIENT =
  "couldn't assign flavors to pod set node: insufficient unused quota for nvidia.com/gpu in flavor a100, 4 more needed";

const workload = (owner: string, conditions: NonNullable<KubeWorkload['status']>['conditions']) => ({
  metadata: {
    name: `trainjob-${owner}-1a2b3`,
    ownerReferences: [{ apiVersion: 'x', kind: 'TrainJob', name: owner, uid: 'u' }],
  },
  spec: { queueName: 'team-a' },
  status: { conditions },
});

test("a job whose Workload Kueue has not admitted waits with Kueue's words, and names its queue", () => {
  const wls = [
    workload('big', [{ type: 'QuotaReserved', status: 'False', reason: 'Pending', message: INSUFFICIENT }]),
    workload('ok', [
      { type: 'QuotaReserved', status: 'True' },
      { type: 'Admitted', status: 'True' },
    ]),
  ];
  assert.deepEqual(kueueView(wls, 'TrainJob', 'big'), {
    queue: { name: 'team-a', workload: 'trainjob-big-1a2b3', admitted: false },
    waiting: { phase: 'waiting', reason: 'Pending', message: INSUFFICIENT },
  });
  assert.deepEqual(kueueView(wls, 'TrainJob', 'ok'), {
    queue: { name: 'team-a', workload: 'trainjob-ok-1a2b3', admitted: true },
  });
  // Not Kueue's (no Workload owned by it), or another kind of the same name.
  assert.equal(kueueView(wls, 'TrainJob', 'other'), undefined);
  assert.equal(kueueView(wls, 'PyTorchJob', 'big'), undefined);
  // Kueue has said nothing yet: still waiting, not suspended.
  assert.deepEqual(kueueView([workload('new', [])], 'TrainJob', 'new')?.waiting, {
    phase: 'waiting',
    reason: 'Pending',
  });
});
