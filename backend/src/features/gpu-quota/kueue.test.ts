import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANY_MODEL_FLAVOR,
  clusterQueue,
  flavorModels,
  flavorName,
  kueueObjects,
  localQueue,
  localQueueUsage,
  readClusterQueue,
  resourceFlavors,
} from './kueue.js';
import { A100, H100, validQuotaRows as rows } from './test-fixtures.js';

describe('flavorName', () => {
  it('lower-cases product names, and hashes names that had to be altered', () => {
    assert.equal(flavorName(A100), 'ks-gpu-ml-nvidia-a100-sxm4-80gb');
    const odd = flavorName('Tesla T4 (PCIe)');
    assert.match(odd, /^ks-gpu-ml-tesla-t4-pcie-[0-9a-f]{8}$/);
    assert.notEqual(flavorName('Tesla T4 (PCIe)'), flavorName('Tesla-T4-PCIe'));
  });
});

describe('resourceFlavors', () => {
  it('one flavor per model on nvidia.com/gpu.product, plus the any-model flavor', () => {
    const flavors = resourceFlavors([H100, A100, A100]);
    assert.deepEqual(
      flavors.map((f) => f.metadata.name),
      [ANY_MODEL_FLAVOR, flavorName(A100), flavorName(H100)],
    );
    assert.deepEqual(flavors[1]?.spec, { nodeLabels: { 'nvidia.com/gpu.product': A100 } });
    assert.deepEqual(flavors[0]?.spec, {});
  });
});

describe('clusterQueue', () => {
  const queue = clusterQueue('ml-team', rows);

  it('is in the shared cohort and selects only its namespace', () => {
    assert.equal(queue.metadata.name, 'ks-gpu-ml-ml-team');
    assert.equal(queue.spec.cohort, 'ks-gpu-ml');
    assert.deepEqual(queue.spec.namespaceSelector, {
      matchLabels: { 'kubernetes.io/metadata.name': 'ml-team' },
    });
  });

  it('nominalQuota = base, borrowingLimit = max − base; per-model and any-model groups; no HAMi amounts', () => {
    assert.deepEqual(queue.spec.resourceGroups, [
      {
        coveredResources: ['nvidia.com/gpu'],
        flavors: [
          {
            name: flavorName(A100),
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: '2', borrowingLimit: '2' }],
          },
          {
            name: flavorName(H100),
            resources: [{ name: 'nvidia.com/gpu', nominalQuota: '0', borrowingLimit: '2' }],
          },
        ],
      },
      {
        coveredResources: ['nvidia.com/mig-1g.10gb'],
        flavors: [
          {
            name: ANY_MODEL_FLAVOR,
            resources: [{ name: 'nvidia.com/mig-1g.10gb', nominalQuota: '1', borrowingLimit: '6' }],
          },
        ],
      },
    ]);
  });

  it('lists every covered resource in every flavor of a group (Kueue’s rule), 0 where there is no row', () => {
    const q = clusterQueue('t', [
      { resource: 'nvidia.com/gpu', model: A100, base: 1, max: 1 },
      { resource: 'nvidia.com/gpu.shared', model: H100, base: 2, max: 3 },
    ]);
    const group = q.spec.resourceGroups[0]!;
    assert.deepEqual(group.coveredResources, ['nvidia.com/gpu', 'nvidia.com/gpu.shared']);
    for (const flavor of group.flavors) assert.equal(flavor.resources.length, 2);
    assert.deepEqual(group.flavors[0]?.resources[1], {
      name: 'nvidia.com/gpu.shared',
      nominalQuota: '0',
      borrowingLimit: '0',
    });
  });

  it('has no resource groups for no rows', () => {
    assert.deepEqual(clusterQueue('t', []).spec.resourceGroups, []);
  });

  it('reads back to the countable rows', () => {
    const back = readClusterQueue(queue, flavorModels([A100, H100]));
    assert.deepEqual(back, rows.slice(0, 3));
  });

  it('reads an unset borrowingLimit as unlimited', () => {
    const back = readClusterQueue(
      {
        spec: {
          ...queue.spec,
          resourceGroups: [
            {
              coveredResources: ['nvidia.com/gpu'],
              flavors: [
                { name: ANY_MODEL_FLAVOR, resources: [{ name: 'nvidia.com/gpu', nominalQuota: '2' }] },
              ],
            },
          ],
        },
      },
      new Map(),
    );
    assert.deepEqual(back, [{ resource: 'nvidia.com/gpu', base: 2, max: Infinity }]);
  });
});

describe('localQueue / kueueObjects / localQueueUsage', () => {
  it('points the namespace’s LocalQueue at its ClusterQueue', () => {
    assert.deepEqual(localQueue('ml-team').spec, { clusterQueue: 'ks-gpu-ml-ml-team' });
    assert.equal(localQueue('ml-team').metadata.namespace, 'ml-team');
    const objects = kueueObjects('ml-team', rows);
    assert.equal(objects.flavors.length, 3);
  });

  it('reads use per model from status.flavorUsage', () => {
    const models = flavorModels(resourceFlavors([A100]));
    const used = localQueueUsage(
      {
        status: {
          flavorUsage: [
            { name: flavorName(A100), resources: [{ name: 'nvidia.com/gpu', total: '3' }] },
            { name: ANY_MODEL_FLAVOR, resources: [{ name: 'nvidia.com/gpu', total: 1 }] },
          ],
        },
      },
      models,
    );
    assert.deepEqual(Object.fromEntries(used), { 'nvidia.com/gpu': 4, [`nvidia.com/gpu@${A100}`]: 3 });
  });
});
