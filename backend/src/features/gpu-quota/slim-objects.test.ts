// The watch caches keep only a projection of each object (clients/kube-projections.ts): every reader of the
// cluster view must answer the same from the projection as from the whole object, and the rest must be gone.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ConfigMap, V1Node, V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { slimNode, slimPod, slimQuota, slimRecord } from '../../clients/kube-projections.js';
import { buildCatalogue } from './catalogue.js';
import { decodeRecords, projectRecord } from './holdings.js';
import { podsBlocked } from './pending.js';
import { GPU_QUOTA_ANNOTATION, GPU_QUOTA_OBJECT_NAME, readProjectQuota } from './resourcequota.js';
import { sandboxLikeNodes, A100 } from './test-fixtures.js';
import { modelOfNode, usageFromPods } from './usage.js';

/** What the apiserver adds to every object and no reader of ours looks at. */
const noise = {
  uid: 'c0ffee',
  creationTimestamp: new Date('2026-01-01T00:00:00Z'),
  annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"x":"'.padEnd(2_000, 'x') + '"}' },
  managedFields: [{ manager: 'kubectl', operation: 'Apply', fieldsType: 'FieldsV1', fieldsV1: { f: {} } }],
};

function fullPod(name: string, extra: Partial<V1Pod['spec']> & { phase?: string; waiting?: string }): V1Pod {
  const { phase, waiting, ...spec } = extra;
  return {
    metadata: { name, namespace: 'alpha-train', resourceVersion: '7', labels: { app: name }, ...noise },
    spec: {
      containers: [
        { name: 'sidecar-log', image: 'busybox', resources: { requests: { cpu: '100m', memory: '64Mi' } } },
        {
          name: 'train',
          image: 'pytorch:2',
          env: [{ name: 'SECRETISH', value: 'not kept' }],
          resources: { limits: { 'nvidia.com/gpu': '2', cpu: '8' }, requests: { 'nvidia.com/gpu': '2' } },
        },
      ],
      initContainers: [
        { name: 'fetch', image: 'curl', resources: { requests: { 'nvidia.com/gpu': '4' } } },
        {
          name: 'proxy',
          image: 'envoy',
          restartPolicy: 'Always',
          resources: { limits: { 'nvidia.com/gpu': '1' } },
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      ...spec,
    },
    status: {
      phase: phase ?? 'Running',
      podIP: '10.0.0.1',
      conditions: [
        { type: 'Initialized', status: 'True' },
        ...(waiting
          ? [
              {
                type: 'PodScheduled',
                status: 'False',
                reason: waiting,
                message: '0/4 nodes are available',
                lastTransitionTime: new Date('2026-02-02T00:00:00Z'),
              },
            ]
          : [{ type: 'PodScheduled', status: 'True' }]),
      ],
      containerStatuses: [{ name: 'train', image: 'pytorch:2', imageID: 'x', ready: true, restartCount: 0 }],
    },
  };
}

const pods: V1Pod[] = [
  fullPod('running', { nodeName: 'gpu-node-0' }),
  fullPod('finished', { nodeName: 'gpu-node-1', phase: 'Succeeded' }),
  fullPod('waiting', { phase: 'Pending', waiting: 'Unschedulable' }),
  fullPod('gated', {
    phase: 'Pending',
    waiting: 'SchedulingGated',
    schedulingGates: [{ name: 'kueue.x-k8s.io/admission' }],
  }),
  {
    metadata: { name: 'cpu-only', namespace: 'beta', ...noise },
    spec: { nodeName: 'gpu-node-0', containers: [{ name: 'c', resources: { requests: { cpu: '1' } } }] },
    status: { phase: 'Running' },
  },
];

const bytes = (o: unknown) => JSON.stringify(o).length;

describe('slim pods', () => {
  const slim = pods.map(slimPod);

  it('give the same GPU use and blocked work as whole pods', () => {
    const models = modelOfNode(sandboxLikeNodes);
    assert.deepEqual(usageFromPods(slim, models), usageFromPods(pods, models));
    assert.deepEqual(podsBlocked(slim), podsBlocked(pods));
    assert.equal(podsBlocked(slim).length, 2, 'the fixture has blocked pods to compare');
    assert.ok(usageFromPods(slim, models).get('alpha-train')?.size, 'the fixture has use to compare');
  });

  it('keep only containers asking for extended resources, and only those amounts', () => {
    const running = slim[0]!;
    assert.deepEqual(running.spec?.containers, [
      { resources: { limits: { 'nvidia.com/gpu': '2' }, requests: { 'nvidia.com/gpu': '2' } } },
    ]);
    assert.equal(running.spec?.initContainers?.[1]?.restartPolicy, 'Always');
    assert.equal(slim[4]!.spec?.containers, undefined);
    assert.deepEqual(running.metadata, { name: 'running', namespace: 'alpha-train', resourceVersion: '7' });
    assert.equal(running.status?.conditions, undefined, 'a scheduled pod keeps no condition');
    assert.ok(bytes(running) * 5 < bytes(pods[0]), `${bytes(running)} bytes of ${bytes(pods[0])}`);
  });
});

describe('slim nodes', () => {
  const full: V1Node[] = sandboxLikeNodes.map((n) => ({
    ...n,
    metadata: { ...n.metadata, resourceVersion: '3', ...noise },
    status: {
      ...n.status,
      conditions: [...(n.status?.conditions ?? []), { type: 'MemoryPressure', status: 'False' }],
      images: [{ names: ['pytorch:2'], sizeBytes: 1 }],
    },
  }));

  it('give the same catalogue and model map as whole nodes', () => {
    const slim = full.map(slimNode);
    assert.deepEqual(buildCatalogue(slim), buildCatalogue(full));
    assert.deepEqual(modelOfNode(slim), modelOfNode(full));
  });

  it('drop cpu and memory, other conditions, images and managedFields', () => {
    const node = slimNode({ ...full[0]!, spec: { unschedulable: true } });
    assert.deepEqual(node.status, {
      capacity: { 'nvidia.com/gpu': '8' },
      allocatable: { 'nvidia.com/gpu': '8' },
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    assert.deepEqual(node.spec, { unschedulable: true });
    assert.deepEqual(node.metadata, {
      name: 'gpu-node-0',
      resourceVersion: '3',
      labels: { 'nvidia.com/gpu.product': A100 },
    });
  });
});

describe('slim quotas and records', () => {
  const rows = [{ resource: 'nvidia.com/gpu', base: 2, max: 4 }];
  const quota: V1ResourceQuota = {
    metadata: {
      name: GPU_QUOTA_OBJECT_NAME,
      namespace: 'alpha-train',
      ...noise,
      annotations: { ...noise.annotations, [GPU_QUOTA_ANNOTATION]: JSON.stringify(rows) },
    },
    spec: { hard: { 'requests.nvidia.com/gpu': '4' } },
    status: { hard: { 'requests.nvidia.com/gpu': '4' }, used: { 'requests.nvidia.com/gpu': '1' } },
  };

  it('read back the same rows, use and drift from a slim ResourceQuota', () => {
    const slim = slimQuota([GPU_QUOTA_ANNOTATION])(quota);
    assert.deepEqual(readProjectQuota(slim), readProjectQuota(quota));
    assert.deepEqual(Object.keys(slim.metadata?.annotations ?? {}), [GPU_QUOTA_ANNOTATION]);
    assert.equal('managedFields' in (slim.metadata ?? {}), false);
  });

  it('decode the same holdings from slim records', () => {
    const record: V1ConfigMap = projectRecord('ks-gpu-ml', 'alpha-train', rows);
    const full = { ...record, metadata: { ...record.metadata, ...noise } };
    const slim = slimRecord(full);
    assert.deepEqual(decodeRecords([slim]), decodeRecords([full]));
    assert.equal(decodeRecords([slim]).size, 1);
    assert.equal('managedFields' in (slim.metadata ?? {}), false);
  });
});
