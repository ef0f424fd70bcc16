// The robot channel over real HTTP against a tiny local server that answers as WeCom does (HTTP 200 with errcode);
// the sandbox's WeCom stand-in is exercised by tests/integration/cmdb-alerting/wecom.test.ts.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { Notification } from './channel.js';
import { utf8Bytes } from './markdown-split.js';
import { robotMessages } from './wecom-robot-messages.js';
import { createWecomRobotChannel } from './wecom-robot.js';
import { SendWindows } from './wecom-send-window.js';

const KEY = 'robot-key-6f1c2a9e-secret';
let server: Server;
let baseUrl: string;
let received: {
  key: string | null;
  body: Record<string, { content: string; mentioned_mobile_list?: string[]; mentioned_list?: string[] }>;
}[];
let answer: (n: number) => object | 'hang';

before(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const reply = answer(received.length);
      received.push({ key: new URL(req.url!, 'http://x').searchParams.get('key'), body: JSON.parse(raw) });
      if (reply !== 'hang') res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());
beforeEach(() => {
  received = [];
  answer = () => ({ errcode: 0, errmsg: 'ok' });
});

function notification(i: number, extra: Partial<Notification> = {}): Notification {
  return {
    idempotencyKey: `k${i}`,
    alertKey: `a${i}`,
    status: 'firing',
    severity: 'critical',
    title: `支付系统 pod crash loop #${i}`,
    markdown: `### 支付系统告警 #${i} 🔥\n` + '容器反复重启，数据库连接池耗尽。😀'.repeat(20),
    text: `alert ${i}`,
    recipients: [{ wecomUserId: 'zhangsan' }],
    ...extra,
  };
}

// A generous deadline (the unit tests run beside the browser tests at a low priority, where a 500 ms loopback
// answer has been missed); the timeout test passes its own short one.
function channel(logged: string[] = [], timeoutMs = 10_000) {
  return createWecomRobotChannel({
    key: KEY,
    baseUrl,
    timeoutMs,
    windows: new SendWindows(20, 60_000),
    log: { warn: (fields, message) => logged.push(JSON.stringify(fields) + message) },
  });
}

const contents = () => received.map((r) => (r.body.markdown ?? r.body.text)!.content);

describe('wecom-robot channel', () => {
  it('merges 60 notifications into few markdown messages within 4,096 bytes, all 60 in them, valid UTF-8', async () => {
    const batch = Array.from({ length: 60 }, (_, i) => notification(i));
    const outcome = await channel().send(batch, new AbortController().signal);
    assert.equal(outcome.kind, 'delivered');
    assert.ok(received.length <= 20 && received.length < 60, `${received.length} messages`);
    assert.ok(received.every((r) => r.key === KEY));
    for (const content of contents()) {
      assert.ok(utf8Bytes(content) <= 4096, `${utf8Bytes(content)} bytes`);
      assert.ok(!content.includes('\uFFFD'));
      assert.ok(content.includes('<@zhangsan>'), 'mentions by user id in markdown');
    }
    const all = contents().join('\n');
    for (let i = 0; i < 60; i++) assert.ok(all.includes(`支付系统告警 #${i} 🔥`), `notification ${i}`);
  });

  it('summarises a storm to the messages left this minute, counting what it could not show', async () => {
    const batch = Array.from({ length: 3000 }, (_, i) => notification(i));
    const robot = channel();
    const outcome = await robot.send(batch, new AbortController().signal);
    assert.equal(outcome.kind, 'delivered');
    assert.ok(received.length <= 20, `${received.length} messages`);
    const all = contents().join('\n');
    const shown = (all.match(/pod crash loop #/g) ?? []).length;
    const rest = Number(/… \+(\d+)/.exec(all)?.[1]);
    assert.equal(shown + rest, 3000, 'every notification represented');
    assert.ok(robot.nextSendAt(Date.now()) > Date.now() + 50_000, 'the window is full for about a minute');
    const second = await robot.send([notification(1)], new AbortController().signal);
    assert.equal(second.kind, 'retry');
    assert.equal(received.length, 20, 'nothing sent while the window is full');
  });

  it('45009 under HTTP 200 is a retry with a backoff, and the robot waits', async () => {
    answer = () => ({ errcode: 45009, errmsg: 'api freq out of limit' });
    const robot = channel();
    const outcome = await robot.send([notification(1)], new AbortController().signal);
    assert.equal(outcome.kind, 'retry');
    assert.ok(outcome.kind === 'retry' && outcome.retryAfterMs! >= 60_000);
    assert.ok(robot.nextSendAt(Date.now()) >= Date.now() + 59_000);
  });

  it('93000 is a receiver error; the key is in no outcome and no log line', async () => {
    answer = () => ({ errcode: 93000, errmsg: `invalid webhook url, hint: key=${KEY}` });
    const logged: string[] = [];
    const outcome = await channel(logged).send([notification(1)], new AbortController().signal);
    assert.equal(outcome.kind, 'failed');
    assert.ok(outcome.kind === 'failed' && outcome.reason === 'CMDB_ALERTING_WECOM_INVALID_ROBOT_KEY');
    assert.match(outcome.providerAnswer!, /93000/);
    assert.ok(logged.length > 0);
    assert.ok(!JSON.stringify(outcome).includes(KEY) && !logged.join('\n').includes(KEY));
  });

  it('a timeout is a retry', async () => {
    answer = () => 'hang';
    const outcome = await channel([], 500).send([notification(1)], new AbortController().signal);
    assert.equal(outcome.kind, 'retry');
    assert.match(JSON.stringify(outcome), /timeout/);
  });

  it('people known only by mobile are mentioned in a text message with mentioned_mobile_list', async () => {
    const batch = [notification(1, { recipients: [{ wecomUserId: 'lisi' }, { mobile: '13800000000' }] })];
    await channel().send(batch, new AbortController().signal);
    assert.equal(received.length, 2);
    assert.match(received[0]!.body.markdown!.content, /<@lisi>/);
    assert.deepEqual(received[1]!.body.text!.mentioned_mobile_list, ['13800000000']);
  });

  it('mentionAll mentions everyone (@all) in the text message; without it no text message is sent', async () => {
    const everyone = createWecomRobotChannel({
      key: KEY,
      baseUrl,
      mentionAll: true,
      windows: new SendWindows(20, 60_000),
    });
    await everyone.send([notification(1)], new AbortController().signal);
    assert.equal(received.length, 2);
    assert.deepEqual(received[1]!.body.text!.mentioned_list, ['@all']);
    assert.deepEqual(received[1]!.body.text!.mentioned_mobile_list, []);
    received = [];
    await channel().send([notification(2)], new AbortController().signal);
    assert.deepEqual(
      received.map((r) => Object.keys(r.body)),
      [['msgtype', 'markdown']],
    );
  });

  // ADR 0049: each message WeCom took is reported with exactly what it carries, so the outbox settles it at once.
  const numbers = (part: readonly Notification[]) => part.map((n) => Number(n.idempotencyKey.slice(1)));
  const shownIn = (content: string) =>
    [...content.matchAll(/支付系统告警 #(\d+) /g)].map((m) => Number(m[1]));

  it('a batch split into 3 messages with the 2nd refused reports the 1st message`s notifications, not the others', async () => {
    const batch = Array.from({ length: 9 }, (_, i) => notification(i));
    assert.equal(robotMessages(batch, 20).length, 3, 'the batch is split into 3 messages');
    answer = (n) =>
      n === 1 ? { errcode: 45009, errmsg: 'api freq out of limit' } : { errcode: 0, errmsg: 'ok' };
    const reported: number[][] = [];
    const outcome = await channel().send(
      batch,
      new AbortController().signal,
      async (part, providerAnswer) => {
        reported.push(numbers(part));
        assert.match(providerAnswer, /errcode 0/);
      },
    );
    assert.equal(outcome.kind, 'retry', 'the rest is left for retry');
    assert.equal(received.length, 2, 'nothing sent after the refusal');
    const first = shownIn(contents()[0]!);
    assert.ok(first.length > 0 && first.length < 9, `${first.length} in the 1st message`);
    assert.deepEqual(reported, [first]);
  });

  it('a summarised storm reports every notification once, the "… +N" message all it counts', async () => {
    const batch = Array.from({ length: 3000 }, (_, i) => notification(i));
    const reported: number[][] = [];
    const outcome = await channel().send(batch, new AbortController().signal, async (part) => {
      reported.push(numbers(part));
    });
    assert.equal(outcome.kind, 'delivered');
    assert.equal(reported.length, received.length, 'one report per message');
    assert.deepEqual(
      reported.flat().sort((a, b) => a - b),
      batch.map((_, i) => i),
    );
    const last = contents().at(-1)!;
    const rest = Number(/… \+(\d+)/.exec(last)?.[1]);
    assert.ok(rest > 0 && reported.at(-1)!.length >= rest, 'the count line carries what it counts');
    for (const [i, content] of contents().slice(0, -1).entries()) {
      const shown = [...content.matchAll(/pod crash loop #(\d+)/g)].map((m) => Number(m[1]));
      assert.deepEqual(reported[i], shown, `message ${i + 1} carries the lines it shows`);
    }
  });

  it('merged into one message, the batch is reported when WeCom takes it; the mentions text carries nothing', async () => {
    const batch = [1, 2, 3].map((i) =>
      notification(i, { markdown: `alert ${i}`, recipients: [{ mobile: '13800000000' }] }),
    );
    const reported: number[][] = [];
    answer = (n) =>
      n === 1 ? { errcode: 45009, errmsg: 'api freq out of limit' } : { errcode: 0, errmsg: 'ok' };
    const outcome = await channel().send(batch, new AbortController().signal, async (part) => {
      reported.push(numbers(part));
    });
    assert.equal(received.length, 2, 'one markdown message and the mentions text');
    assert.deepEqual(reported, [[1, 2, 3]]);
    assert.equal(outcome.kind, 'retry', 'the refused mentions text is reported as such, covering no row');
  });
});
