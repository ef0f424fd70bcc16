import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CmdbFailure, type CmdbAdapter, type CmdbRecord } from './adapter.js';
import { createCachedCmdb, type CachedCmdbSettings } from './cached.js';

const record = (name: string, pad = ''): CmdbRecord => ({
  id: name,
  name,
  owners: [],
  rule: `test ${name}${pad}`,
});

function scripted() {
  const calls: string[] = [];
  let fail: Error | undefined;
  const adapter: CmdbAdapter = {
    kind: 'generic',
    async forNamespace({ namespace }) {
      calls.push(namespace);
      if (fail) throw fail;
      return namespace === 'orphan' ? undefined : record(`sys-${namespace}`, 'x'.repeat(200));
    },
    async business(name) {
      calls.push(name);
      if (fail) throw fail;
      return record(name);
    },
  };
  return { adapter, calls, setFail: (e: Error | undefined) => void (fail = e) };
}

/** The cache over `adapter` with the settings most cases use (1 s TTL, 60 s last known, 100 kB, 500 ms deadline). */
const cachedWith = (adapter: CmdbAdapter, settings: Partial<CachedCmdbSettings> = {}) =>
  createCachedCmdb(adapter, {
    ttlMs: 1_000,
    lastKnownMs: 60_000,
    maxBytes: 100_000,
    deadlineMs: 500,
    ...settings,
  });

describe('createCachedCmdb', () => {
  it('answers from the cache within the TTL, asks again after it, and serves the last known answer flagged stale when the CMDB fails', async () => {
    let t = 0;
    const s = scripted();
    const cmdb = cachedWith(s.adapter, { now: () => t });
    assert.equal((await cmdb.forNamespace({ namespace: 'a' })).business?.name, 'sys-a');
    await cmdb.forNamespace({ namespace: 'a' });
    assert.deepEqual(s.calls, ['a']);
    t = 1_500;
    s.setFail(new CmdbFailure('CMDB_UNREACHABLE', 'down'));
    const stale = await cmdb.forNamespace({ namespace: 'a' });
    assert.deepEqual([stale.business?.name, stale.stale, stale.error], ['sys-a', true, 'CMDB_UNREACHABLE']);
    assert.deepEqual(s.calls, ['a', 'a']);
  });

  it('without a last known answer a failure is an error, never a throw; an unexpected exception counts as garbage', async () => {
    const s = scripted();
    const failures: string[] = [];
    const cmdb = cachedWith(s.adapter, { onFailure: (key) => failures.push(key) });
    s.setFail(new TypeError("Cannot read properties of undefined (reading 'name')"));
    assert.deepEqual(await cmdb.business('x'), { stale: false, error: 'CMDB_MALFORMED' });
    assert.deepEqual(failures, ['CMDB_MALFORMED']);
  });

  it('remembers "no such system" too, and shares one request among concurrent lookups', async () => {
    const s = scripted();
    const cmdb = cachedWith(s.adapter);
    const answers = await Promise.all([1, 2, 3].map(() => cmdb.forNamespace({ namespace: 'orphan' })));
    assert.deepEqual(answers, Array(3).fill({ stale: false }));
    await cmdb.forNamespace({ namespace: 'orphan' });
    assert.deepEqual(s.calls, ['orphan']);
  });

  it('holds at most maxBytes, however many namespaces are asked', async () => {
    const s = scripted();
    const cmdb = cachedWith(s.adapter, { ttlMs: 60_000, maxBytes: 20_000 });
    for (let i = 0; i < 500; i++) await cmdb.forNamespace({ namespace: `ns-${i}` });
    assert.ok(cmdb.bytes <= 20_000, `${cmdb.bytes} bytes held`);
    assert.ok(cmdb.bytes > 10_000, 'the cache is used');
  });

  it('gives the adapter a deadline', async () => {
    let seen: AbortSignal | undefined;
    const adapter: CmdbAdapter = {
      kind: 'netbox',
      business: async () => undefined,
      forNamespace: (_q, signal) => {
        seen = signal;
        return new Promise((_, reject) =>
          signal.addEventListener('abort', () => reject(new CmdbFailure('CMDB_UNREACHABLE', 'timed out'))),
        );
      },
    };
    const cmdb = cachedWith(adapter, { ttlMs: 1, lastKnownMs: 1_000, maxBytes: 10_000, deadlineMs: 20 });
    // AbortSignal.timeout's timer never keeps a process alive (in the backend the server does): without this
    // timer node's test runner may find nothing pending and end the test before the deadline fires.
    const keepAlive = setInterval(() => {}, 1_000);
    try {
      assert.deepEqual(await cmdb.forNamespace({ namespace: 'slow' }), {
        stale: false,
        error: 'CMDB_UNREACHABLE',
      });
    } finally {
      clearInterval(keepAlive);
    }
    assert.equal(seen?.aborted, true);
  });
});
