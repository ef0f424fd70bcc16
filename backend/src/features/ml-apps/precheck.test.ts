import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { V1Node, V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { sumPlaced } from '../../clients/ml-apps-kube.js';
import { capacityRefusal, quotaRefusals } from './precheck.js';

const quota = (
  name: string,
  hard: Record<string, string>,
  used: Record<string, string>,
): V1ResourceQuota => ({
  metadata: { name },
  spec: { hard },
  status: { hard, used },
});

const ask = { cpu: 2, memory: 4 * 2 ** 30, 'nvidia.com/gpu': 2 };

test('the tightest quota refuses with asked, used and max; others that fit say nothing', () => {
  const refusals = quotaRefusals(
    [
      quota('ks-gpu-ml-gpu-quota', { 'requests.nvidia.com/gpu': '3' }, { 'requests.nvidia.com/gpu': '2' }),
      quota('compute', { 'requests.cpu': '10', 'limits.memory': '64Gi', pods: '5' }, { 'requests.cpu': '1' }),
    ],
    ask,
  );
  assert.deepEqual(refusals, [
    {
      source: 'quota',
      resource: 'requests.nvidia.com/gpu',
      asked: 2,
      used: 2,
      max: 3,
      quota: 'ks-gpu-ml-gpu-quota',
    },
  ]);
  // Exactly at the limit is admitted, as quota admission does.
  assert.deepEqual(
    quotaRefusals([quota('q', { 'requests.nvidia.com/gpu': '4' }, { 'requests.nvidia.com/gpu': '2' })], ask),
    [],
  );
  // The pod itself counts against `pods`.
  assert.equal(quotaRefusals([quota('q', { pods: '3' }, { pods: '3' })], ask)[0]?.resource, 'pods');
});

const node = (name: string, gpus: string, model: string, extra: Partial<V1Node['spec']> = {}): V1Node => ({
  metadata: { name, labels: { 'nvidia.com/gpu.product': model } },
  spec: extra,
  status: { allocatable: { 'nvidia.com/gpu': gpus }, conditions: [{ type: 'Ready', status: 'True' }] },
});
const placed = (nodeName: string, gpus: number, key: 'requests' | 'limits' = 'requests'): V1Pod => ({
  spec: {
    nodeName,
    containers: [{ name: 'c', resources: { [key]: { 'nvidia.com/gpu': String(gpus) } } }],
  },
});

test('capacity is what one matching node has free, not the sum over nodes', () => {
  const nodes = [
    node('a', '8', 'A100'),
    node('b', '8', 'H100'),
    node('c', '8', 'A100', { unschedulable: true }),
  ];
  // Summed per node as the client does; the second pod gives only limits, as extended resources may.
  const pods = sumPlaced([placed('a', 5), placed('b', 2, 'limits'), { spec: { containers: [] } }]);
  // 3 free on a, 6 on b: 4 A100s do not fit anywhere although 9 GPUs are free in all.
  assert.deepEqual(capacityRefusal(nodes, pods, { resource: 'nvidia.com/gpu', count: 4, model: 'A100' }), {
    source: 'capacity',
    resource: 'nvidia.com/gpu',
    asked: 4,
    free: 3,
  });
  assert.equal(capacityRefusal(nodes, pods, { resource: 'nvidia.com/gpu', count: 6 }), undefined);
  assert.equal(
    capacityRefusal(nodes, pods, { resource: 'nvidia.com/mig-1g.10gb', count: 1 })?.free,
    0,
    'no node has the resource',
  );
});
