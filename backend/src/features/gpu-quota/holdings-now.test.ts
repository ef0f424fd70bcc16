import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubernetesObject } from '@kubernetes/client-node';
import { projectRecord, projectRecordName } from './holdings.js';
import { holdingsReader } from './holdings-now.js';
import { resourceQuotaApply } from './resourcequota.js';
import { KNOWN_GPU_RESOURCES } from './resources.js';
import { fakeKube } from './test-kube.js';

const gpus = (base: number, max: number) => [{ resource: 'nvidia.com/gpu', base, max }];
const recordKey = (ns: string) => `v1/ConfigMap/ks-gpu-ml/${projectRecordName(ns)}`;

/** Projects a, b in workspace ws and c in none; a and b hold a recorded quota, c a ResourceQuota only. */
async function cluster() {
  const fake = fakeKube({ namespaces: { a: 'ws', b: 'ws', c: undefined, empty: 'ws' } });
  const save = (o: unknown) => fake.kube.apply(o as KubernetesObject);
  await save(projectRecord('ks-gpu-ml', 'a', gpus(1, 2)));
  await save(resourceQuotaApply('a', gpus(1, 2)));
  await save(projectRecord('ks-gpu-ml', 'b', gpus(2, 2)));
  await save(resourceQuotaApply('b', gpus(2, 2)));
  await save(resourceQuotaApply('c', gpus(0, 1)));
  return { fake, reader: holdingsReader(fake.kube, KNOWN_GPU_RESOURCES) };
}

describe('holdingsReader', () => {
  it('reads every project’s holding from our records and ResourceQuotas', async () => {
    const { reader } = await cluster();
    const all = await reader.all();
    assert.deepEqual(
      [...all].map(([ns, h]) => [ns, h.rows[0]!.base, h.rows[0]!.max]),
      [
        ['a', 1, 2],
        ['b', 2, 2],
        ['c', 0, 1],
      ],
    );
  });

  it('a record whose ResourceQuota was deleted still holds while its project exists', async () => {
    const { fake, reader } = await cluster();
    fake.store.delete('v1/ResourceQuota/a/ks-gpu-ml-gpu-quota');
    assert.equal((await reader.all()).get('a')?.rows[0]?.base, 1);
  });

  it('a deleted project holds nothing; only a collecting read (under the write lock) removes its record', async () => {
    const { fake, reader } = await cluster();
    fake.store.delete('v1/ResourceQuota/a/ks-gpu-ml-gpu-quota');
    delete fake.namespaces.a;
    assert.equal((await reader.all()).has('a'), false);
    assert.ok(fake.store.has(recordKey('a')));
    await reader.all({ collect: true });
    assert.equal(fake.store.has(recordKey('a')), false);
  });

  it('lists every project of a workspace, those holding nothing too, with the mismatches found', async () => {
    const { fake, reader } = await cluster();
    // A tenant lowers its own ResourceQuota's annotation: the record still decides, the difference is reported.
    await fake.kube.apply(resourceQuotaApply('b', gpus(0, 2)) as KubernetesObject);
    const { projects, mismatch } = await reader.ofWorkspace('ws');
    assert.deepEqual(
      projects.map((p) => [p.namespace, p.rows.map((r) => r.base)]),
      [
        ['a', [1]],
        ['b', [2]],
        ['empty', []],
      ],
    );
    assert.deepEqual(
      mismatch.map((m) => [m.code, m.params.namespace]),
      [['GPU_QUOTA_HOLDINGS_MISMATCH', 'b']],
    );
  });
});
