import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appErrorOf } from '../../core/test-errors.js';
import { ClaimLost } from './claim.js';
import { decodeRecords, PROJECT_RECORD_SELECTOR } from './holdings.js';
import { writeProjectQuota } from './project-write.js';
import { KNOWN_GPU_RESOURCES } from './resources.js';
import { chooseEnforcer, ENFORCER_CRDS } from './scheduler.js';
import { fakeKube } from './test-kube.js';

const gpus = (base: number, max: number) => [{ resource: 'nvidia.com/gpu', base, max }];
const kueue = chooseEnforcer(ENFORCER_CRDS.kueue);
const noClaim = async () => undefined;
/** A project's quota growing from 1/1 to 3/4 GPUs: the write the failure cases interrupt. */
const growing = { namespace: 'a', previous: gpus(1, 1), rows: gpus(3, 4), quotaExists: true, choice: kueue };

async function recorded(fake: ReturnType<typeof fakeKube>) {
  return decodeRecords(await fake.kube.ownConfigMaps(PROJECT_RECORD_SELECTOR)).get('a');
}

describe('writeProjectQuota', () => {
  it('writes the record, the ResourceQuota and the queues, in that order, the record last again', async () => {
    const fake = fakeKube();
    const write = { namespace: 'a', previous: [], rows: gpus(1, 2), quotaExists: false, choice: kueue };
    await writeProjectQuota(fake.kube, KNOWN_GPU_RESOURCES, { ...write, claim: noClaim });
    const kinds = fake.applied.map((k) => k.split('/').at(-3));
    assert.equal(kinds[0], 'ConfigMap');
    assert.equal(kinds[1], 'ResourceQuota');
    assert.equal(kinds.at(-1), 'ConfigMap');
    assert.deepEqual(await recorded(fake), gpus(1, 2));
  });

  it('a failed queue write is undone with the old rows, and the answer says so', async () => {
    // The LocalQueue is refused once (after its ClusterQueue was written); undoing writes it again.
    let refused = false;
    const fake = fakeKube({ failApply: (o) => o.kind === 'LocalQueue' && !refused && (refused = true) });
    const err = await appErrorOf(
      writeProjectQuota(fake.kube, KNOWN_GPU_RESOURCES, { ...growing, claim: noClaim }),
    );
    assert.equal(err.statusCode, 502);
    assert.equal(err.key, 'GPU_QUOTA_WRITE_ROLLED_BACK');
    assert.deepEqual(err.params, { namespace: 'a', step: 'queues' });
    assert.deepEqual(await recorded(fake), gpus(1, 1));
  });

  it('a lost claim undoes the larger record and hands ClaimLost back, so the caller checks again', async () => {
    const fake = fakeKube();
    const lost = async () => {
      assert.deepEqual(await recorded(fake), gpus(3, 4), 'the larger rows are recorded before the claim');
      throw new ClaimLost();
    };
    await assert.rejects(
      writeProjectQuota(fake.kube, KNOWN_GPU_RESOURCES, { ...growing, claim: lost }),
      ClaimLost,
    );
    assert.deepEqual(await recorded(fake), gpus(1, 1));
    assert.equal(
      fake.applied.some((k) => k.includes('ResourceQuota')),
      false,
    );
  });
});
