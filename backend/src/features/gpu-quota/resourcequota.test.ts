import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ResourceQuota } from '@kubernetes/client-node';
import {
  decodeQuotaAnnotation,
  encodeQuotaAnnotation,
  GPU_QUOTA_ANNOTATION,
  GPU_QUOTA_OBJECT_NAME,
  gpuResourceOfQuotaKey,
  otherGpuQuotas,
  readProjectQuota,
  resourceQuotaApply,
} from './resourcequota.js';
import { A100, H100 } from './test-fixtures.js';

const rows = [
  { resource: 'nvidia.com/gpu', model: H100, base: 1, max: 2 },
  { resource: 'nvidia.com/gpu', model: A100, base: 2, max: 4 },
  { resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 7 },
  { resource: 'nvidia.com/gpumem', base: 0, max: 163840 },
];

describe('resourceQuotaApply', () => {
  const applied = resourceQuotaApply('ml-team', rows);

  it('holds only our GPU keys: requests. for devices, limits. for HAMi amounts, max summed per resource', () => {
    assert.deepEqual(applied.spec.hard, {
      'limits.nvidia.com/gpumem': '163840',
      'requests.nvidia.com/gpu': '6',
      'requests.nvidia.com/mig-1g.10gb': '7',
    });
  });

  it('is an apply configuration with the fixed name, our labels and the recorded quota', () => {
    assert.equal(applied.apiVersion, 'v1');
    assert.equal(applied.kind, 'ResourceQuota');
    assert.equal(applied.metadata.name, GPU_QUOTA_OBJECT_NAME);
    assert.equal(applied.metadata.namespace, 'ml-team');
    assert.equal(applied.metadata.labels['app.kubernetes.io/managed-by'], 'ks-gpu-ml');
    assert.deepEqual(Object.keys(applied), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.deepEqual(Object.keys(applied.spec), ['hard']);
    assert.deepEqual(decodeQuotaAnnotation(applied.metadata.annotations[GPU_QUOTA_ANNOTATION]), [
      rows[1],
      rows[0],
      rows[3],
      rows[2],
    ]);
  });

  it('writes an empty hard for no rows, releasing our keys', () => {
    assert.deepEqual(resourceQuotaApply('ml-team', []).spec.hard, {});
  });
});

describe('quota annotation', () => {
  it('round-trips and rejects junk', () => {
    assert.deepEqual(
      decodeQuotaAnnotation(encodeQuotaAnnotation([{ resource: 'nvidia.com/gpu', base: 1, max: 2 }])),
      [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }],
    );
    for (const junk of [
      '{',
      '[]',
      '{"version":2,"resources":[]}',
      '{"version":1,"resources":[{"resource":"x","base":-1,"max":1}]}',
    ]) {
      assert.equal(decodeQuotaAnnotation(junk), undefined, junk);
    }
    assert.equal(decodeQuotaAnnotation(undefined), undefined);
  });
});

function quota(
  hard: Record<string, string>,
  used: Record<string, string>,
  annotation?: string,
): V1ResourceQuota {
  return {
    metadata: {
      name: GPU_QUOTA_OBJECT_NAME,
      namespace: 'ml-team',
      annotations: annotation ? { [GPU_QUOTA_ANNOTATION]: annotation } : {},
    },
    spec: { hard },
    status: { hard, used },
  };
}

describe('readProjectQuota', () => {
  it('reads base/max from the annotation and used from status, ignoring other managers’ keys', () => {
    const read = readProjectQuota(
      quota(
        {
          'requests.cpu': '10',
          'requests.nvidia.com/gpu': '6',
          'requests.nvidia.com/mig-1g.10gb': '7',
          'limits.nvidia.com/gpumem': '163840',
        },
        { 'requests.cpu': '2', 'requests.nvidia.com/gpu': '3', 'requests.nvidia.com/mig-1g.10gb': '0' },
        encodeQuotaAnnotation(rows),
      ),
    );
    assert.equal(read.fromAnnotation, true);
    assert.equal(read.rows.length, 4);
    assert.deepEqual(
      [...read.used],
      [
        ['nvidia.com/gpu', 3],
        ['nvidia.com/mig-1g.10gb', 0],
      ],
    );
    assert.deepEqual(read.drift, []);
  });

  it('reports drift when someone changed spec.hard behind the editor', () => {
    const read = readProjectQuota(
      quota(
        { 'requests.nvidia.com/gpu': '1' },
        {},
        encodeQuotaAnnotation([{ resource: 'nvidia.com/gpu', base: 0, max: 2 }]),
      ),
    );
    assert.equal(read.drift[0]?.code, 'GPU_QUOTA_DRIFT');
    assert.equal(read.drift[0]?.path, 'spec.resources[0].max');
    assert.match(
      read.drift[0]!.message,
      /requests\.nvidia\.com\/gpu in ResourceQuota ks-gpu-ml-gpu-quota is 1 but the recorded max is 2/,
    );
  });

  it('reconstructs rows from spec.hard when the annotation is missing (base unknown: 0)', () => {
    const read = readProjectQuota(quota({ 'requests.nvidia.com/gpu': '4', 'requests.cpu': '8' }, {}));
    assert.equal(read.fromAnnotation, false);
    assert.deepEqual(read.rows, [{ resource: 'nvidia.com/gpu', base: 0, max: 4 }]);
  });

  it('reads an absent quota as no rows', () => {
    assert.deepEqual(readProjectQuota(undefined), {
      rows: [],
      used: new Map(),
      fromAnnotation: false,
      drift: [],
    });
  });
});

describe('gpuResourceOfQuotaKey / otherGpuQuotas', () => {
  it('maps quota keys to GPU resources only', () => {
    assert.equal(gpuResourceOfQuotaKey('requests.nvidia.com/gpu'), 'nvidia.com/gpu');
    assert.equal(gpuResourceOfQuotaKey('limits.nvidia.com/gpumem'), 'nvidia.com/gpumem');
    assert.equal(gpuResourceOfQuotaKey('requests.cpu'), undefined);
    assert.equal(gpuResourceOfQuotaKey('nvidia.com/gpu'), undefined);
  });

  it('names other quotas that also limit GPUs', () => {
    const kubesphere: V1ResourceQuota = {
      metadata: { name: 'ml-team', namespace: 'ml-team' },
      spec: { hard: { 'requests.nvidia.com/gpu': '1', 'limits.cpu': '4' } },
    };
    const ours = quota({ 'requests.nvidia.com/gpu': '4' }, {});
    const found = otherGpuQuotas([ours, kubesphere], [{ resource: 'nvidia.com/gpu', base: 0, max: 4 }]);
    assert.equal(found.length, 1);
    assert.equal(found[0]?.path, 'spec.resources[0].max');
    assert.equal(
      found[0]?.message,
      'ResourceQuota ml-team in ml-team also limits requests.nvidia.com/gpu to 1; the lower of the two applies',
    );
  });
});
