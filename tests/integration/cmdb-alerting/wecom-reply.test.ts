// Acknowledging by replying on WeCom (docs/adr/0047), through a real backend process: a WeCom app receiver whose
// corp secret, callback Token and EncodingAESKey are in a Kubernetes Secret sends the alert's first step to user
// zhangsan on the WeCom stand-in (started here, so its callback side is this checkout's); the message asks for
// "ACK <code>". The stand-in then plays WeCom: it checks the callback URL (GET, encrypted echostr), and encrypts,
// signs and posts users' replies to the backend's callback. zhangsan's reply acknowledges the alert and the phone
// step never comes; a reply from lisi (a WeCom user the message did not go to), a tampered signature, a message
// sealed for another corp and a wrong code do not — and the alert they leave unacknowledged does reach its phone step.
// A captured signed request sent again, and one signed more than 5 minutes ago, are refused.
// A reply that acknowledges nothing is answered with a short app message to its sender saying why (never the
// code), in the receiver's language, at most one a minute per person.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { cmdbAlertingRoutes as routes, ROUTE_TABLE, urlFor, WECOM_CALLBACK_PATH } from '@ks-gpu-ml/contracts';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { alertFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { encrypt, sign } from '../../sandbox/stand-ins/wecom/callback.js';
import { createWecomStandIn } from '../../sandbox/stand-ins/wecom/server.js';
import { adminKubeConfig, createTestNamespace } from '../../sandbox/src/testing.js';
import { waitFor } from '../../sandbox/src/wait.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { alertKeyOf, createEscalation, escalationToPhone, postAlerts } from './escalation-setup.js';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-wecom-reply-'));
const run = randomUUID().slice(0, 8);
const intakeToken = randomUUID();
writeFileSync(join(dir, 'intake-token'), intakeToken);
writeFileSync(join(dir, 'ack-key'), randomBytes(32).toString('hex'));
const storeUrl = `sqlite:${join(dir, 'backend.sqlite')}`;
const corpId = `ww${run}`;
const agentId = 1000002;
const corpSecret = randomUUID();
const callbackToken = randomBytes(12).toString('hex');
const encodingAesKey = randomBytes(32).toString('base64').slice(0, 43);
/** The policy's wait before the phone, in policy seconds; one lasts 100 ms here, so 10 s. */
const WAIT_SECONDS = 100;
const SECOND_MS = 100;

const standIn = createWecomStandIn();
let wecom = '';
let backend: BackendProcess;
let store: Store;
let namespace: Awaited<ReturnType<typeof createTestNamespace>>;
const admin = () => sandboxUser('admin').token;

async function control(
  path: string,
  body: object,
): Promise<{ status: number; body: string; msgId?: string }> {
  const res = await fetch(`${wecom}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as { status: number; body: string };
}
const reply = (from: string, content: string, tamper?: string) =>
  control('/_stand-in/reply', { corpId, from, content, ...(tamper ? { tamper } : {}) });

async function fire(n: number): Promise<{ alertKey: string; startsAt: number }> {
  const alert = alertFixture(n, {
    labels: { alertname: 'WecomReplyTest', run, severity: 'critical' },
    startsAt: new Date().toISOString(),
  });
  await postAlerts(backend, intakeToken, [alert]);
  return { alertKey: alertKeyOf(alert), startsAt: Math.floor(Date.parse(alert.startsAt) / 1000) * 1000 };
}

/** The app message about this alert the stand-in received: its recipients and the code it asks to reply with. */
async function appMessageAbout(marker: string): Promise<{ touser: string; content: string; code: string }> {
  return waitFor(
    `the WeCom app message about ${marker}`,
    async () => {
      const received = (await (await fetch(`${wecom}/_stand-in/received?target=${corpId}`)).json()) as {
        api: string;
        errcode: number;
        body: { touser?: string; markdown?: { content: string } };
      }[];
      const found = received.find(
        (r) => r.api === 'message' && r.errcode === 0 && r.body.markdown?.content.includes(marker),
      );
      const content = found?.body.markdown?.content ?? '';
      const code = /Reply ACK ([0-9A-Z]{8}) to acknowledge/.exec(content)?.[1];
      return found && code ? { touser: found.body.touser ?? '', content, code } : undefined;
    },
    { timeoutMs: 15_000, intervalMs: 100 },
  );
}

/** The app messages the stand-in accepted for one WeCom user alone: the backend's answers to that user's replies. */
async function answersTo(user: string): Promise<string[]> {
  const received = (await (await fetch(`${wecom}/_stand-in/received?target=${corpId}`)).json()) as {
    api: string;
    errcode: number;
    body: { touser?: string; markdown?: { content: string } };
  }[];
  return received
    .filter((r) => r.api === 'message' && r.errcode === 0 && r.body.touser === user)
    .map((r) => r.body.markdown?.content ?? '')
    .filter((content) => !content.includes('WecomReplyTest'));
}
const answerTo = (user: string, count: number) =>
  waitFor(
    `${count} answer(s) to ${user}'s replies`,
    async () => {
      const answers = await answersTo(user);
      return answers.length >= count ? answers : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 100 },
  );

const escalation = async (alertKey: string) =>
  (await call(backend, 'GET', urlFor(routes.getAlertEscalation, { name: alertKey }), { token: admin() }))
    .body as { state: string; acknowledgedBy: string[]; notified: string[] };

const phoneRows = async (alertKey: string) =>
  store.db
    .selectFrom('outbox_delivery')
    .select('id')
    .where('alert_key', '=', alertKey)
    .where('receiver', '=', 'phone')
    .execute();

const callbackUrl = (name = 'app') => `${backend.url}${WECOM_CALLBACK_PATH}/${name}`;

/** A request as WeCom signs it, captured: sent again as is, it is a replay; signed at `secondsAgo`, a stale one. */
function captured(secondsAgo: number, encrypted: string, extra: Record<string, string> = {}) {
  const timestamp = String(Math.floor(Date.now() / 1000) - secondsAgo);
  const nonce = randomUUID().slice(0, 8);
  const msg_signature = sign(callbackToken, timestamp, nonce, encrypted);
  return `${callbackUrl()}?${new URLSearchParams({ msg_signature, timestamp, nonce, ...extra }).toString()}`;
}
const capturedReply = (secondsAgo: number, content: string) => {
  const message = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content><MsgId>1</MsgId></xml>`;
  const encrypted = encrypt(encodingAesKey, message, corpId);
  const url = captured(secondsAgo, encrypted);
  const body = `<xml><ToUserName><![CDATA[${corpId}]]></ToUserName><Encrypt><![CDATA[${encrypted}]]></Encrypt></xml>`;
  return () => fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
};

before(async () => {
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  wecom = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
  await control('/_stand-in/config', {
    apps: [{ corpId, corpSecret, agentId }],
    users: ['zhangsan', 'lisi'],
  });
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  namespace = await createTestNamespace('wecom-reply');
  await adminKubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedSecret({
      namespace: namespace.name,
      body: {
        metadata: { name: 'wecom-app' },
        stringData: { 'corp-secret': corpSecret, token: callbackToken, 'aes-key': encodingAesKey },
      },
    });
  backend = await startBackend({
    AUTHZ_CACHE_TTL_MS: '0',
    STORE_URL: storeUrl,
    ALERT_INTAKE_TOKEN_FILE: join(dir, 'intake-token'),
    ALERT_ACK_KEY_FILE: join(dir, 'ack-key'),
    ALERT_ACK_BASE_URL: 'https://ks.example.invalid',
    ALERT_ESCALATION_SECOND_MS: String(SECOND_MS),
    ALERT_ESCALATION_TICK_MS: '100',
    ALERT_WECOM_API_URL: wecom,
  });
  store = createStore(storeUrl);
  const ref = (key: string) => ({ namespace: namespace.name, name: 'wecom-app', key });
  const { receivers, policy } = escalationToPhone({
    name: `reply-${run}`,
    run,
    first: {
      name: 'app',
      type: 'wecom-app',
      settings: { corpId, agentId: String(agentId), language: 'en' },
      secretRefs: {
        corpSecret: ref('corp-secret'),
        callbackToken: ref('token'),
        callbackAesKey: ref('aes-key'),
      },
      recipients: [{ name: 'Zhang San', wecomUserId: 'zhangsan' }],
    },
    waitSeconds: WAIT_SECONDS,
    callee: { name: 'Duty', mobile: '+8613800000009' },
  });
  await createEscalation(backend, admin(), receivers, policy);
  await control('/_stand-in/callbacks', {
    corpId,
    agentId,
    url: callbackUrl(),
    token: callbackToken,
    encodingAesKey,
  });
});

after(async () => {
  await store?.close();
  assert.equal(await backend?.stop(), 0);
  await namespace?.remove();
  standIn.close();
});

describe('acknowledging by replying on WeCom', () => {
  let acked: { alertKey: string; startsAt: number };
  let code = '';

  it("WeCom's URL check: the echostr's plaintext comes back as is; a spoiled signature is refused with 401", async () => {
    const echo = `echo-${randomUUID()}`;
    assert.deepEqual(await control('/_stand-in/verify-url', { corpId, echo }), { status: 200, body: echo });
    const spoiled = await control('/_stand-in/verify-url', { corpId, echo, tamper: 'signature' });
    assert.equal(spoiled.status, 401);
    assert.doesNotMatch(spoiled.body, new RegExp(echo));
  });

  it('a captured URL check or reply sent again is refused (409); one signed more than 5 minutes ago is a 401', async () => {
    const echo = `echo-${randomUUID()}`;
    const echostr = encrypt(encodingAesKey, echo, corpId);
    const signedCheck = captured(0, echostr, { echostr });
    assert.deepEqual(await (await fetch(signedCheck)).text(), echo);
    const again = await fetch(signedCheck);
    assert.equal(again.status, 409);
    assert.doesNotMatch(await again.text(), new RegExp(echo));
    const reply = capturedReply(0, 'hello');
    assert.equal((await reply()).status, 200);
    assert.equal((await reply()).status, 409);
    const stale = await capturedReply(6 * 60, 'hello')();
    assert.equal(stale.status, 401);
    assert.match(await stale.text(), /more than 300 seconds/);
  });

  it('the app message goes to zhangsan and asks to reply ACK with the alert`s code', async () => {
    acked = await fire(1);
    const message = await appMessageAbout('WecomReplyTest');
    assert.equal(message.touser, 'zhangsan');
    code = message.code;
    assert.deepEqual((await escalation(acked.alertKey)).notified, ['app']);
  });

  it('lisi, whom the message did not go to, replies with the code: answered 200, nothing acknowledged', async () => {
    const answer = await reply('lisi', `ACK ${code}`);
    assert.deepEqual([answer.status, answer.body], [200, '']);
    const view = await escalation(acked.alertKey);
    assert.deepEqual([view.state, view.acknowledgedBy], ['escalating', []]);
    // lisi is told why, in the receiver's language (en), through the app, to lisi alone; the code is not repeated.
    const [told] = await answerTo('lisi', 1);
    assert.match(told!, /that alert's message was not sent to you/);
    assert.doesNotMatch(told!, new RegExp(code));
  });

  it('a tampered signature is refused (401) and a message sealed for another corp is a 400; neither acknowledges', async () => {
    assert.equal((await reply('zhangsan', `ACK ${code}`, 'signature')).status, 401);
    const otherCorp = await reply('zhangsan', `ACK ${code}`, 'corp');
    assert.equal(otherCorp.status, 400);
    assert.match(otherCorp.body, /names corp ww[0-9a-f]+x, not the receiver's corpId/);
    assert.deepEqual((await escalation(acked.alertKey)).acknowledgedBy, []);
  });

  it('zhangsan replies "ack <code>": acknowledged as the person by WeCom reply, and the phone step never comes', async () => {
    const answer = await reply('zhangsan', `ack ${code.toLowerCase()}`);
    assert.deepEqual([answer.status, answer.body], [200, '']);
    const view = await escalation(acked.alertKey);
    assert.equal(view.state, 'acknowledged');
    assert.deepEqual(view.acknowledgedBy, ['zhangsan (WeCom reply)']);
    const ack = await store.db
      .selectFrom('alert_ack')
      .select(['person', 'via'])
      .where('alert_key', '=', acked.alertKey)
      .execute();
    assert.deepEqual(ack, [{ person: 'zhangsan (WeCom reply)', via: 'wecom-reply' }]);
    assert.deepEqual(await answersTo('zhangsan'), [], 'an acknowledgement that worked is not answered');
    // The same reply again changes nothing and is still a 200; zhangsan is told it was acknowledged already.
    assert.equal((await reply('zhangsan', `ACK ${code}`)).status, 200);
    assert.match((await answerTo('zhangsan', 1))[0]!, /You had already acknowledged that alert/);
    const phoneDue = acked.startsAt + WAIT_SECONDS * SECOND_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, phoneDue - Date.now()) + 3_000));
    assert.deepEqual(await phoneRows(acked.alertKey), []);
    assert.equal((await escalation(acked.alertKey)).state, 'acknowledged');
  });

  it('a reply with another alert`s wrong code acknowledges nothing, and that alert does reach its phone step', async () => {
    const other = await fire(2);
    // The engine starts it at its next tick (100 ms here): its escalation exists before the replies come.
    await waitFor(
      'the second alert`s escalation',
      async () => (await escalation(other.alertKey)).state === 'escalating',
      {
        timeoutMs: 10_000,
        intervalMs: 100,
      },
    );
    const wrong = code === 'ZZZZZZZZ' ? 'YYYYYYYY' : 'ZZZZZZZZ';
    assert.equal((await reply('zhangsan', `ACK ${wrong}`)).status, 200);
    assert.equal((await reply('zhangsan', 'hello')).status, 200);
    assert.deepEqual((await escalation(other.alertKey)).acknowledgedBy, []);
    await waitFor(
      'the unacknowledged alert`s phone step',
      async () => (await phoneRows(other.alertKey)).length > 0,
      {
        timeoutMs: WAIT_SECONDS * SECOND_MS + 15_000,
        intervalMs: 200,
      },
    );
  });

  it('answers a clear 4xx to a malformed body, an unknown receiver and an oversized body; no secret in any log line', async () => {
    const query = `?msg_signature=${'0'.repeat(40)}&timestamp=1&nonce=2`;
    const post = (url: string, body: string) =>
      fetch(url + query, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
    const junk = await post(callbackUrl(), '<xml><Nope/></xml>');
    assert.equal(junk.status, 400);
    assert.match(await junk.text(), /Encrypt/);
    assert.equal((await post(callbackUrl('phone'), '<xml><Encrypt>x</Encrypt></xml>')).status, 404);
    assert.equal(
      (await post(callbackUrl(), `<xml><Encrypt>${'A'.repeat(70_000)}</Encrypt></xml>`)).status,
      413,
    );
    const noQuery = await fetch(callbackUrl(), {
      method: 'POST',
      headers: { 'content-type': 'text/xml' },
      body: '<xml/>',
    });
    assert.equal(noQuery.status, 400);
    const logs = backend.logs.join('\n');
    for (const secret of [callbackToken, encodingAesKey, corpSecret]) assert.ok(!logs.includes(secret));
    assert.match(logs, /"outcome":"not-sent-to-user"/);
    assert.match(logs, /"outcome":"acknowledged"/);
  });
});
