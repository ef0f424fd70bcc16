import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Notification } from '../channel.js';
import { aliyunVerdict } from './aliyun.js';
import { spokenText, type CallVerdict, type VoiceProvider } from './provider.js';
import { tencentVerdict } from './tencent.js';
import { twilioVerdict } from './twilio.js';
import { createVoiceChannel } from './voice.js';

const notification: Notification = {
  idempotencyKey: 'k1',
  alertKey: 'a1',
  status: 'firing',
  severity: 'critical',
  title: 'Payments down',
  markdown: '',
  text: 'Payments API is not ready',
  recipients: [{ mobile: '+8613800000001' }, { mobile: '+8613800000002' }, { email: 'x@y.example' }],
};

/** A provider answering from a script, to test the order and failover rules (the stand-ins test the wire). */
function scripted(name: string, verdict: (callee: string) => CallVerdict, calls: string[]): VoiceProvider {
  return {
    name,
    call: async (callee) => (calls.push(`${name}:${callee}`), verdict(callee)),
  };
}

describe('provider codes to verdicts', () => {
  it('Aliyun: OK placed, per-callee flow control limited, bad key rejected, 5xx unavailable', () => {
    assert.equal(aliyunVerdict(200, { Code: 'OK', CallId: 'c1' }).kind, 'placed');
    assert.equal(aliyunVerdict(200, { Code: 'isv.BUSINESS_LIMIT_CONTROL' }).kind, 'limited');
    assert.equal(aliyunVerdict(404, { Code: 'InvalidAccessKeyId.NotFound' }).kind, 'rejected');
    assert.equal(aliyunVerdict(500, { Code: 'InternalError' }).kind, 'unavailable');
  });
  it('Tencent: SendStatus placed, RequestLimitExceeded limited, AuthFailure rejected', () => {
    assert.equal(tencentVerdict(200, { Response: { SendStatus: { CallId: 'c' } } }).kind, 'placed');
    assert.equal(
      tencentVerdict(200, { Response: { Error: { Code: 'RequestLimitExceeded' } } }).kind,
      'limited',
    );
    assert.equal(
      tencentVerdict(200, { Response: { Error: { Code: 'AuthFailure.SignatureFailure' } } }).kind,
      'rejected',
    );
  });
  it('Twilio: 201 placed, 429 limited, 401 rejected, 503 unavailable', () => {
    assert.equal(twilioVerdict(201, { sid: 'CA1', status: 'queued' }).kind, 'placed');
    assert.equal(twilioVerdict(429, { code: 20429 }).kind, 'limited');
    assert.equal(twilioVerdict(401, { code: 20003 }).kind, 'rejected');
    assert.equal(twilioVerdict(503, {}).kind, 'unavailable');
  });
});

describe('voice channel failover', () => {
  it('calls each callee once, moving to the next provider only when the first is limited', async () => {
    const calls: string[] = [];
    const first = scripted(
      'aliyun',
      (c) =>
        c.endsWith('1') ? { kind: 'limited', answer: 'limit' } : { kind: 'placed', ref: 'a', answer: 'OK' },
      calls,
    );
    const second = scripted('tencent', () => ({ kind: 'placed', ref: 't', answer: 'OK' }), calls);
    const outcome = await createVoiceChannel([first, second]).send([notification], AbortSignal.timeout(1000));
    assert.deepEqual(calls, ['aliyun:+8613800000001', 'tencent:+8613800000001', 'aliyun:+8613800000002']);
    assert.equal(outcome.kind, 'delivered');
    if (outcome.kind === 'delivered') {
      assert.equal(outcome.providerRef, 'tencent:t aliyun:a');
      assert.deepEqual(
        outcome.perRecipient?.map((r) => r.outcome),
        ['pending', 'pending'],
      );
    }
  });

  it('retries when every provider is limited, fails when every provider refuses', async () => {
    const limited = scripted('a', () => ({ kind: 'limited', answer: 'x' }), []);
    const refused = scripted('b', () => ({ kind: 'rejected', answer: 'bad key' }), []);
    assert.equal(
      (await createVoiceChannel([limited, refused]).send([notification], AbortSignal.timeout(1000))).kind,
      'retry',
    );
    assert.equal(
      (await createVoiceChannel([refused]).send([notification], AbortSignal.timeout(1000))).kind,
      'failed',
    );
  });
});

describe('spokenText', () => {
  it('speaks title and body without the lines holding a link (the ack link never reaches the provider)', () => {
    const withLink = {
      ...notification,
      text: 'Payments API is not ready\nAcknowledge: https://ks.example/alerting/ack?t=secret-ish',
      ackUrl: 'https://ks.example/alerting/ack?t=secret-ish',
    };
    assert.equal(spokenText(withLink), 'Payments down. Payments API is not ready');
  });
});
