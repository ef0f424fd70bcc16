import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Channel, DeliveryOutcome, Notification } from '../../clients/channels/channel.js';
import { createTranslator, shippedCatalogues, type Language } from '../../core/i18n.js';
import { createReplyAnswers, REFUSAL_MESSAGE, type ReplyAnswersDeps } from './wecom-reply-answer.js';

/** A test channel: records what it was asked to send and answers what the test says. */
function recordingTestChannel(answer: () => Promise<DeliveryOutcome>) {
  const sent: Notification[][] = [];
  const channel: Channel = {
    type: 'wecom-app',
    async send(batch) {
      sent.push([...batch]);
      return answer();
    },
    nextSendAt: (now) => now,
  };
  return { channel, sent };
}

function harness(options: { language?: Language; answer?: () => Promise<DeliveryOutcome> } = {}) {
  let clock = 1_800_000_000_000;
  const logs: Record<string, unknown>[] = [];
  const test = recordingTestChannel(
    options.answer ?? (async () => ({ kind: 'delivered', providerAnswer: 'errcode 0: ok' })),
  );
  const deps: ReplyAnswersDeps = {
    channelFor: async (receiver) =>
      receiver === 'gone' ? undefined : { channel: test.channel, language: options.language ?? 'en' },
    translate: createTranslator(shippedCatalogues()),
    log: (fields) => void logs.push(fields),
    now: () => clock,
    everyMs: 60_000,
    memoryBytes: 4_096,
    timeoutMs: 1_000,
  };
  return { answers: createReplyAnswers(deps), sent: test.sent, logs, tick: (ms: number) => (clock += ms) };
}

describe('answering a WeCom reply that acknowledged nothing', () => {
  it('tells that person alone why, in the receiver`s language, without the code', async () => {
    const en = harness();
    await en.answers.answer('team/app', 'lisi', 'not-sent-to-user');
    const [[message]] = en.sent as [[Notification]];
    assert.deepEqual(message.recipients, [{ wecomUserId: 'lisi' }]);
    assert.match(message.markdown, /was not sent to you/);
    assert.deepEqual(en.logs.at(-1), {
      receiver: 'team/app',
      userId: 'lisi',
      why: 'not-sent-to-user',
      outcome: 'answered',
    });
    const zh = harness({ language: 'zh' });
    for (const why of Object.keys(REFUSAL_MESSAGE) as (keyof typeof REFUSAL_MESSAGE)[]) {
      zh.tick(60_000);
      await zh.answers.answer('app', 'zhangsan', why);
    }
    const texts = zh.sent.map(([n]) => n!.text);
    assert.equal(new Set(texts).size, 5, 'one message per reason');
    assert.ok(
      texts.every((t) => /[\u4e00-\u9fff]/.test(t) && !t.includes('CMDB_ALERTING')),
      texts.join('\n'),
    );
  });

  it('answers a person at most once a minute per receiver, so wrong codes in a row cannot use up the app', async () => {
    const h = harness();
    await h.answers.answer('app', 'lisi', 'unknown-code');
    await h.answers.answer('app', 'lisi', 'unknown-code');
    await h.answers.answer('other-app', 'lisi', 'unknown-code');
    assert.equal(h.sent.length, 2);
    assert.equal(h.logs[1]?.outcome, 'answered-lately');
    h.tick(60_000);
    await h.answers.answer('app', 'lisi', 'expired');
    assert.equal(h.sent.length, 3);
  });

  it('keeps its memory of whom it answered within its bytes, forgetting the oldest first', async () => {
    const h = harness();
    for (let i = 0; i < 200; i++) await h.answers.answer('app', `user-${i}`, 'unknown-code');
    assert.equal(h.sent.length, 200);
    assert.ok(h.answers.size().bytes <= 4_096, JSON.stringify(h.answers.size()));
    await h.answers.answer('app', 'user-199', 'unknown-code');
    assert.equal(h.sent.length, 200, 'the newest are still remembered');
  });

  it('a full send window, a provider error or a receiver gone is a log line, never a throw', async () => {
    const limited = harness({
      answer: async () => ({
        kind: 'retry',
        reason: 'CMDB_ALERTING_WECOM_RATE_LIMITED',
        retryAfterMs: 5_000,
      }),
    });
    await limited.answers.answer('app', 'lisi', 'expired');
    assert.equal(limited.logs.at(-1)?.outcome, 'not-answered');
    assert.equal(limited.logs.at(-1)?.reason, 'CMDB_ALERTING_WECOM_RATE_LIMITED');
    const broken = harness({ answer: () => Promise.reject(new Error('socket hang up')) });
    await broken.answers.answer('app', 'lisi', 'expired');
    assert.deepEqual(
      [broken.logs.at(-1)?.outcome, broken.logs.at(-1)?.reason],
      ['not-answered', 'socket hang up'],
    );
    const gone = harness();
    await gone.answers.answer('gone', 'lisi', 'expired');
    assert.deepEqual([gone.logs.at(-1)?.outcome, gone.sent.length], ['no-channel', 0]);
  });
});
