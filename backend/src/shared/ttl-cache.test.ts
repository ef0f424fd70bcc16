import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { approxBytes, TtlCache } from './ttl-cache.js';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('TtlCache', () => {
  it('keeps the sum of entry sizes under maxBytes, dropping the oldest first', () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 1_000, maxBytes: 1_000 });
    for (let i = 0; i < 10; i++) cache.set(`k${i}`, 'x'.repeat(50));
    assert.ok(cache.bytes <= 1_000, `${cache.bytes} bytes held`);
    assert.ok(cache.size < 10);
    assert.equal(cache.get('k0'), undefined, 'the oldest went first');
    assert.equal(cache.get('k9'), 'x'.repeat(50), 'the newest stays');
  });

  it('does not cache an entry larger than maxEntryBytes', () => {
    const cache = new TtlCache<string>({
      ttlMs: 60_000,
      maxEntries: 1_000,
      maxBytes: 10_000,
      maxEntryBytes: 500,
    });
    cache.set('small', 'x'.repeat(10));
    cache.set('large', 'x'.repeat(1_000));
    assert.equal(cache.get('large'), undefined);
    assert.equal(cache.get('small'), 'x'.repeat(10));
  });

  it('sweeps expired entries when inserting, not only when they are read', () => {
    const c = clock();
    const cache = new TtlCache<string>({ ttlMs: 1_000, maxEntries: 1_000, maxBytes: 1_000_000, now: c.now });
    for (let i = 0; i < 50; i++) cache.set(`old${i}`, 'x'.repeat(100));
    c.advance(1_001);
    cache.set('new', 'y');
    assert.equal(cache.size, 1);
    assert.ok(cache.bytes < 200, `${cache.bytes} bytes held after the sweep`);
  });

  it('replacing a key accounts its bytes once', () => {
    const cache = new TtlCache<string>({ ttlMs: 60_000, maxEntries: 10, maxBytes: 100_000 });
    cache.set('k', 'x'.repeat(100));
    const once = cache.bytes;
    cache.set('k', 'x'.repeat(100));
    assert.equal(cache.bytes, once);
  });

  it('estimates sizes that grow with the data', () => {
    const small = approxBytes({ a: [[1, '2']] });
    const large = approxBytes({ a: Array.from({ length: 1_000 }, (_, i) => [i, String(i)]) });
    assert.ok(large > small * 100, `${small} vs ${large}`);
  });
});
