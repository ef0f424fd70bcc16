import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packParts, packPartsTracked, splitPart, utf8Bytes, utf8Prefix } from './markdown-split.js';

const decodesCleanly = (text: string) =>
  new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(text)) === text;

describe('markdown-split', () => {
  it('counts UTF-8 bytes, not UTF-16 units (Chinese 3 bytes, emoji 4)', () => {
    assert.equal(utf8Bytes('告警'), 6);
    assert.equal(utf8Bytes('🔥'), 4);
    assert.equal(utf8Bytes('a'), 1);
  });

  it('never ends a prefix inside a character or an emoji sequence', () => {
    // 4,094 ASCII bytes, then a 3-byte Chinese character: it does not fit into 4,096, so the prefix stops before it.
    assert.equal(utf8Prefix('x'.repeat(4094) + '告', 4096), 'x'.repeat(4094));
    // A family emoji (ZWJ sequence, 25 bytes) straddling the limit is left out whole, not cut between its people.
    const family = '👨‍👩‍👧‍👦';
    const prefix = utf8Prefix('y'.repeat(4080) + family + 'z', 4096);
    assert.equal(prefix, 'y'.repeat(4080));
    assert.ok(decodesCleanly(prefix));
  });

  it('splits a long Chinese and emoji text into pieces within the limit that join back to the text', () => {
    const text = ('数据库连接池耗尽🔥，支付系统告警。' + '😀'.repeat(3)).repeat(400);
    const pieces = splitPart(text, 4096);
    assert.ok(pieces.length > 1);
    for (const piece of pieces) {
      assert.ok(utf8Bytes(piece) <= 4096, `piece of ${utf8Bytes(piece)} bytes`);
      assert.ok(decodesCleanly(piece));
    }
    assert.equal(pieces.join(''), text);
  });

  it('prefers to split at a line end', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ` + '告'.repeat(20));
    const pieces = splitPart(lines.join('\n'), 1000);
    for (const piece of pieces)
      assert.ok(lines.includes(piece.split('\n').at(-1)!), 'ends with a whole line');
    assert.equal(pieces.join('\n'), lines.join('\n'));
  });

  it('merges parts into as few messages as fit, in order', () => {
    const parts = Array.from({ length: 60 }, (_, i) => `**alert ${i}** ` + '内'.repeat(100));
    const messages = packParts(parts, 4096);
    const perMessage = Math.floor((4096 + 2) / (utf8Bytes(parts[10]!) + 2)); // the separator is 2 bytes
    assert.equal(messages.length, Math.ceil(parts.length / perMessage));
    for (const m of messages) assert.ok(utf8Bytes(m) <= 4096);
    assert.deepEqual(messages.join('\n\n').split('\n\n'), parts);
  });

  it('a message carries the parts whose last piece it holds (ADR 0049)', () => {
    const parts = ['a'.repeat(60), 'b'.repeat(150), 'c'.repeat(20)];
    const messages = packPartsTracked(parts, 100);
    // a(60) | b(100) | b(50) c(20): the long part is carried by the message that finishes it.
    assert.deepEqual(
      messages.map((m) => m.ends),
      [[0], [], [1, 2]],
    );
  });
});
