import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appErrorOf } from '../../core/test-errors.js';
import { ClaimLost } from './claim.js';
import { fakeKube } from './test-kube.js';
import { quotaWriteLock, serialQueue } from './write-lock.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('serialQueue', () => {
  it('runs one function at a time, in order, and a failure does not stop the next', async () => {
    const queue = serialQueue();
    const log: string[] = [];
    const job = (name: string, fail = false) =>
      queue(async () => {
        log.push(`${name} start`);
        await tick();
        log.push(`${name} end`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([job('a', true), job('b'), job('c')]);
    assert.deepEqual(log, ['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'fulfilled', 'fulfilled'],
    );
  });
});

describe('quotaWriteLock', () => {
  it('claims the write generation once per write, and a claim lost to another writer runs the write again', async () => {
    const { kube } = fakeKube();
    const write = quotaWriteLock(kube);
    let attempts = 0;
    const answer = await write(async (claim) => {
      attempts++;
      // Another replica claims between this attempt's read of the generation and its own claim, once.
      if (attempts === 1)
        assert.equal(await kube.bumpWriteGeneration(await kube.readWriteGeneration()), true);
      await claim();
      return 'written';
    });
    assert.equal(answer, 'written');
    assert.equal(attempts, 2);
    assert.equal((await kube.readWriteGeneration())?.count, 2);
  });

  it('gives up after five lost claims with 409 GPU_QUOTA_WRITE_CONTENDED, and the next write still runs', async () => {
    const { kube } = fakeKube();
    const write = quotaWriteLock(kube);
    let attempts = 0;
    const err = await appErrorOf(
      write(async () => {
        attempts++;
        throw new ClaimLost();
      }),
    );
    assert.equal(err.statusCode, 409);
    assert.equal(err.key, 'GPU_QUOTA_WRITE_CONTENDED');
    assert.equal(attempts, 5);
    assert.equal(await write(async (claim) => claim().then(() => 'next')), 'next');
  });
});
