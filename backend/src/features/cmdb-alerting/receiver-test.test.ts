import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import type { Channel } from '../../clients/channels/channel.js';
import { unavailableChannel } from '../../clients/channels/factory.js';
import { createWebhookChannel, verifyWebhook } from '../../clients/channels/webhook.js';
import { startHttpStandIn, type ListeningStandIn } from '../../clients/test-http-stand-in.js';
import { AppError } from '../../core/errors.js';
import { createTranslator, shippedCatalogues } from '../../core/i18n.js';
import { createReceiverTester } from './receiver-test.js';

const status = (err: unknown) => (err instanceof AppError ? err.statusCode : undefined);
const translate = createTranslator(shippedCatalogues());

const receiver = (name: string, language = 'en'): ReceiverInput => ({
  name,
  type: 'webhook',
  settings: { url: 'http://127.0.0.1/', language },
  secretRefs: {},
  recipients: [{ name: 'ops', email: 'ops@example.com' }],
});

/** A generic-webhook endpoint on loopback: records what it got and answers what the test sets. */
describe('receiver "send test" (a real webhook channel to a loopback endpoint)', () => {
  let endpoint: ListeningStandIn;
  let url = '';
  const received: { body: string; verified: boolean }[] = [];
  let answer = { status: 200, body: '{"accepted":true}' };
  let clock = 1_800_000_000_000;
  const rows = new Map<string, ReceiverInput>([
    ['/hook', receiver('hook')],
    ['ws-a/zh-hook', receiver('zh-hook', 'zh')],
    ['/broken', receiver('broken')],
  ]);
  const channels = new Map<string, Channel>();

  const tester = () =>
    createReceiverTester({
      receivers: {
        get: async (owner, name) => {
          const spec = rows.get(`${owner}/${name}`);
          return spec && { owner, name, spec, updatedAt: 1 };
        },
      },
      channelFor: async (ref) => channels.get(ref),
      translate,
      onError: () => undefined,
      minIntervalMs: 30_000,
      now: () => clock,
    });

  before(async () => {
    endpoint = await startHttpStandIn((req, body, res) => {
      const verified = verifyWebhook(
        'k',
        {
          timestamp: req.headers['x-ksgpuml-timestamp'] as string,
          signature: req.headers['x-ksgpuml-signature'] as string,
        },
        body,
      );
      received.push({ body, verified });
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    url = `${endpoint.url}/hook`;
    channels.set('hook', createWebhookChannel({ url, secret: 'k' }));
    channels.set('ws-a/zh-hook', createWebhookChannel({ url, secret: 'k' }));
    channels.set(
      'broken',
      unavailableChannel('webhook', 'CMDB_ALERTING_RECEIVER_SECRET_FORBIDDEN', 'Secret ns/x is not yours'),
    );
  });
  after(() => endpoint.stop());

  it("sends one test message through the channel and answers the provider's answer", async () => {
    const result = await tester().test('', 'hook', 'en');
    assert.equal(result.outcome, 'delivered');
    assert.match(result.providerAnswer ?? '', /accepted/);
    assert.equal(result.sentAt, new Date(clock).toISOString());
    assert.equal(received.length, 1);
    assert.ok(received[0]!.verified, 'signed like every webhook delivery');
    assert.match(received[0]!.body, /Test message from CMDB Alerting/);
    assert.match(received[0]!.body, /Receiver \\"hook\\" works/);
  });

  it('is rate-limited per receiver: a second test within the interval is 429 naming the wait', async () => {
    const t = tester();
    await t.test('', 'hook', 'en');
    clock += 10_000;
    await assert.rejects(
      t.test('', 'hook', 'en'),
      (err) => status(err) === 429 && (err as AppError).params.seconds === 20,
    );
    // Another receiver is not held back by the first one's test.
    assert.equal((await t.test('ws-a', 'zh-hook', 'en')).outcome, 'delivered');
    clock += 20_000;
    assert.equal((await t.test('', 'hook', 'en')).outcome, 'delivered', 'after the interval');
  });

  it("writes the message in the receiver's language and the verdict in the caller's", async () => {
    answer = { status: 400, body: '{"error":"unknown channel"}' };
    clock += 60_000;
    const result = await tester().test('ws-a', 'zh-hook', 'zh-CN');
    assert.equal(result.outcome, 'failed');
    assert.match(result.providerAnswer ?? '', /unknown channel/);
    assert.equal(result.message, translate('zh', 'CMDB_ALERTING_WEBHOOK_REJECTED'));
    assert.match(received.at(-1)!.body, /来自 CMDB 告警的测试消息/);
    answer = { status: 200, body: '{"accepted":true}' };
  });

  it("shows a receiver's configuration error as its answer, and 404 for a receiver that does not exist", async () => {
    const result = await tester().test('', 'broken', 'en');
    assert.equal(result.outcome, 'failed');
    assert.equal(result.providerAnswer, 'Secret ns/x is not yours');
    assert.match(result.message ?? '', /workspace's receiver may reference Secrets only/);
    await assert.rejects(tester().test('', 'nope', 'en'), (err) => status(err) === 404);
    await assert.rejects(tester().test('ws-b', 'hook', 'en'), (err) => status(err) === 404, 'not ws-b`s');
  });

  it('answers 503 and holds nothing back when the receiver cannot be read', async () => {
    let fail = true;
    const t = createReceiverTester({
      receivers: { get: async () => ({ owner: '', name: 'hook', spec: receiver('hook'), updatedAt: 1 }) },
      channelFor: async (ref) => {
        if (fail) throw new Error('apiserver unavailable');
        return channels.get(ref);
      },
      translate,
      onError: () => undefined,
      now: () => clock,
    });
    clock += 60_000;
    await assert.rejects(t.test('', 'hook', 'en'), (err) => status(err) === 503);
    fail = false;
    assert.equal((await t.test('', 'hook', 'en')).outcome, 'delivered', 'not rate-limited by the failure');
  });
});
