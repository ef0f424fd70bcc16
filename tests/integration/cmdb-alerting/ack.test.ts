// Escalation, acknowledgement and silences through the real backend: an alert committed by the intake escalates
// by a cluster policy (waits made short by ALERT_ESCALATION_SECOND_MS, configuration, not a fake clock), its
// message in the outbox carries a signed link, following the link stops the escalation before the next step, and
// reused, altered and expired links are refused. Silences go to the sandbox's real Alertmanager.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cmdbAlertingRoutes as routes, urlFor } from '@ks-gpu-ml/contracts';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { signAckToken } from '../../../backend/src/features/cmdb-alerting/ack-link.js';
import { alertFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { readSandboxEnv, readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig } from '../../sandbox/src/testing.js';
import { waitFor } from '../../sandbox/src/wait.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { alertKeyOf, createEscalation, escalationToPhone, postAlerts } from './escalation-setup.js';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-ack-'));
const intakeToken = randomUUID();
const ackKey = randomBytes(32).toString('hex');
writeFileSync(join(dir, 'intake-token'), intakeToken);
writeFileSync(join(dir, 'ack-key'), ackKey);
const storeUrl = `sqlite:${join(dir, 'backend.sqlite')}`;
const run = randomUUID().slice(0, 8);

let backend: BackendProcess;
let store: Store;
const admin = () => sandboxUser('admin').token;

// robot → 60 policy seconds (6 s here: room for a loaded box to read and acknowledge the first step) → phone.
const { receivers, policy } = escalationToPhone({
  name: `p-${run}`,
  run,
  first: {
    name: 'robot',
    type: 'webhook',
    settings: { url: 'https://hooks.example.invalid/x' },
    secretRefs: {},
    recipients: [],
  },
  waitSeconds: 60,
  callee: { name: 'Owner', mobile: '+8613800000001' },
});

async function fire(n: number, extra: Record<string, string> = {}): Promise<string> {
  const alert = alertFixture(n, {
    labels: { alertname: 'AckTest', run, severity: 'critical', ...extra },
    startsAt: new Date().toISOString(),
  });
  await postAlerts(backend, intakeToken, [alert]);
  return alertKeyOf(alert);
}

const escalation = async (alertKey: string) =>
  call(backend, 'GET', urlFor(routes.getAlertEscalation, { name: alertKey }), { token: admin() });

async function outboxRows(alertKey: string) {
  const rows = await store.db
    .selectFrom('outbox_delivery')
    .select(['receiver', 'notification'])
    .where('alert_key', '=', alertKey)
    .execute();
  return rows.map((r) => ({
    receiver: r.receiver,
    notification: JSON.parse(r.notification) as { ackUrl?: string; status: string },
  }));
}

/** The link as a message carries it, pointed at this test's backend. */
const local = (link: string) => link.replace('https://ks.example.invalid', backend.url);
const openLink = (link: string, language = 'en') =>
  fetch(local(link), { headers: { 'accept-language': language } });

before(async () => {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  backend = await startBackend({
    AUTHZ_CACHE_TTL_MS: '0',
    STORE_URL: storeUrl,
    ALERT_INTAKE_TOKEN_FILE: join(dir, 'intake-token'),
    ALERT_ACK_KEY_FILE: join(dir, 'ack-key'),
    ALERT_ACK_BASE_URL: 'https://ks.example.invalid',
    ALERT_ESCALATION_SECOND_MS: '100',
    ALERT_ESCALATION_TICK_MS: '50',
  });
  store = createStore(storeUrl);
  await createEscalation(backend, admin(), receivers, policy);
});
after(async () => {
  await store?.close();
  assert.equal(await backend?.stop(), 0);
});

describe('escalation and the signed ack link', () => {
  let alertKey: string;
  let link: string;

  it('escalates a matching alert: the first step`s message, with a signed link, is in the outbox', async () => {
    alertKey = await fire(1);
    await waitFor('the first step enqueued', async () => (await outboxRows(alertKey)).length > 0, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const [row] = await outboxRows(alertKey);
    assert.equal(row!.receiver, 'robot');
    assert.match(row!.notification.ackUrl ?? '', /^https:\/\/ks\.example\.invalid\/alerting\/ack\?t=/);
    link = row!.notification.ackUrl!;
    const view = await escalation(alertKey);
    assert.equal(view.body.state, 'escalating');
    assert.deepEqual(view.body.notified, ['robot']);
  });

  it('following the link acknowledges (zh page) and the phone step never comes', async () => {
    const res = await openLink(link, 'zh-CN,zh;q=0.9');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await res.text(), /已确认，升级已停止/);
    assert.equal((await escalation(alertKey)).body.state, 'acknowledged');
    assert.deepEqual((await escalation(alertKey)).body.acknowledgedBy, ['robot']);
    await new Promise((r) => setTimeout(r, 9_000)); // 1.5 × the phone step's wait
    assert.deepEqual(
      (await outboxRows(alertKey)).map((r) => r.receiver),
      ['robot'],
    );
  });

  it('the same link a second time → 409', async () => {
    const res = await openLink(link);
    assert.equal(res.status, 409);
    assert.match(await res.text(), /each link works once/);
  });

  it('never logs the link`s token (it is the credential), only that a link was answered', async () => {
    const token = new URL(link).searchParams.get('t')!;
    await waitFor('the answer logged', async () => backend.logs.some((l) => l.includes('link answered')));
    assert.deepEqual(
      backend.logs.filter((l) => l.includes(token.slice(0, 24)) || l.includes(token.split('.')[1]!)),
      [],
    );
  });

  it('an altered link → 400, an expired one → 410, neither acknowledges', async () => {
    const other = await fire(2);
    const forged = signAckToken(Buffer.from('x'.repeat(64)), {
      alertKey: other,
      person: 'robot',
      expiresAt: 9_999_999_999,
    });
    const altered = await fetch(`${backend.url}/alerting/ack?t=${forged}`);
    assert.equal(altered.status, 400);
    assert.match(await altered.text(), /not valid/);
    const expired = signAckToken(Buffer.from(ackKey), { alertKey: other, person: 'robot', expiresAt: 1_000 });
    const late = await fetch(`${backend.url}/alerting/ack?t=${expired}`);
    assert.equal(late.status, 410);
    await waitFor('the second alert escalating', async () => (await escalation(other)).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    assert.deepEqual((await escalation(other)).body.acknowledgedBy, []);
  });

  it('an acknowledgement from the console stops it as the signed-in user', async () => {
    const other = await fire(3);
    await waitFor('the third alert escalating', async () => (await escalation(other)).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    const url = urlFor(routes.acknowledgeAlert, { name: other });
    const res = await call(backend, 'POST', url, { token: admin() });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.state, 'acknowledged');
    assert.deepEqual(res.body.acknowledgedBy, ['admin']);
    assert.equal((await call(backend, 'POST', url, { token: admin() })).status, 409);
    const unknown = urlFor(routes.acknowledgeAlert, { name: '00000000000000ff-1' });
    assert.equal((await call(backend, 'POST', unknown, { token: admin() })).status, 404);
  });
});

describe('whom the alert concerns: the workspace whose policy escalates it', () => {
  it('a workspace admin sees and acknowledges its alert, not the cluster`s, not from another workspace', async () => {
    const url = urlFor(routes.createWorkspaceEscalationPolicy, { workspace: 'ws-alpha' });
    const created = await call(backend, 'POST', url, { token: sandboxUser('ws-admin').token, body: policy });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const mine = await fire(4, { namespace: 'alpha-train' });
    const theirs = await fire(5);
    const token = sandboxUser('ws-admin').token;
    const viewIn = (workspace: string, name: string) =>
      call(backend, 'GET', urlFor(routes.getWorkspaceAlertEscalation, { workspace, name }), { token });
    await waitFor(
      'the workspace alert escalating',
      async () => (await viewIn('ws-alpha', mine)).status === 200,
      {
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    assert.equal((await viewIn('ws-alpha', mine)).body.workspace, 'ws-alpha');
    await waitFor('the cluster alert escalating', async () => (await escalation(theirs)).status === 200, {
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    assert.equal((await viewIn('ws-alpha', theirs)).status, 404);
    assert.equal((await viewIn('ws-beta', mine)).status, 403);
    const ack = urlFor(routes.acknowledgeWorkspaceAlert, { workspace: 'ws-alpha', name: mine });
    const res = await call(backend, 'POST', ack, { token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.acknowledgedBy, ['ws-admin']);
    const other = urlFor(routes.acknowledgeWorkspaceAlert, { workspace: 'ws-alpha', name: theirs });
    assert.equal((await call(backend, 'POST', other, { token })).status, 404);
  });
});

describe('silences through Alertmanager API v2', () => {
  it('creates a silence as the signed-in user, lists it, expires it', async () => {
    const body = {
      matchers: [{ name: 'run', value: run, isRegex: false }],
      durationMinutes: 5,
      comment: 'maintenance',
    };
    const created = await call(backend, 'POST', urlFor(routes.createSilence, {}), { token: admin(), body });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    const id = String(created.body.id);
    const inAlertmanager = (await (
      await fetch(`${readSandboxEnv().ALERTMANAGER_URL}/api/v2/silence/${id}`)
    ).json()) as { createdBy: string; status: { state: string } };
    assert.equal(inAlertmanager.createdBy, 'admin');
    assert.equal(inAlertmanager.status.state, 'active');
    const list = await call(backend, 'GET', urlFor(routes.listSilences, {}), { token: admin() });
    assert.ok((list.body.items as { id: string }[]).some((s) => s.id === id));
    const expired = await call(backend, 'DELETE', urlFor(routes.expireSilence, { name: id }), {
      token: admin(),
    });
    assert.equal(expired.status, 200, JSON.stringify(expired.body));
    const after = (await (
      await fetch(`${readSandboxEnv().ALERTMANAGER_URL}/api/v2/silence/${id}`)
    ).json()) as { status: { state: string } };
    assert.equal(after.status.state, 'expired');
  });

  it('expiring an expired silence is 200 again; an unknown or malformed id is 404, never a 5xx', async () => {
    const body = {
      matchers: [{ name: 'run', value: `${run}-twice`, isRegex: false }],
      durationMinutes: 5,
      comment: 'twice',
    };
    const created = await call(backend, 'POST', urlFor(routes.createSilence, {}), { token: admin(), body });
    const url = urlFor(routes.expireSilence, { name: String(created.body.id) });
    assert.equal((await call(backend, 'DELETE', url, { token: admin() })).status, 200);
    assert.equal((await call(backend, 'DELETE', url, { token: admin() })).status, 200);
    for (const name of ['example', '3fa85f64-5717-4562-b3fc-2c963f66afa6']) {
      const res = await call(backend, 'DELETE', urlFor(routes.expireSilence, { name }), { token: admin() });
      assert.equal(res.status, 404, `${name}: ${JSON.stringify(res.body)}`);
    }
  });

  it('a matcher Alertmanager refuses → 400 with its reason', async () => {
    const body = {
      matchers: [{ name: 'run', value: '(', isRegex: true }],
      durationMinutes: 5,
      comment: 'bad regex',
    };
    const res = await call(backend, 'POST', urlFor(routes.createSilence, {}), { token: admin(), body });
    assert.equal(res.status, 400, JSON.stringify(res.body));
    assert.match(String(res.body.message), /Alertmanager refused/);
  });
});
