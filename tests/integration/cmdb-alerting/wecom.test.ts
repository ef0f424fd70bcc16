// cmdb-alerting's WeCom channels against the sandbox's WeCom stand-in (WECOM_API_URL in .sandbox/env; the real
// qyapi.weixin.qq.com is unreachable here): a storm merged under the robot's 20 messages a minute with every
// notification represented, 45009 → retry, 93000 → failed, the app's token refreshed on 42001, invaliduser per
// recipient, and no secret in any outcome or log line.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Notification } from '../../../backend/src/clients/channels/channel.js';
import { utf8Bytes } from '../../../backend/src/clients/channels/markdown-split.js';
import { AppTokens } from '../../../backend/src/clients/channels/wecom-app-token.js';
import { createWecomAppChannel } from '../../../backend/src/clients/channels/wecom-app.js';
import { createWecomRobotChannel } from '../../../backend/src/clients/channels/wecom-robot.js';
import { SendWindows } from '../../../backend/src/clients/channels/wecom-send-window.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';

const base = process.env.WECOM_API_URL ?? readSandboxEnv().WECOM_API_URL!;
const signal = () => new AbortController().signal;
const logged: string[] = [];
const log = {
  warn: (fields: object, message: string) => logged.push(JSON.stringify(fields) + ' ' + message),
};

async function standIn(path: string, body?: object): Promise<unknown> {
  const response = await fetch(new URL(path, base), {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

interface Received {
  api: string;
  errcode: number;
  body: { msgtype: string; markdown?: { content: string }; touser?: string };
}
const received = async (target: string) =>
  (await standIn(`/_stand-in/received?target=${encodeURIComponent(target)}`)) as Received[];

function notification(i: number, recipients: Notification['recipients']): Notification {
  return {
    idempotencyKey: `k${i}`,
    alertKey: `a${i}`,
    status: 'firing',
    severity: 'critical',
    title: `支付系统 pod CrashLoopBackOff #${i} 🔥`,
    markdown: `### 支付系统告警 #${i} 🔥\n` + '容器反复重启，内存不足被终止。'.repeat(10),
    text: `alert ${i}`,
    recipients,
  };
}

const robot = (key: string) =>
  createWecomRobotChannel({ key, baseUrl: base, timeoutMs: 2000, windows: new SendWindows(20, 60_000), log });

describe('WeCom channels against the WeCom stand-in', () => {
  it('a storm of 60 notifications: at most 20 messages in the minute, all 60 in them, none refused', async () => {
    const key = randomUUID();
    await standIn('/_stand-in/config', { robots: [key] });
    const batch = Array.from({ length: 60 }, (_, i) => notification(i, [{ wecomUserId: 'zhangsan' }]));
    const outcome = await robot(key).send(batch, signal());
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    const messages = await received(key);
    assert.ok(messages.length <= 20, `${messages.length} messages`);
    assert.ok(messages.every((m) => m.errcode === 0 && utf8Bytes(m.body.markdown!.content) <= 4096));
    const all = messages.map((m) => m.body.markdown!.content).join('\n');
    for (let i = 0; i < 60; i++)
      assert.ok(all.includes(`支付系统告警 #${i} 🔥`), `notification ${i} represented`);
  });

  it('45009 from WeCom is a retry with a backoff; 93000 is a receiver error; the key is never shown', async () => {
    const key = randomUUID();
    await standIn('/_stand-in/config', { robots: [key] });
    await standIn('/_stand-in/faults', { target: key, fault: 'rate-limit' });
    const limited = robot(key);
    const retry = await limited.send([notification(1, [])], signal());
    assert.equal(retry.kind, 'retry');
    assert.ok(retry.kind === 'retry' && retry.retryAfterMs! >= 60_000);
    assert.ok(limited.nextSendAt(Date.now()) > Date.now() + 50_000, 'the outbox is told to wait');

    const unknownKey = randomUUID();
    const failed = await robot(unknownKey).send([notification(2, [])], signal());
    assert.equal(failed.kind, 'failed');
    assert.ok(failed.kind === 'failed' && failed.reason === 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY');
    const everything = JSON.stringify([retry, failed]) + logged.join('\n');
    assert.ok(!everything.includes(key) && !everything.includes(unknownKey));
  });

  it('a timeout and a 500 are retries', async () => {
    const key = randomUUID();
    await standIn('/_stand-in/config', { robots: [key] });
    await standIn('/_stand-in/faults', { target: key, fault: 'server-error' });
    assert.equal((await robot(key).send([notification(1, [])], signal())).kind, 'retry');
    await standIn('/_stand-in/faults', { target: key, fault: 'timeout' });
    const timedOut = createWecomRobotChannel({
      key,
      baseUrl: base,
      timeoutMs: 300,
      windows: new SendWindows(20, 60_000),
    });
    assert.equal((await timedOut.send([notification(1, [])], signal())).kind, 'retry');
    await standIn('/_stand-in/faults', { target: key, fault: null });
  });

  it('the app refreshes an expired token once (42001) and reports invaliduser per recipient', async () => {
    const corpId = `ww${randomUUID().slice(0, 8)}`;
    const corpSecret = randomUUID();
    await standIn('/_stand-in/config', {
      apps: [{ corpId, corpSecret, agentId: 1000002 }],
      users: ['zhangsan'],
    });
    const app = createWecomAppChannel({
      corpId,
      corpSecret,
      agentId: 1000002,
      baseUrl: base,
      tokens: new AppTokens(2000),
      windows: new SendWindows(30, 60_000),
      log,
    });
    const people = [{ wecomUserId: 'zhangsan' }, { wecomUserId: 'nobody-here' }];
    assert.equal((await app.send([notification(1, people)], signal())).kind, 'delivered');
    await standIn('/_stand-in/config', { expireTokens: true });
    const outcome = await app.send([notification(2, people)], signal());
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    const calls = await received(corpId);
    assert.deepEqual(
      calls.map((c) => `${c.api}:${c.errcode}`),
      ['gettoken:0', 'message:0', 'message:42001', 'gettoken:0', 'message:0'],
    );
    assert.deepEqual(outcome.kind === 'delivered' && outcome.perRecipient, [
      { recipient: 'zhangsan', outcome: 'delivered' },
      { recipient: 'nobody-here', outcome: 'failed', detail: 'invaliduser' },
    ]);
    assert.ok(!(JSON.stringify(outcome) + logged.join('\n')).includes(corpSecret));
  });

  it('the app packs a storm within 2,048 bytes and its 30 messages a minute, every notification represented', async () => {
    const corpId = `ww${randomUUID().slice(0, 8)}`;
    const corpSecret = randomUUID();
    await standIn('/_stand-in/config', { apps: [{ corpId, corpSecret, agentId: 9 }], users: ['zhangsan'] });
    const app = createWecomAppChannel({
      ...{ corpId, corpSecret, agentId: 9, baseUrl: base, log },
      ...{ tokens: new AppTokens(2000), windows: new SendWindows(30, 60_000) },
    });
    const batch = Array.from({ length: 400 }, (_, i) => notification(i, [{ wecomUserId: 'zhangsan' }]));
    assert.equal((await app.send(batch, signal())).kind, 'delivered');
    const sent = (await received(corpId)).filter((c) => c.api === 'message');
    assert.ok(
      sent.length <= 30 && sent.every((m) => utf8Bytes(m.body.markdown!.content) <= 2048),
      `${sent.length}`,
    );
    const all = sent.map((m) => m.body.markdown!.content).join('\n');
    const shown = (all.match(/CrashLoopBackOff #/g) ?? []).length;
    assert.equal(shown + Number(/… \+(\d+)/.exec(all)?.[1] ?? 0), 400);
  });

  it('the app: a wrong secret and an untrusted IP (60020) are receiver errors, not retried', async () => {
    const corpId = `ww${randomUUID().slice(0, 8)}`;
    const corpSecret = randomUUID();
    await standIn('/_stand-in/config', { apps: [{ corpId, corpSecret, agentId: 7 }], users: ['zhangsan'] });
    const channel = (secret: string) =>
      createWecomAppChannel({
        corpId,
        corpSecret: secret,
        agentId: 7,
        baseUrl: base,
        tokens: new AppTokens(2000),
        windows: new SendWindows(30, 60_000),
        log,
      });
    const wrong = await channel('not-the-secret').send(
      [notification(1, [{ wecomUserId: 'zhangsan' }])],
      signal(),
    );
    assert.ok(wrong.kind === 'failed' && wrong.reason === 'CMDB_ALERTING_WECOM_BAD_CREDENTIALS');
    await standIn('/_stand-in/faults', { target: corpId, fault: 'ip-not-trusted' });
    const ip = await channel(corpSecret).send([notification(1, [{ wecomUserId: 'zhangsan' }])], signal());
    assert.ok(ip.kind === 'failed' && ip.reason === 'CMDB_ALERTING_WECOM_IP_NOT_TRUSTED', JSON.stringify(ip));
    assert.ok(!(JSON.stringify([wrong, ip]) + logged.join('\n')).includes(corpSecret));
  });
});
