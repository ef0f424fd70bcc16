import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SeenOnce } from './seen-once.js';

describe('SeenOnce', () => {
  it('answers seen for a key claimed before, until its expiry', () => {
    let now = 0;
    const memory = new SeenOnce({ maxBytes: 10_000, now: () => now });
    assert.equal(memory.claim('a', 100), 'new');
    assert.equal(memory.claim('a', 100), 'seen');
    now = 100;
    assert.equal(memory.claim('a', 200), 'new', 'expired keys may come again');
  });

  it('refuses a new key when live keys fill it, instead of dropping one, and makes room from expired keys', () => {
    let now = 0;
    const memory = new SeenOnce({ maxBytes: 250, now: () => now });
    const claimed = ['k1', 'k2', 'k3', 'k4'].map((k) => memory.claim(k, 1_000));
    assert.deepEqual(claimed, ['new', 'new', 'new', 'full']);
    assert.ok(memory.bytes <= 250, `${memory.bytes} bytes held`);
    assert.equal(memory.claim('k1', 1_000), 'seen', 'no live key was dropped to make room');
    now = 1_000;
    assert.equal(memory.claim('k4', 2_000), 'new');
    assert.ok(memory.bytes <= 250);
  });

  it('forgets a key on request, so it can be claimed again', () => {
    const memory = new SeenOnce({ maxBytes: 1_000, now: () => 0 });
    memory.claim('a', 10);
    memory.forget('a');
    assert.equal(memory.bytes, 0);
    assert.equal(memory.claim('a', 10), 'new');
  });
});
