import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { clusterProjects } from './cluster-projects.js';
import { projectRecord } from './holdings.js';
import { resourceQuotaApply } from './resourcequota.js';
import { KNOWN_GPU_RESOURCES } from './resources.js';
import { A100, sandboxLikeNodes } from './test-fixtures.js';

const gpus = (base: number, max: number) => [{ resource: 'nvidia.com/gpu', base, max }];
const quota = (ns: string, base: number, max: number, used?: string) =>
  ({
    ...resourceQuotaApply(ns, gpus(base, max)),
    ...(used ? { status: { used: { 'requests.nvidia.com/gpu': used } } } : {}),
  }) as V1ResourceQuota;
const runningPod = (ns: string, gpu: string, nodeName?: string): V1Pod => ({
  metadata: { name: `p-${ns}-${gpu}`, namespace: ns },
  spec: {
    ...(nodeName ? { nodeName } : {}),
    containers: [{ name: 'c', resources: { limits: { 'nvidia.com/gpu': gpu } } }],
  },
  status: nodeName
    ? { phase: 'Running' }
    : {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: 'no GPU' }],
      },
});

describe('clusterProjects', () => {
  it('every project holding a quota, sorted, with the larger of record and ResourceQuota, use and pending work', () => {
    const projects = clusterProjects(
      {
        quotas: [quota('b', 1, 4, '2'), quota('a', 0, 2)],
        // b's record says more than its ResourceQuota (a tenant lowered it): the record is held.
        records: [projectRecord('ks-gpu-ml', 'b', gpus(3, 4)), projectRecord('ks-gpu-ml', 'c', gpus(1, 1))],
        pods: [runningPod('b', '1', 'gpu-node-0'), runningPod('b', '2')],
        nodes: sandboxLikeNodes,
        workspaceOf: new Map([['b', 'ws']]),
      },
      KNOWN_GPU_RESOURCES,
    );
    assert.deepEqual(
      projects.map((p) => [p.namespace, p.workspace, p.rows[0]!.base, p.rows[0]!.max]),
      [
        ['a', undefined, 0, 2],
        ['b', 'ws', 3, 4],
        ['c', undefined, 1, 1],
      ],
    );
    const b = projects[1]!;
    // The apiserver's count for the total (2, admitted pods included), pods for the model.
    assert.equal(b.used.get('nvidia.com/gpu'), 2);
    assert.equal(b.used.get(`nvidia.com/gpu@${A100}`), 1);
    assert.equal(b.pending?.get('nvidia.com/gpu'), 2);
    assert.equal(projects[0]!.pending, undefined);
  });
});
