import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RecipientResult } from '../../clients/channels/channel.js';
import type { VoiceChannel } from '../../clients/channels/voice/voice.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createOutboxStore, type OutboxStore } from '../../clients/store/outbox.js';
import { startCallResultPoller } from './call-results.js';
import { notificationFixture } from './test-fixtures.js';

const note = (key: string) =>
  notificationFixture({
    idempotencyKey: key,
    alertKey: 'alert-call',
    recipients: [
      { name: 'owner', mobile: '+8613800000001' },
      { name: 'backup', mobile: '+8613800000002' },
    ],
  });

/** A voice channel stand-in: answers each call id's result from a table the test sets, counting the questions. */
function voiceStandIn(results: Map<string, RecipientResult['outcome']>) {
  const asked: string[] = [];
  const channel: VoiceChannel = {
    type: 'voice',
    nextSendAt: (now) => now,
    send: async () => ({ kind: 'delivered', providerAnswer: 'placed' }),
    async callResult(ref) {
      asked.push(ref);
      const result = results.get(ref);
      if (result === undefined) throw new Error('provider timeout');
      return result;
    },
  };
  return { channel, asked };
}

describe('phone call results read back into the delivery trail (SQLite outbox)', () => {
  let store: Store;
  let outbox: OutboxStore;
  const t0 = 1_800_000_000_000;
  let clock = t0;
  before(async () => {
    store = createStore('sqlite::memory:');
    await store.migrate();
    outbox = createOutboxStore(store);
    await outbox.enqueue([{ receiver: 'phones', notification: note('call-1') }], t0);
    const [row] = await outbox.claim('phones', 'r1', t0, t0 + 60_000, 10);
    await outbox.complete(
      'r1',
      { kind: 'delivered', ids: [row!.id] },
      {
        channel: 'voice',
        outcome: 'delivered',
        providerAnswer: 'owner: pending | backup: pending',
        providerRef: 'twilio:CA1 aliyun:116',
        at: t0 + 1,
      },
    );
  });
  after(async () => store.close());

  it('records each final result once, keeps asking about pending ones, and stops after the window', async () => {
    const results = new Map<string, RecipientResult['outcome']>([
      ['twilio:CA1', 'answered'],
      ['aliyun:116', 'pending'],
    ]);
    const voice = voiceStandIn(results);
    const errors: string[] = [];
    const poller = startCallResultPoller({
      outbox,
      channelFor: (receiver) => (receiver === 'phones' ? voice.channel : undefined),
      onError: (_what, err) => errors.push(String(err)),
      everyMs: 0,
      windowMs: 60_000,
      now: () => clock,
    });
    clock = t0 + 10_000;
    assert.equal(await poller.pollOnce(), 1);
    assert.equal(await poller.pollOnce(), 0, 'answered is recorded once; aliyun is still pending');
    assert.deepEqual(voice.asked, ['twilio:CA1', 'aliyun:116', 'aliyun:116']);
    results.set('aliyun:116', 'not-answered');
    assert.equal(await poller.pollOnce(), 1);
    const calls = (await outbox.trail('alert-call')).filter((e) => e.outcome !== 'delivered');
    assert.deepEqual(
      calls.map((e) => [e.outcome, e.providerAnswer, e.channel, e.receiver]),
      [
        ['answered', 'twilio:CA1: answered', 'voice', 'phones'],
        ['not-answered', 'aliyun:116: not-answered', 'voice', 'phones'],
      ],
    );
    assert.deepEqual(await outbox.pendingCalls(t0, 10), []);
    await poller.stop();
    assert.deepEqual(errors, []);
  });

  it('asks again after a provider that did not answer, and not at all once the window has passed', async () => {
    await outbox.enqueue([{ receiver: 'phones', notification: note('call-2') }], clock);
    const [row] = await outbox.claim('phones', 'r1', clock, clock + 60_000, 10);
    await outbox.complete(
      'r1',
      { kind: 'delivered', ids: [row!.id] },
      { channel: 'voice', outcome: 'delivered', providerAnswer: 'x', providerRef: 'twilio:CA2', at: clock },
    );
    const results = new Map<string, RecipientResult['outcome']>();
    const voice = voiceStandIn(results);
    const errors: string[] = [];
    const poller = startCallResultPoller({
      outbox,
      channelFor: () => voice.channel,
      onError: (_what, err) => errors.push(String(err)),
      everyMs: 0,
      windowMs: 60_000,
      now: () => clock,
    });
    assert.equal(await poller.pollOnce(), 0);
    assert.match(errors[0] ?? '', /provider timeout/);
    results.set('twilio:CA2', 'failed');
    clock += 60_001;
    assert.equal(await poller.pollOnce(), 0, 'placed before the window: no longer asked');
    assert.deepEqual(voice.asked, ['twilio:CA2']);
    await poller.stop();
  });
});
