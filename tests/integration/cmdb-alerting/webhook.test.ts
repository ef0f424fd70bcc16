// The generic webhook channel against a real HTTP receiver on loopback that verifies the signature the way the
// channel documents it (HMAC-SHA256 over timestamp.body, 5-minute replay window) and answers what the test asks.
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Notification } from '../../../backend/src/clients/channels/channel.js';
import {
  IDEMPOTENCY_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  createWebhookChannel,
  outcomeOfStatus,
  signWebhook,
  verifyWebhook,
} from '../../../backend/src/clients/channels/webhook.js';
import { startHttpStandIn, type ListeningStandIn } from '../../../backend/src/clients/test-http-stand-in.js';

const secret = 'webhook-secret-value';
const received: { headers: IncomingHttpHeaders; body: string; valid: boolean }[] = [];
let answerStatus = 200;
let receiver: ListeningStandIn;
let url: string;

const notification: Notification = {
  idempotencyKey: 'alert-1/firing/receiver-a/step-1',
  alertKey: 'alert-1',
  status: 'firing',
  severity: 'critical',
  title: 'GPU XID error',
  markdown: '**GPU XID error**',
  text: 'GPU 0 on node gpu-1 reported XID 79',
  recipients: [{ name: 'owner', email: 'owner@bank.example' }],
};

before(async () => {
  receiver = await startHttpStandIn((req, body, res) => {
    const valid = verifyWebhook(
      secret,
      {
        timestamp: req.headers[TIMESTAMP_HEADER] as string,
        signature: req.headers[SIGNATURE_HEADER] as string,
      },
      body,
    );
    received.push({ headers: req.headers, body, valid });
    res.writeHead(valid ? answerStatus : 401).end(valid ? 'ok' : 'bad signature');
  });
  url = `${receiver.url}/hook`;
});

after(() => receiver.stop());

describe('generic webhook channel', () => {
  it('POSTs JSON the receiver verifies, with the idempotency key; 2xx is delivered', async () => {
    answerStatus = 204;
    const outcome = await createWebhookChannel({ url, secret }).send(
      [notification],
      AbortSignal.timeout(5000),
    );
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));
    const last = received.at(-1)!;
    assert.equal(last.valid, true);
    assert.equal(last.headers[IDEMPOTENCY_HEADER], notification.idempotencyKey);
    assert.equal(last.headers['content-type'], 'application/json');
    const body = JSON.parse(last.body) as { notifications: Notification[] };
    assert.equal(body.notifications[0]!.text, notification.text);
  });

  it('a wrong secret is refused by the receiver and is a failure, not a retry', async () => {
    const outcome = await createWebhookChannel({ url, secret: 'wrong' }).send(
      [notification],
      AbortSignal.timeout(5000),
    );
    assert.equal(received.at(-1)!.valid, false);
    assert.equal(outcome.kind, 'failed');
  });

  it('5xx and an unreachable receiver retry; 429 carries Retry-After', async () => {
    answerStatus = 503;
    assert.equal(
      (await createWebhookChannel({ url, secret }).send([notification], AbortSignal.timeout(5000))).kind,
      'retry',
    );
    const closed = createWebhookChannel({ url: 'http://127.0.0.1:1/hook', secret, deadlineMs: 1000 });
    const outcome = await closed.send([notification], AbortSignal.timeout(5000));
    assert.equal(outcome.kind, 'retry');
    assert.ok(!JSON.stringify(outcome).includes(secret));
    assert.deepEqual(outcomeOfStatus(429, '', '30'), {
      kind: 'retry',
      reason: 'CMDB_ALERTING_WEBHOOK_TRY_LATER',
      providerAnswer: 'HTTP 429',
      retryAfterMs: 30_000,
    });
  });

  it('a signature outside the replay window does not verify', () => {
    const body = '{}';
    const old = Math.floor(Date.now() / 1000) - 301;
    assert.equal(
      verifyWebhook(secret, { timestamp: String(old), signature: signWebhook(secret, old, body) }, body),
      false,
    );
    const now = Math.floor(Date.now() / 1000);
    assert.equal(
      verifyWebhook(secret, { timestamp: String(now), signature: signWebhook(secret, now, body) }, body),
      true,
    );
  });
});
