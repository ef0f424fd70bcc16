import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  WecomCryptoError,
  readFlatXml,
  wecomAesKey,
  wecomDecrypt,
  wecomSignature,
  wecomSignatureValid,
} from './wecom-callback-crypto.js';

// WeCom's own example of URL verification (接收消息 / 加解密方案 docs and their sample code): Token QDG6eK, the
// EncodingAESKey and corp id below, and the echostr and msg_signature of the GET it shows.
const TOKEN = 'QDG6eK';
const ENCODING_AES_KEY = 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C';
const CORP_ID = 'wx5823bf96d3bd56c7';
const DOC_ECHOSTR =
  'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==';
const DOC_SIGNATURE = '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3';

// A user's text message, encrypted once by the documented algorithm (random bytes "0123456789abcdef", the length,
// the XML, the corp id, padded to 32 bytes) and signed with timestamp 1409659813, nonce 1372623149: a fixed vector.
const MESSAGE_XML =
  '<xml><ToUserName><![CDATA[wx5823bf96d3bd56c7]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>1348831860</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[ACK 7F3KQ2MX]]></Content><MsgId>1234567890123456</MsgId><AgentID>1000002</AgentID></xml>';
const MESSAGE_ENCRYPTED =
  'sKqRbbiSUnDhFHOvPjtUMaUb8dVA82jHRVIBWIbatStQXt7SxKRvOQWQ4rTn6/wkQFL92bR8CkSlsEED0NyAmJXZMTUCRSn296RXETN3H+tZo8cAAz2nzLu2Y2JjBjL+8l86aSVQ5W89QuNrgRNdFs40AD4AR5wy4kAMUKdHYJ7jcPrgd/L8La3keXXHBnRU90q2ci1nReAW0b3ynGb9WPBlFQHlwxgJyRO0xebf0EtWshPY0Em1oSzhGvdYNszAyDflz5t+MaQAxzBQLy/uPNNPu2ZbL73Q4SnXazfxHWFX1u4gb/zgsoUq8weYGwP9yYFjgGpDxQpLLE88EvIcztshXQNW1wycEASrQpMq6Th92Bc3OTgi94JQqCb+zZxw92SybdcLu2jj7nn9JA14WGpubiMJSw35501pX1+w4MeZ9SOHR1t8QRtN3UvVTl5N8LGZwlDSLgZd8q4v014nRA==';
const MESSAGE_SIGNATURE = '0b6b8a29773ea984155d0227d6dded50cb2f323f';

const key = wecomAesKey(ENCODING_AES_KEY);

describe('WeCom callback crypto', () => {
  it("URL verification: WeCom's documented echostr is signed as shown and decrypts to its plaintext and corp id", () => {
    assert.equal(wecomSignature(TOKEN, '1409659589', '263014780', DOC_ECHOSTR), DOC_SIGNATURE);
    const query = { timestamp: '1409659589', nonce: '263014780', signature: DOC_SIGNATURE };
    assert.ok(wecomSignatureValid(TOKEN, query, DOC_ECHOSTR));
    assert.deepEqual(wecomDecrypt(key, DOC_ECHOSTR), {
      message: '1616140317555161061',
      receiveId: CORP_ID,
    });
  });

  it("a user's message: signature checked over the Encrypt value, decrypted to the XML and the corp id", () => {
    const query = { timestamp: '1409659813', nonce: '1372623149', signature: MESSAGE_SIGNATURE };
    assert.ok(wecomSignatureValid(TOKEN, query, MESSAGE_ENCRYPTED));
    const { message, receiveId } = wecomDecrypt(key, MESSAGE_ENCRYPTED);
    assert.equal(message, MESSAGE_XML);
    assert.equal(receiveId, CORP_ID);
    const fields = readFlatXml(message)!;
    assert.equal(fields.get('FromUserName'), 'zhangsan');
    assert.equal(fields.get('Content'), 'ACK 7F3KQ2MX');
    assert.equal(fields.get('MsgId'), '1234567890123456');
  });

  it('refuses a wrong token, a changed timestamp, a changed body and a malformed signature', () => {
    const query = { timestamp: '1409659813', nonce: '1372623149', signature: MESSAGE_SIGNATURE };
    assert.equal(wecomSignatureValid('other', query, MESSAGE_ENCRYPTED), false);
    assert.equal(wecomSignatureValid(TOKEN, { ...query, timestamp: '1409659814' }, MESSAGE_ENCRYPTED), false);
    assert.equal(wecomSignatureValid(TOKEN, query, DOC_ECHOSTR), false);
    assert.equal(wecomSignatureValid(TOKEN, { ...query, signature: 'abc' }, MESSAGE_ENCRYPTED), false);
  });

  it('a wrong key or a damaged value is a WecomCryptoError, never a wrong message', () => {
    const other = wecomAesKey('a'.repeat(43));
    assert.throws(() => wecomDecrypt(other, MESSAGE_ENCRYPTED), WecomCryptoError);
    assert.throws(() => wecomDecrypt(key, 'not base64 blocks'), WecomCryptoError);
    assert.throws(() => wecomDecrypt(key, MESSAGE_ENCRYPTED.slice(0, 24)), WecomCryptoError);
    assert.throws(() => wecomAesKey('short'), WecomCryptoError);
  });

  it('reads flat XML with CDATA and entities, and refuses nesting or junk', () => {
    const fields = readFlatXml(
      '<?xml version="1.0"?>\n<xml>\n <A><![CDATA[x<y]]></A><B>1 &amp; 2</B>\n</xml>',
    );
    assert.deepEqual(
      [...fields!],
      [
        ['A', 'x<y'],
        ['B', '1 & 2'],
      ],
    );
    assert.equal(readFlatXml('<xml><A><B>1</B></A></xml>'), undefined);
    assert.equal(readFlatXml('<xml><A>1</A>junk</xml>'), undefined);
    assert.equal(readFlatXml('{"Encrypt":"x"}'), undefined);
    assert.deepEqual([...readFlatXml('<xml></xml>')!], []);
  });
});
