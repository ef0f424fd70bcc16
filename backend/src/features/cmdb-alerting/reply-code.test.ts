import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ackReplyCode, replyCode, repliesConfigured } from './reply-code.js';

const key = Buffer.alloc(32, 7);

describe('WeCom reply codes', () => {
  it('one code per alert: 8 characters of Crockford base32, stable for a key, different for another alert or key', () => {
    const code = replyCode(key, 'abc-1');
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{8}$/);
    assert.equal(replyCode(key, 'abc-1'), code);
    assert.notEqual(replyCode(key, 'abc-2'), code);
    assert.notEqual(replyCode(Buffer.alloc(32, 8), 'abc-1'), code);
    const codes = new Set(Array.from({ length: 2000 }, (_, i) => replyCode(key, `fp-${i}`)));
    assert.equal(codes.size, 2000);
  });

  it('reads "ACK <code>" and "确认 <code>" in any case, with O/I/L read as 0/1; anything else is no acknowledgement', () => {
    assert.equal(ackReplyCode('ACK 7F3KQ2MX'), '7F3KQ2MX');
    assert.equal(ackReplyCode('  ack 7f3kq2mx \n'), '7F3KQ2MX');
    assert.equal(ackReplyCode('ACK: 7F3KQ2MX'), '7F3KQ2MX');
    assert.equal(ackReplyCode('确认 7F3KQ2MX'), '7F3KQ2MX');
    assert.equal(ackReplyCode('确认7F3KQ2MX'), '7F3KQ2MX');
    assert.equal(ackReplyCode('ACK 7F3KQ2MO'), '7F3KQ2M0');
    assert.equal(ackReplyCode('ACK 1LIKQ2MX'), '111KQ2MX');
    for (const text of [
      'acknowledge',
      'ACK7F3KQ2MX',
      'ACK 7F3KQ2M',
      'ACK 7F3KQ2MXX',
      'ACK 7F3KQ2MU',
      'hello',
      '',
    ])
      assert.equal(ackReplyCode(text), undefined, text);
  });

  it('replies are asked for only by a WeCom app receiver with both callback secrets', () => {
    const ref = { namespace: 'ops', name: 'wecom', key: 'k' };
    assert.ok(
      repliesConfigured({ type: 'wecom-app', secretRefs: { callbackToken: ref, callbackAesKey: ref } }),
    );
    assert.ok(!repliesConfigured({ type: 'wecom-app', secretRefs: { callbackToken: ref } }));
    assert.ok(
      !repliesConfigured({ type: 'wecom-robot', secretRefs: { callbackToken: ref, callbackAesKey: ref } }),
    );
  });
});
