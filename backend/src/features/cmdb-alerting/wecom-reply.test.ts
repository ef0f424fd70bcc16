// The WeCom reply callback over a real SQLite store: whom a code was granted to, its expiry, the receiver it came
// through, and the answers to a wrong signature, another corp and an unusable Secret. The channel crypto has its own
// test against WeCom's documented vector; here replies are sealed the documented way by the helper below.
import assert from 'node:assert/strict';
import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import { unavailableChannel } from '../../clients/channels/factory.js';
import type { Notification } from '../../clients/channels/channel.js';
import { createConfigStore } from '../../clients/store/alert-config.js';
import { createReplyCodeStore } from '../../clients/store/alert-reply.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { AppError } from '../../core/errors.js';
import type { ResolvedSecrets } from './receiver-channels.js';
import type { EscalationOutbox } from './escalation.js';
import { createCallbackGuard, WECOM_CALLBACK_MAX_SKEW_MS } from './wecom-callback-guard.js';
import { grantingReplyCodes } from './wecom-reply-setup.js';
import { notificationFixture } from './test-fixtures.js';
import { createWecomReplies, type CallbackQuery } from './wecom-reply.js';

const TOKEN = 'tok3n';
const AES = randomBytes(32).toString('base64').slice(0, 43);
const CORP = 'ww-corp';

function seal(message: string, corp = CORP): string {
  const key = Buffer.from(`${AES}=`, 'base64');
  const msg = Buffer.from(message);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const body = Buffer.concat([randomBytes(16), length, msg, Buffer.from(corp)]);
  const pad = 32 - (body.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

/** WeCom's clock as the callback guard sees it: the requests below are signed at this second. */
const SIGNED_AT = 1_700_000_000;

function request(
  from: string,
  content: string,
  options: { corp?: string; token?: string; timestamp?: number } = {},
) {
  const encrypted = seal(
    `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>1</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>9</MsgId><AgentID>2</AgentID></xml>`,
    options.corp,
  );
  const query: CallbackQuery = {
    timestamp: String(options.timestamp ?? SIGNED_AT),
    nonce: '42',
    msg_signature: '',
  };
  query.msg_signature = createHash('sha1')
    .update([options.token ?? TOKEN, query.timestamp, query.nonce, encrypted].sort().join(''))
    .digest('hex');
  return {
    query,
    body: `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`,
  };
}

const secretRef = { namespace: 'ops', name: 'wecom', key: 'k' };
const appReceiver = (name: string): ReceiverInput => ({
  name,
  type: 'wecom-app',
  settings: { corpId: CORP, agentId: '2' },
  secretRefs: { corpSecret: secretRef, callbackToken: secretRef, callbackAesKey: secretRef },
  recipients: [{ wecomUserId: 'zhangsan' }],
});

let store: Store;
let now = 1_000_000;
let secretsUsable = true;
const acks: { alertKey: string; person: string; via: string }[] = [];
const logged: Record<string, unknown>[] = [];
let replies: ReturnType<typeof createWecomReplies>;

function notification(alertKey: string, users: string[], replyCode?: string): Notification {
  return notificationFixture({
    idempotencyKey: `${alertKey}:firing:0:app`,
    alertKey,
    ...(replyCode ? { replyCode } : {}),
    recipients: users.map((wecomUserId) => ({ wecomUserId })),
  });
}

before(async () => {
  store = createStore('sqlite::memory:');
  await store.migrate();
  const receivers = createConfigStore<ReceiverInput>(store, 'alert_receiver');
  await receivers.create('', 'app', appReceiver('app'), 0);
  await receivers.create('', 'other-app', appReceiver('other-app'), 0);
  await receivers.create('', 'robot', { ...appReceiver('robot'), type: 'wecom-robot' }, 0);
  const codes = createReplyCodeStore(store);
  replies = createWecomReplies({
    receivers,
    secrets: async (): Promise<ResolvedSecrets> =>
      secretsUsable
        ? {
            version: '1',
            values: new Map([
              ['callbackToken', TOKEN],
              ['callbackAesKey', AES],
              ['corpSecret', 's'],
            ]),
          }
        : {
            version: '1',
            problem: unavailableChannel('wecom-app', 'CMDB_ALERTING_RECEIVER_SECRET_MISSING', 'gone'),
          },
    codes,
    acknowledge: async (alertKey, person, via) => {
      const again = acks.some((a) => a.alertKey === alertKey && a.person === person);
      if (!again) acks.push({ alertKey, person, via });
      return again ? 'again' : 'done';
    },
    log: (fields) => logged.push(fields),
    now: () => now,
    guard: createCallbackGuard({
      maxSkewMs: WECOM_CALLBACK_MAX_SKEW_MS,
      memoryBytes: 64 * 1024,
      now: () => SIGNED_AT * 1000,
    }),
  });
  // What the engine's enqueue records: alert a-1's code to zhangsan through "app", for 60 s; the outbox still gets it.
  const enqueued: unknown[] = [];
  const outbox = grantingReplyCodes<EscalationOutbox>(
    {
      enqueue: async (entries: readonly unknown[]) => (enqueued.push(...entries), entries.length),
      cancelPending: async () => 0,
    },
    codes,
    60_000,
  );
  await outbox.enqueue(
    [
      { receiver: 'app', notification: notification('a-1', ['zhangsan'], 'AAAA1111') },
      { receiver: 'app', notification: notification('a-2', ['zhangsan']) },
    ],
    now,
  );
  assert.equal(enqueued.length, 2);
});
after(() => store.close());

const lastOutcome = () => logged.at(-1)?.outcome;
const status = (p: Promise<unknown>) =>
  p.then(
    () => 200,
    (err: unknown) => (err instanceof AppError ? err.statusCode : 500),
  );
const send = (name: string, r: ReturnType<typeof request>) => replies.receive('', name, r.query, r.body);

describe('the WeCom reply callback', () => {
  it('a reply through another app, from another user, or with an unknown code acknowledges nothing', async () => {
    await send('other-app', request('zhangsan', 'ACK AAAA1111'));
    assert.equal(lastOutcome(), 'unknown-code');
    await send('app', request('lisi', 'ACK AAAA1111'));
    assert.equal(lastOutcome(), 'not-sent-to-user');
    await send('app', request('zhangsan', 'ACK BBBB2222'));
    assert.equal(lastOutcome(), 'unknown-code');
    await send('app', request('zhangsan', 'thanks'));
    assert.equal(lastOutcome(), 'not-an-acknowledgement');
    assert.deepEqual(acks, []);
  });

  it('a wrong signature is a 401, a message sealed for another corp a 400, a robot or unknown receiver a 404', async () => {
    assert.equal(await status(send('app', request('zhangsan', 'ACK AAAA1111', { token: 'other' }))), 401);
    assert.equal(await status(send('app', request('zhangsan', 'ACK AAAA1111', { corp: 'ww-other' }))), 400);
    assert.equal(await status(replies.receive('', 'app', request('z', 'x').query, '<xml/>')), 400);
    assert.equal(await status(send('robot', request('zhangsan', 'ACK AAAA1111'))), 404);
    assert.equal(await status(send('nobody', request('zhangsan', 'ACK AAAA1111'))), 404);
    secretsUsable = false;
    assert.equal(await status(send('app', request('zhangsan', 'ACK AAAA1111'))), 503);
    secretsUsable = true;
    assert.deepEqual(acks, []);
  });

  it('after its expiry the code acknowledges nothing; before it, zhangsan`s reply acknowledges as the link does', async () => {
    now += 60_000;
    await send('app', request('zhangsan', 'ACK AAAA1111'));
    assert.equal(lastOutcome(), 'expired');
    assert.deepEqual(acks, []);
    now -= 1;
    await send('app', request('zhangsan', 'ack aaaa1111'));
    assert.equal(lastOutcome(), 'acknowledged');
    assert.deepEqual(acks, [{ alertKey: 'a-1', person: 'zhangsan (WeCom reply)', via: 'wecom-reply' }]);
    await send('app', request('zhangsan', 'ACK AAAA1111'));
    assert.equal(lastOutcome(), 'acknowledged-before');
    assert.ok(!JSON.stringify(logged).includes(TOKEN) && !JSON.stringify(logged).includes(AES));
  });

  it("answers WeCom's URL check with the echostr's plaintext", async () => {
    const echostr = seal('echo-123');
    const query = { timestamp: String(SIGNED_AT), nonce: '2', echostr, msg_signature: '' };
    query.msg_signature = createHash('sha1')
      .update([TOKEN, query.timestamp, '2', echostr].sort().join(''))
      .digest('hex');
    assert.equal(await replies.verifyUrl('', 'app', query), 'echo-123');
    // The same signed check again is a replay: refused, its plaintext not told twice.
    assert.equal(await status(replies.verifyUrl('', 'app', query)), 409);
  });

  it('refuses a replayed signed message (409) and a timestamp beyond the skew (401); a failed one may come again', async () => {
    const before = acks.length;
    const replayed = request('zhangsan', 'hello');
    await send('app', replayed);
    assert.equal(lastOutcome(), 'not-an-acknowledgement');
    const heard = logged.length;
    assert.equal(await status(send('app', replayed)), 409);
    assert.equal(logged.length, heard, 'the replay was not handled');
    const skew = WECOM_CALLBACK_MAX_SKEW_MS / 1000;
    for (const timestamp of [SIGNED_AT - skew - 1, SIGNED_AT + skew + 1])
      assert.equal(await status(send('app', request('zhangsan', 'hello', { timestamp }))), 401);
    assert.equal(
      await status(send('app', request('zhangsan', 'hello', { timestamp: SIGNED_AT - skew }))),
      200,
    );
    // Refused after its signature was checked (sealed for another corp): not remembered, so WeCom's retry is heard.
    const failed = request('zhangsan', 'hello', { corp: 'ww-other' });
    assert.equal(await status(send('app', failed)), 400);
    assert.equal(await status(send('app', failed)), 400);
    assert.equal(acks.length, before);
  });
});
