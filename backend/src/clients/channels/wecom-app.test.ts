// The app channel over real HTTP against a tiny local server that answers as WeCom does (gettoken, then
// message/send with HTTP 200 and an errcode); the sandbox's WeCom stand-in is exercised by
// tests/integration/cmdb-alerting/wecom.test.ts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Notification } from './channel.js';
import { AppTokens } from './wecom-app-token.js';
import { APP_MARKDOWN_MAX_BYTES, createWecomAppChannel } from './wecom-app.js';
import { markdownBodies } from './wecom-robot-messages.js';
import { SendWindows } from './wecom-send-window.js';

let server: Server;
let baseUrl: string;
let received: { markdown: { content: string } }[];
let answer: (n: number) => object;

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      if (req.url!.startsWith('/cgi-bin/gettoken'))
        return res.end(JSON.stringify({ errcode: 0, access_token: 'tok', expires_in: 7200 }));
      const reply = answer(received.length);
      received.push(JSON.parse(raw) as { markdown: { content: string } });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());
beforeEach(() => {
  received = [];
  answer = (n) => ({ errcode: 0, errmsg: 'ok', msgid: `msg-${n}` });
});

function notification(i: number): Notification {
  return {
    idempotencyKey: `k${i}`,
    alertKey: `a${i}`,
    status: 'firing',
    severity: 'critical',
    title: `GPU 节点掉卡 #${i}`,
    markdown: `### GPU 节点掉卡 #${i} 🔥\n` + '训练任务中断，显存 ECC 错误。'.repeat(20),
    text: `alert ${i}`,
    recipients: [{ wecomUserId: 'zhangsan' }],
  };
}

const channel = (perMinute = 30) =>
  createWecomAppChannel({
    corpId: 'corp-outbox',
    corpSecret: 'app-secret-9d2f',
    agentId: 1000002,
    baseUrl,
    timeoutMs: 1_000,
    tokens: new AppTokens(1_000),
    windows: new SendWindows(perMinute, 60_000),
  });

const numbers = (part: readonly Notification[]) => part.map((n) => Number(n.idempotencyKey.slice(1)));

describe('wecom-app channel reports each message WeCom took (ADR 0049)', () => {
  it('a batch split into 3 messages with the 2nd refused (45009) reports the 1st`s notifications only', async () => {
    const batch = Array.from({ length: 6 }, (_, i) => notification(i));
    const planned = markdownBodies(batch, 30, APP_MARKDOWN_MAX_BYTES);
    assert.equal(planned.length, 3, 'the batch is split into 3 messages');
    answer = (n) =>
      n === 1 ? { errcode: 45009, errmsg: 'api freq out of limit' } : { errcode: 0, msgid: 'm1' };
    const reported: { numbers: number[]; answer: string; ref?: string }[] = [];
    const outcome = await channel().send(batch, AbortSignal.timeout(5_000), async (part, said, ref) => {
      reported.push({ numbers: numbers(part), answer: said, ...(ref ? { ref } : {}) });
    });
    assert.equal(outcome.kind, 'retry', 'the rest is left for retry');
    assert.equal(received.length, 2, 'nothing sent after the refusal');
    const first = [...received[0]!.markdown.content.matchAll(/掉卡 #(\d+) /g)].map((m) => Number(m[1]));
    assert.ok(first.length > 0 && first.length < 6, `${first.length} in the 1st message`);
    assert.deepEqual(reported, [{ numbers: first, answer: 'errcode 0: ok (message 1 of 3)', ref: 'm1' }]);
  });

  it('a storm summarised to the minute`s room reports every notification once, the "… +N" message all it counts', async () => {
    const batch = Array.from({ length: 200 }, (_, i) => notification(i));
    const reported: number[][] = [];
    const outcome = await channel(3).send(batch, AbortSignal.timeout(5_000), async (part) => {
      reported.push(numbers(part));
    });
    assert.equal(outcome.kind, 'delivered');
    assert.equal(received.length, 3);
    assert.equal(reported.length, 3, 'one report per message');
    assert.deepEqual(
      reported.flat().sort((a, b) => a - b),
      batch.map((_, i) => i),
    );
    const rest = Number(/… \+(\d+)/.exec(received[2]!.markdown.content)?.[1]);
    assert.ok(rest > 0 && reported[2]!.length >= rest, 'the count line carries what it counts');
  });

  it('without a reporter the outcome covers the whole batch, as before', async () => {
    const outcome = await channel().send([notification(1), notification(2)], AbortSignal.timeout(5_000));
    assert.equal(outcome.kind, 'delivered');
  });
});
