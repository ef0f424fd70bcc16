// Phone calls' results read back into the delivery trail (ADR 0044), against the sandbox's voice provider stand-ins:
// the outbox's real dispatcher places a call through Twilio and one through Alibaba Cloud (each stand-in checks the
// provider's documented signature), the delivered attempt keeps the call ids, and the call-result poller asks each
// provider (Twilio Calls/{sid}, Alibaba QueryCallDetailByCallId) and records "answered" once per call.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Registry } from 'prom-client';
import type { Notification } from '../../../backend/src/clients/channels/channel.js';
import { createAliyunVoice } from '../../../backend/src/clients/channels/voice/aliyun.js';
import { createTwilioVoice } from '../../../backend/src/clients/channels/voice/twilio.js';
import { createVoiceChannel } from '../../../backend/src/clients/channels/voice/voice.js';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { createOutboxStore, type OutboxStore } from '../../../backend/src/clients/store/outbox.js';
import { startCallResultPoller } from '../../../backend/src/features/cmdb-alerting/call-results.js';
import { createDispatchMetrics } from '../../../backend/src/features/cmdb-alerting/dispatch-metrics.js';
import {
  defaultDispatchSettings,
  startDispatcher,
} from '../../../backend/src/features/cmdb-alerting/dispatch.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';

const sandbox = readSandboxEnv();
const base = sandbox.VOICE_STANDIN_URL!;
const keys = JSON.parse(readFileSync(sandbox.VOICE_STANDIN_CREDENTIALS!, 'utf8')) as {
  aliyun: { accessKeyId: string; accessKeySecret: string };
  twilio: { accountSid: string; authToken: string };
};
const channels = {
  'phones-twilio': createVoiceChannel([
    createTwilioVoice({ endpoint: `${base}/twilio`, ...keys.twilio, from: '+15005550006' }),
  ]),
  'phones-aliyun': createVoiceChannel([
    createAliyunVoice({ endpoint: `${base}/aliyun/`, ...keys.aliyun, ttsCode: 'TTS_1' }),
  ]),
};
const mobile = () => `+86137${String(randomInt(10_000_000, 99_999_999))}`;
const note = (key: string): Notification => ({
  idempotencyKey: key,
  alertKey: `call-results-${key}`,
  status: 'firing',
  severity: 'critical',
  title: 'Payments API down',
  markdown: '',
  text: 'Payments API has no ready pods',
  recipients: [{ name: 'owner', mobile: mobile() }],
});

describe('call results from the voice stand-ins into the trail', () => {
  let store: Store;
  let outbox: OutboxStore;
  before(async () => {
    store = createStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'call-results-')), 'b.sqlite')}`);
    await store.migrate();
    outbox = createOutboxStore(store);
  });
  after(async () => store.close());

  it('the dispatcher places the calls; the poller records each one answered, once', async () => {
    const run = String(randomInt(1e9));
    await outbox.enqueue(
      [
        { receiver: 'phones-twilio', notification: note(`t-${run}`) },
        { receiver: 'phones-aliyun', notification: note(`a-${run}`) },
      ],
      Date.now(),
    );
    const dispatcher = startDispatcher({
      outbox,
      channelFor: (receiver) => channels[receiver as keyof typeof channels],
      metrics: createDispatchMetrics(new Registry(), () => outbox.depth()),
      owner: 'call-results-test',
      // Polled by hand below.
      settings: { ...defaultDispatchSettings, pollMs: 3_600_000 },
      onError: () => undefined,
    });
    await dispatcher.tick();
    await dispatcher.idle();
    await dispatcher.stop();
    const placed = [
      ...(await outbox.trail(`call-results-t-${run}`)),
      ...(await outbox.trail(`call-results-a-${run}`)),
    ];
    assert.deepEqual(
      placed.map((e) => e.outcome),
      ['delivered', 'delivered'],
      JSON.stringify(placed),
    );
    const pending = await outbox.pendingCalls(0, 10);
    assert.deepEqual(pending.map((c) => c.ref.split(':')[0]).sort(), ['aliyun', 'twilio']);

    const errors: string[] = [];
    const poller = startCallResultPoller({
      outbox,
      channelFor: (receiver) => channels[receiver as keyof typeof channels],
      onError: (_what, err) => errors.push(String(err)),
      everyMs: 0,
    });
    assert.equal(await poller.pollOnce(), 2, errors.join('; '));
    assert.equal(await poller.pollOnce(), 0, 'recorded once');
    await poller.stop();
    for (const key of [`t-${run}`, `a-${run}`]) {
      const results = (await outbox.trail(`call-results-${key}`)).filter((e) => e.outcome !== 'delivered');
      assert.equal(results.length, 1, JSON.stringify(results));
      assert.equal(results[0]!.outcome, 'answered');
      assert.match(results[0]!.providerAnswer ?? '', /^(twilio|aliyun):\S+: answered$/);
    }
  });
});
