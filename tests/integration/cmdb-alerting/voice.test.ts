// The voice providers and the voice channel against the sandbox's voice provider stand-ins, which check each
// provider's documented signature and answer its documented codes and limits: every provider places a call that
// the stand-in accepts, a wrong secret is refused, and the channel fails over to the second provider when the
// first is rate limited (a switched fault, and Aliyun's own per-callee limit of one call a minute). Faults are
// switched for the test's own number and records read for it only: other tests call these stand-ins meanwhile.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Notification } from '../../../backend/src/clients/channels/channel.js';
import { createAliyunVoice } from '../../../backend/src/clients/channels/voice/aliyun.js';
import { createTencentVoice } from '../../../backend/src/clients/channels/voice/tencent.js';
import { createTwilioVoice } from '../../../backend/src/clients/channels/voice/twilio.js';
import { createVoiceChannel } from '../../../backend/src/clients/channels/voice/voice.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';

// The sandbox writes these into .sandbox/env; the same variables in the environment point at other stand-ins.
const sandbox = readSandboxEnv();
const base = process.env.VOICE_STANDIN_URL ?? sandbox.VOICE_STANDIN_URL!;
const keys = JSON.parse(
  readFileSync(process.env.VOICE_STANDIN_CREDENTIALS ?? sandbox.VOICE_STANDIN_CREDENTIALS!, 'utf8'),
) as {
  aliyun: { accessKeyId: string; accessKeySecret: string };
  tencent: { secretId: string; secretKey: string };
  twilio: { accountSid: string; authToken: string };
};

const aliyun = (secret = keys.aliyun.accessKeySecret) =>
  createAliyunVoice({
    endpoint: `${base}/aliyun/`,
    ...keys.aliyun,
    accessKeySecret: secret,
    ttsCode: 'TTS_1',
  });
const tencent = (secret = keys.tencent.secretKey) =>
  createTencentVoice({
    endpoint: `${base}/tencent/`,
    ...keys.tencent,
    secretKey: secret,
    voiceSdkAppid: '1400000000',
    templateId: '100',
  });
const twilio = (token = keys.twilio.authToken) =>
  createTwilioVoice({ endpoint: `${base}/twilio`, ...keys.twilio, authToken: token, from: '+15005550006' });

const mobile = () => `+86138${String(randomInt(10_000_000, 99_999_999))}`;
const notification = (callee: string): Notification => ({
  idempotencyKey: `voice-${callee}`,
  alertKey: 'payments-down',
  status: 'firing',
  severity: 'critical',
  title: 'Payments API down',
  markdown: '',
  text: 'Payments API has no ready pods',
  recipients: [{ mobile: callee }],
});

async function control(path: string, body?: object): Promise<unknown> {
  const response = await fetch(
    `${base}/control/${path}`,
    body ? { method: 'POST', body: JSON.stringify(body) } : {},
  );
  assert.equal(response.status, 200, await response.clone().text());
  return response.json();
}
/** What the provider's stand-in received for `callee` (Aliyun takes mainland numbers without +86). */
const received = async (provider: string, callee: string) =>
  ((await control(`${provider}/received`)) as { params: Record<string, unknown>; answered: string }[]).filter(
    (r) => [callee, callee.replace(/^\+86/, '')].includes(String(r.params.CalledNumber ?? r.params.To)),
  );
const signal = () => AbortSignal.timeout(10_000);

describe('voice providers against their stand-ins', () => {
  it('each provider places a call the stand-in accepts, with the documented parameters', async () => {
    const callee = mobile();
    const a = await aliyun().call(callee, notification(callee), signal());
    const t = await tencent().call(callee, notification(callee), signal());
    const w = await twilio().call(callee, notification(callee), signal());
    assert.deepEqual([a.kind, t.kind, w.kind], ['placed', 'placed', 'placed'], JSON.stringify([a, t, w]));
    assert.equal((await received('aliyun', callee))[0]!.params.CalledNumber, callee.replace('+86', ''));
    assert.equal((await received('tencent', callee))[0]!.params.CalledNumber, callee);
    assert.match(String((await received('twilio', callee))[0]!.params.Twiml), /<Say>Payments API down/);
  });

  it('reads the call result back from Twilio and Aliyun', async () => {
    const callee = mobile();
    for (const provider of [twilio(), aliyun()]) {
      const verdict = await provider.call(callee, notification(callee), signal());
      assert.equal(verdict.kind, 'placed');
      if (verdict.kind === 'placed') assert.equal(await provider.result!(verdict.ref, signal()), 'answered');
    }
  });

  it('a wrong secret is refused by every stand-in and is not retried with that provider', async () => {
    const callee = mobile();
    for (const provider of [aliyun('wrong'), tencent('wrong'), twilio('wrong')]) {
      const verdict = await provider.call(callee, notification(callee), signal());
      assert.equal(verdict.kind, 'rejected', `${provider.name}: ${JSON.stringify(verdict)}`);
    }
    assert.equal((await received('aliyun', callee))[0]!.answered, 'SignatureDoesNotMatch');
    assert.equal((await received('tencent', callee))[0]!.answered, 'AuthFailure.SignatureFailure');
  });

  it('a provider that does not answer is unavailable within the deadline', async () => {
    const callee = mobile();
    await control('tencent', { fault: 'timeout', callee });
    const slow = createTencentVoice({
      endpoint: `${base}/tencent/`,
      ...keys.tencent,
      voiceSdkAppid: '1400000000',
      templateId: '100',
      deadlineMs: 500,
    });
    assert.equal((await slow.call(callee, notification(callee), signal())).kind, 'unavailable');
    // The fault was this number's only: another callee reaches the same provider meanwhile.
    const other = mobile();
    assert.equal((await tencent().call(other, notification(other), signal())).kind, 'placed');
  });
});

describe('voice channel failover', () => {
  it('reaches the second provider when the first is rate limited', async () => {
    const callee = mobile();
    await control('aliyun', { fault: 'rate-limit', callee });
    const outcome = await createVoiceChannel([aliyun(), tencent()]).send([notification(callee)], signal());
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    assert.equal((await received('aliyun', callee))[0]!.answered, 'isv.BUSINESS_LIMIT_CONTROL');
    const tencentCalls = await received('tencent', callee);
    assert.equal(tencentCalls.length, 1);
    assert.equal(tencentCalls[0]!.params.CalledNumber, callee);
    if (outcome.kind === 'delivered') assert.match(outcome.providerRef ?? '', /^tencent:/);
    const secrets = [keys.aliyun.accessKeySecret, keys.tencent.secretKey];
    assert.ok(
      !secrets.some((secret) => JSON.stringify(outcome).includes(secret)),
      'no secret in the outcome',
    );
  });

  it("Aliyun's own per-callee limit (one call a minute) hands the second call to the next provider", async () => {
    const callee = mobile();
    const channel = createVoiceChannel([aliyun(), twilio()]);
    const first = await channel.send([notification(callee)], signal());
    const second = await channel.send([notification(callee)], signal());
    assert.ok(first.kind === 'delivered' && first.providerRef?.startsWith('aliyun:'), JSON.stringify(first));
    assert.ok(
      second.kind === 'delivered' && second.providerRef?.startsWith('twilio:'),
      JSON.stringify(second),
    );
  });
});
