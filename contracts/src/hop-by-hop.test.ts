import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HOP_BY_HOP_HEADERS, hopByHopFor } from './hop-by-hop.js';

describe('hop-by-hop headers', () => {
  it("are RFC 7230's, upgrade included, and not the end-to-end ones", () => {
    for (const name of ['connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade']) {
      assert.equal(HOP_BY_HOP_HEADERS.has(name), true, name);
    }
    for (const name of ['host', 'cookie', 'authorization', 'content-type', 'content-length']) {
      assert.equal(HOP_BY_HOP_HEADERS.has(name), false, name);
    }
  });

  it('the Connection header adds the names it lists to one message, trimmed and lower case', () => {
    const extra = (headers: Record<string, string | string[]>) =>
      [...hopByHopFor(headers)].filter((name) => !HOP_BY_HOP_HEADERS.has(name));
    assert.deepEqual(extra({ connection: 'Keep-Alive, X-Trace ,upgrade' }), ['x-trace']);
    assert.deepEqual(extra({ connection: ['close', 'X-A, x-b'] }), ['close', 'x-a', 'x-b']);
    assert.deepEqual(extra({ 'x-trace': '1' }), []);
    assert.equal(hopByHopFor({}).size, HOP_BY_HOP_HEADERS.size);
  });
});
