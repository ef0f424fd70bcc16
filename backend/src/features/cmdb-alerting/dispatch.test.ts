import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Channel, DeliveryOutcome, Notification } from '../../clients/channels/channel.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createOutboxStore, type OutboxStore } from '../../clients/store/outbox.js';
import { createDispatchMetrics } from './dispatch-metrics.js';
import { backoffMs } from './dispatch-policy.js';
import { defaultDispatchSettings, startDispatcher, type Dispatcher } from './dispatch.js';
import { notificationFixture } from './test-fixtures.js';

/** A test channel: records each send's keys and answers what the test queued (delivered by default). */
function recordingTestChannel() {
  const sends: string[][] = [];
  const answers: DeliveryOutcome[] = [];
  let nextSendAt = 0;
  const channel: Channel = {
    type: 'webhook',
    async send(batch: readonly Notification[]) {
      sends.push(batch.map((n) => n.idempotencyKey));
      return answers.shift() ?? { kind: 'delivered', providerAnswer: 'ok' };
    },
    nextSendAt: (now) => Math.max(now, nextSendAt),
  };
  return { channel, sends, answers, holdUntil: (t: number) => void (nextSendAt = t) };
}

const note = (key: string, alertKey = 'a1') =>
  notificationFixture({ idempotencyKey: key, alertKey, severity: 'warning', recipients: [{ name: 'ops' }] });

describe('outbox dispatcher (SQLite store, test channel)', () => {
  let store: Store;
  let outbox: OutboxStore;
  let dispatcher: Dispatcher;
  let clock = 1_800_000_000_000;
  const registry = new Registry();
  const test = recordingTestChannel();
  /** Sends one provider message per notification; the provider takes `parts.take` of them, then answers 500. */
  const parts = { take: 1, sent: [] as string[] };
  const partwise: Channel = {
    type: 'email',
    async send(batch, _signal, accepted) {
      for (const n of batch) {
        if (parts.sent.length >= parts.take) return { kind: 'retry', reason: '500 try later' };
        parts.sent.push(n.idempotencyKey);
        await accepted?.([n], `accepted ${n.idempotencyKey}`);
      }
      return { kind: 'delivered', providerAnswer: 'all accepted' };
    },
    nextSendAt: (now) => now,
  };
  const held: Channel = {
    type: 'webhook',
    send: test.channel.send,
    nextSendAt: () => Number.MAX_SAFE_INTEGER,
  };

  before(async () => {
    store = createStore('sqlite::memory:');
    await store.migrate();
    outbox = createOutboxStore(store);
    dispatcher = startDispatcher({
      outbox,
      channelFor: (receiver) =>
        receiver === 'ops' || receiver === 'zz-free'
          ? test.channel
          : receiver === 'parts'
            ? partwise
            : receiver.startsWith('held')
              ? held
              : undefined,
      metrics: createDispatchMetrics(registry, () => outbox.depth()),
      owner: 'replica-test',
      settings: { ...defaultDispatchSettings, pollMs: 3_600_000, maxAttempts: 2 },
      onError: () => undefined,
      now: () => clock,
      random: () => 0.5,
    });
  });
  after(async () => {
    await dispatcher.stop();
    await store.close();
  });

  const round = async () => {
    await dispatcher.tick();
    await dispatcher.idle();
  };

  it('waits for the channel to allow a send, then merges everything due into one send', async () => {
    test.holdUntil(clock + 60_000);
    await outbox.enqueue([{ receiver: 'ops', notification: note('k1') }], clock);
    await round();
    assert.deepEqual(test.sends, [], 'held back by nextSendAt');
    await outbox.enqueue([{ receiver: 'ops', notification: note('k2') }], clock);
    clock += 60_000;
    await round();
    assert.deepEqual(test.sends, [['k1', 'k2']]);
    await round();
    assert.equal(test.sends.length, 1, 'a delivered notification is never sent again');
    const trail = await outbox.trail('a1');
    assert.deepEqual(
      trail.map((e) => [e.channel, e.outcome, e.providerAnswer]),
      [
        ['webhook', 'delivered', 'ok'],
        ['webhook', 'delivered', 'ok'],
      ],
    );
  });

  it("retries after the backoff or the provider's retry-after, then dead-letters", async () => {
    await outbox.enqueue([{ receiver: 'ops', notification: note('k3', 'a3') }], clock);
    test.answers.push({ kind: 'retry', reason: '45009', retryAfterMs: 30_000 });
    test.answers.push({ kind: 'retry', reason: '45009' });
    await round();
    clock += 29_999;
    await round();
    assert.equal(test.sends.length, 2, 'not before retry-after');
    clock += 1;
    await round();
    assert.equal(test.sends.length, 3);
    const [dead] = await outbox.deadLetters(10);
    assert.equal(dead?.idempotencyKey, 'k3');
    assert.match(dead?.lastError ?? '', /45009 \(after 2 attempts\)/);
    const text = await registry.metrics();
    assert.match(text, /ksgpuml_cmdb_alerting_delivery_attempts_total\{outcome="retry"\} 2/);
    assert.match(text, /ksgpuml_cmdb_alerting_dead_letters_total 1/);
    assert.match(text, /ksgpuml_cmdb_alerting_outbox_rows\{state="delivered"\} 2/);
  });

  it('dead-letters at once what the provider refused for good, or a receiver without a channel', async () => {
    await outbox.enqueue(
      [
        { receiver: 'ops', notification: note('k4', 'a4') },
        { receiver: 'gone', notification: note('k5', 'a4') },
      ],
      clock,
    );
    test.answers.push({ kind: 'failed', reason: '93000 invalid webhook key' });
    await round();
    const errors = (await outbox.deadLetters(10)).map((d) => d.lastError).sort();
    assert.deepEqual(errors, [
      '45009 (after 2 attempts)',
      '93000 invalid webhook key',
      'receiver gone has no channel configured',
    ]);
  });

  it('receivers held back by their channel do not starve the others', async () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({
      receiver: `held-${i}`,
      notification: note(`h${i}`, 'a6'),
    }));
    await outbox.enqueue([...entries, { receiver: 'zz-free', notification: note('k6', 'a6') }], clock);
    const before = test.sends.length;
    await round();
    assert.deepEqual(test.sends.slice(before), [['k6']]);
  });

  it('settles each part of a batch as the provider acknowledges it; only the rest is retried', async () => {
    await outbox.enqueue(
      ['p1', 'p2', 'p3'].map((key) => ({ receiver: 'parts', notification: note(key, 'a7') })),
      clock,
    );
    await round();
    assert.deepEqual(parts.sent, ['p1']);
    const rows = await store.db
      .selectFrom('outbox_delivery')
      .select(['idempotency_key', 'state'])
      .where('receiver', '=', 'parts')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.idempotency_key, r.state]),
      [
        ['p1', 'delivered'],
        ['p2', 'pending'],
        ['p3', 'pending'],
      ],
    );
    parts.take = 3;
    clock += 60_000;
    await round();
    assert.deepEqual(parts.sent, ['p1', 'p2', 'p3'], 'p1 was not sent again');
    assert.deepEqual(
      (await outbox.trail('a7')).map((e) => [e.outcome, e.providerAnswer ?? e.error]),
      [
        ['delivered', 'accepted p1'],
        ['retry', '500 try later'],
        ['retry', '500 try later'],
        ['delivered', 'accepted p2'],
        ['delivered', 'accepted p3'],
      ],
    );
  });

  it('backs off exponentially with jitter, capped, never before retry-after', () => {
    const policy = { maxAttempts: 5, baseBackoffMs: 1_000, maxBackoffMs: 10_000 };
    assert.equal(backoffMs(1, policy, 0), 500);
    assert.equal(backoffMs(3, policy, 1), 4_000);
    assert.equal(backoffMs(10, policy, 1), 10_000);
    assert.equal(backoffMs(1, policy, 1, 7_000), 7_000);
  });
});
