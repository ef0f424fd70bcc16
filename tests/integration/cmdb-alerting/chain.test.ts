// The alerting chain end to end through a real backend process and the sandbox: receivers created through the API
// with their keys in a Kubernetes Secret (a WeCom group robot on the WeCom stand-in, email on the sandbox's SMTP
// server, a phone on the voice provider stand-ins), an escalation policy, then Alertmanager webhook batches
// (payload version 4) reach the intake → the robot's markdown arrives at the WeCom stand-in and the mail in the
// SMTP Maildir; unacknowledged, the alert escalates to a phone call after the wait (made short by
// ALERT_ESCALATION_SECOND_MS, configuration, not a fake clock); acknowledged through the signed link in the WeCom
// message, no call follows. A receiver whose Secret does not exist shows that in its delivery trail.
import assert from 'node:assert/strict';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { cmdbAlertingRoutes as routes, ROUTE_TABLE, urlFor } from '@ks-gpu-ml/contracts';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { createOutboxStore } from '../../../backend/src/clients/store/outbox.js';
import { alertFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { readSandboxEnv, readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, createTestNamespace } from '../../sandbox/src/testing.js';
import { waitFor } from '../../sandbox/src/wait.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { alertKeyOf, createEscalation, postAlerts } from './escalation-setup.js';

const sandbox = readSandboxEnv();
const wecom = sandbox.WECOM_API_URL!;
const voice = sandbox.VOICE_STANDIN_URL!;
const maildir = sandbox.SMTP_MAILDIR!;
const dir = mkdtempSync(join(tmpdir(), 'cmdb-chain-'));
const run = randomUUID().slice(0, 8);
const intakeToken = randomUUID();
const robotKey = randomUUID();
const mobile = `+86139${String(randomInt(10_000_000, 99_999_999))}`;
const mailbox = `owner-${run}@bank.example`;
const ACK_BASE = 'https://ks.example.invalid';
writeFileSync(join(dir, 'intake-token'), intakeToken);
writeFileSync(join(dir, 'ack-key'), randomBytes(32).toString('hex'));
// The voice providers file as an operator mounts it from a Secret, pointed at the stand-ins.
const voiceKeys = JSON.parse(readFileSync(sandbox.VOICE_STANDIN_CREDENTIALS!, 'utf8')) as {
  tencent: { secretId: string; secretKey: string };
};
writeFileSync(
  join(dir, 'voice.json'),
  JSON.stringify({
    tencent: {
      endpoint: `${voice}/tencent/`,
      ...voiceKeys.tencent,
      voiceSdkAppid: '1400000000',
      templateId: '100',
    },
  }),
);
const storeUrl = `sqlite:${join(dir, 'backend.sqlite')}`;

let backend: BackendProcess;
let store: Store;
let namespace: { name: string; remove: () => Promise<void> };
/** A project of workspace ws-alpha, holding the workspace's own robot key. */
let project: { name: string; remove: () => Promise<void> };
const wsRobotKey = randomUUID();
const admin = () => sandboxUser('admin').token;
const core = () => adminKubeConfig().makeApiClient(CoreV1Api);

const names = { robot: `robot-${run}`, mail: `mail-${run}`, phone: `phone-${run}`, lost: `lost-${run}` };

async function fire(n: number, labels: Record<string, string> = {}): Promise<string> {
  const alert = alertFixture(n, {
    labels: { alertname: 'ChainTest', run, severity: 'critical', pod: `payments-${n}`, ...labels },
    annotations: { summary: `payments-${n} of run ${run} is crash looping` },
    startsAt: new Date().toISOString(),
    fingerprint: randomBytes(8).toString('hex'),
  });
  await postAlerts(backend, intakeToken, [alert], { groupKey: `{}:{run="${run}",n="${n}"}` });
  return alertKeyOf(alert);
}

interface RobotMessage {
  body: { msgtype: string; markdown?: { content: string } };
  errcode: number;
}
const robotMessages = async () =>
  (await (
    await fetch(`${wecom}/_stand-in/received?target=${encodeURIComponent(robotKey)}`)
  ).json()) as RobotMessage[];
const robotMessageAbout = async (marker: string) =>
  (await robotMessages()).find((m) => m.body.markdown?.content.includes(marker));

const callsTo = async (callee: string) =>
  (
    (await (await fetch(`${voice}/control/tencent/received`)).json()) as {
      params: Record<string, unknown>;
      answered: string;
    }[]
  ).filter((c) => c.params.CalledNumber === callee);

function mailAbout(marker: string): string | undefined {
  const folder = join(maildir, 'new');
  if (!existsSync(folder)) return undefined;
  for (const file of readdirSync(folder)) {
    const text = readFileSync(join(folder, file), 'utf8');
    if (text.includes(marker)) return text;
  }
  return undefined;
}

const escalation = async (alertKey: string) =>
  call(backend, 'GET', urlFor(routes.getAlertEscalation, { name: alertKey }), { token: admin() });

before(async () => {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  namespace = await createTestNamespace('chain');
  project = await createTestNamespace('chain-ws', 'ws-alpha');
  await core().createNamespacedSecret({
    namespace: namespace.name,
    body: { metadata: { name: 'alert-keys' }, stringData: { 'robot-key': robotKey } },
  });
  await core().createNamespacedSecret({
    namespace: project.name,
    body: { metadata: { name: 'team-keys' }, stringData: { 'robot-key': wsRobotKey } },
  });
  // Outside the workspace, granted to it by the platform admin's annotation.
  await core().createNamespacedSecret({
    namespace: namespace.name,
    body: {
      metadata: {
        name: 'granted-keys',
        annotations: { 'cmdb-alerting.ks-gpu-ml.io/workspaces': 'ws-alpha' },
      },
      stringData: { 'robot-key': wsRobotKey },
    },
  });
  await fetch(`${wecom}/_stand-in/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ robots: [robotKey, wsRobotKey] }),
  });
  backend = await startBackend({
    AUTHZ_CACHE_TTL_MS: '0',
    STORE_URL: storeUrl,
    ALERT_INTAKE_TOKEN_FILE: join(dir, 'intake-token'),
    ALERT_ACK_KEY_FILE: join(dir, 'ack-key'),
    ALERT_ACK_BASE_URL: ACK_BASE,
    // One policy second lasts 100 ms: the 100-second wait before the phone is 10 s here (room for a loaded box
    // to deliver and acknowledge the first step before the phone is due).
    ALERT_ESCALATION_SECOND_MS: '100',
    ALERT_ESCALATION_TICK_MS: '100',
    ALERT_WECOM_API_URL: wecom,
    ALERT_SMTP_HOST: sandbox.SMTP_HOST!,
    ALERT_SMTP_PORT: sandbox.SMTP_PORT!,
    ALERT_SMTP_FROM: 'alerts@ks-gpu-ml.example',
    ALERT_VOICE_PROVIDERS_FILE: join(dir, 'voice.json'),
  });
  store = createStore(storeUrl);
  const secretRef = (key: string) => ({ namespace: namespace.name, name: 'alert-keys', key });
  const receivers = [
    {
      name: names.robot,
      type: 'wecom-robot',
      // Its messages in Chinese: the group reads 告警 and 确认收到 (the backend's zh catalogue).
      settings: { language: 'zh' },
      secretRefs: { webhookKey: secretRef('robot-key') },
    },
    {
      name: names.mail,
      type: 'email',
      settings: { cc: `duty-${run}@bank.example` },
      secretRefs: {},
      recipients: [{ email: mailbox }],
    },
    {
      name: names.phone,
      type: 'voice',
      settings: {},
      secretRefs: {},
      recipients: [{ name: 'Owner', mobile }],
    },
    {
      name: names.lost,
      type: 'wecom-robot',
      settings: {},
      secretRefs: { webhookKey: secretRef('no-such-key') },
    },
  ];
  const policy = {
    name: `chain-${run}`,
    matchLabels: { run },
    steps: [
      { receivers: [names.robot, names.mail, names.lost], waitSeconds: 100 },
      { receivers: [names.phone], waitSeconds: 100 },
    ],
    repeat: 0,
  };
  const withRecipients = receivers.map((body) => ({ recipients: [], ...body }));
  await createEscalation(backend, admin(), withRecipients, policy);
});

after(async () => {
  await store?.close();
  if (backend) assert.equal(await backend.stop(), 0, 'the backend shut down cleanly');
  await namespace?.remove();
  await project?.remove();
});

describe('the alerting chain: Alertmanager webhook → escalation → WeCom, email, phone; ack stops it', () => {
  let acked: string;
  let firedAt: number;

  it('a firing alert reaches the WeCom robot (zh markdown with a signed ack link) and the mailbox', async () => {
    firedAt = Date.now();
    acked = await fire(1);
    const marker = `payments-1 of run ${run}`;
    await waitFor(
      'the robot message at the WeCom stand-in',
      async () => Boolean(await robotMessageAbout(marker)),
      {
        timeoutMs: 20_000,
        intervalMs: 100,
      },
    );
    const message = (await robotMessageAbout(marker))!;
    assert.equal(message.body.msgtype, 'markdown');
    assert.equal(message.errcode, 0);
    assert.match(message.body.markdown!.content, /^\*\*\[告警\] ChainTest \(critical\)\*\*/);
    assert.match(
      message.body.markdown!.content,
      /\[确认收到\]\(https:\/\/ks\.example\.invalid\/alerting\/ack\?t=/,
    );
    await waitFor('the mail in the Maildir', async () => Boolean(mailAbout(marker)), {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    const mail = mailAbout(marker)!;
    assert.match(mail, new RegExp(`^To: ${mailbox.replace('.', '\\.')}`, 'm'));
    assert.match(mail, /^In-Reply-To: </m);
    assert.match(mail, new RegExp(`^Cc: duty-${run}@bank\\.example`, 'm'));
  });

  it('following the link in the WeCom message acknowledges, and the phone step never comes', async () => {
    const content = (await robotMessageAbout(`payments-1 of run ${run}`))!.body.markdown!.content;
    const link = /\[确认收到\]\((https:[^)]+)\)/.exec(content)![1]!;
    const res = await fetch(link.replace(ACK_BASE, backend.url));
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await escalation(acked)).body.state, 'acknowledged');
    // Past the phone step's due time (10 s after firing) and a dispatcher poll: it would have called by now.
    await new Promise((r) => setTimeout(r, Math.max(0, firedAt + 14_000 - Date.now())));
    assert.deepEqual(await callsTo(mobile), []);
    assert.deepEqual((await escalation(acked)).body.notified, [names.robot, names.mail, names.lost]);
  });

  it('an alert nobody acknowledges escalates to a phone call after the wait', async () => {
    const alertKey = await fire(2);
    await waitFor('the robot message of the second alert', async () =>
      Boolean(await robotMessageAbout(`payments-2 of run ${run}`)),
    );
    await waitFor(
      'the call to the owner at the voice stand-in',
      async () => (await callsTo(mobile)).length > 0,
      {
        timeoutMs: 40_000,
        intervalMs: 100,
      },
    );
    const [placed] = await callsTo(mobile);
    assert.equal(placed!.answered, 'placed', JSON.stringify(placed));
    assert.match(String(placed!.params.TemplateParamSet), new RegExp(`payments-2 of run ${run}`));
    assert.doesNotMatch(
      String(placed!.params.TemplateParamSet),
      /alerting\/ack/,
      'the ack link is not spoken',
    );
    const trail = await createOutboxStore(store).trail(alertKey);
    const phone = trail.find((e) => e.receiver === names.phone);
    assert.equal(phone?.channel, 'voice');
    assert.equal(phone?.outcome, 'delivered', JSON.stringify(phone));
  });

  it('a receiver whose Secret key is missing: its trail names the Secret and key, the others still deliver', async () => {
    const trail = await createOutboxStore(store).trail(acked);
    const lost = trail.find((e) => e.receiver === names.lost);
    assert.equal(lost?.outcome, 'failed', JSON.stringify(trail));
    assert.equal(lost?.error, 'CMDB_ALERTING_RECEIVER_SECRET_MISSING');
    assert.equal(
      lost?.providerAnswer,
      `Secret ${namespace.name}/alert-keys has no key "no-such-key" (webhookKey)`,
    );
    for (const name of [names.robot, names.mail])
      assert.equal(trail.find((e) => e.receiver === name)?.outcome, 'delivered', JSON.stringify(trail));
  });

  it('no log line carries the robot key read from the Secret', () => {
    assert.deepEqual(
      backend.logs.filter((l) => l.includes(robotKey)),
      [],
    );
  });
});

describe("a workspace's receivers: Secrets of its projects or granted to it, never another's", () => {
  it('delivers with its own and a granted key; a receiver pointing at another namespace`s Secret is refused when saved', async () => {
    const token = sandboxUser('ws-admin').token;
    const workspace = { workspace: 'ws-alpha' };
    const ref = (ns: string, name: string) => ({ webhookKey: { namespace: ns, name, key: 'robot-key' } });
    const receivers = [
      { name: `own-${run}`, secretRefs: ref(project.name, 'team-keys') },
      { name: `granted-${run}`, secretRefs: ref(namespace.name, 'granted-keys') },
      { name: `steal-${run}`, secretRefs: ref(namespace.name, 'alert-keys') },
    ];
    for (const r of receivers) {
      const res = await call(backend, 'POST', urlFor(routes.createWorkspaceReceiver, workspace), {
        token,
        body: { type: 'wecom-robot', settings: {}, recipients: [], ...r },
      });
      if (r.name.startsWith('steal-')) {
        // Refused up front (docs/adr/0044): neither in a project of ws-alpha nor granted to it.
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal((res.body.details as { field: string }).field, 'body.secretRefs.webhookKey');
        assert.match(String(res.body.message), /alert-keys is neither in a project of workspace ws-alpha/);
      } else assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const saved = receivers.filter((r) => !r.name.startsWith('steal-'));
    const policy = await call(backend, 'POST', urlFor(routes.createWorkspaceEscalationPolicy, workspace), {
      token,
      body: {
        name: `ws-${run}`,
        matchLabels: { run },
        steps: [{ receivers: saved.map((r) => r.name), waitSeconds: 600 }],
        repeat: 0,
      },
    });
    assert.equal(policy.status, 200, JSON.stringify(policy.body));
    const alertKey = await fire(3, { namespace: project.name });
    const trailOf = async () => createOutboxStore(store).trail(alertKey);
    await waitFor('the two receivers attempted', async () => (await trailOf()).length >= 2, {
      timeoutMs: 20_000,
      intervalMs: 100,
    });
    const trail = await trailOf();
    const outcome = (name: string) => trail.find((e) => e.receiver === `ws-alpha/${name}`);
    assert.equal(outcome(`own-${run}`)?.outcome, 'delivered', JSON.stringify(trail));
    assert.equal(outcome(`granted-${run}`)?.outcome, 'delivered', JSON.stringify(trail));
    assert.equal(outcome(`steal-${run}`), undefined, 'the refused receiver does not exist');
    const atStandIn = (await (
      await fetch(`${wecom}/_stand-in/received?target=${encodeURIComponent(wsRobotKey)}`)
    ).json()) as RobotMessage[];
    assert.equal(
      atStandIn.filter(
        (m) => m.errcode === 0 && m.body.markdown?.content.includes(`payments-3 of run ${run}`),
      ).length,
      2,
      'one message per receiver that may use the key; none through the refused one',
    );
    assert.equal(
      (await robotMessages()).filter((m) => m.body.markdown?.content.includes(`payments-3 of run ${run}`))
        .length,
      0,
      "the cluster's robot key was never used for the workspace",
    );
  });
});

describe('through the API: an alert`s delivery trail, dead letters with retry, and "send test" (ADR 0044)', () => {
  it('the trail names each attempt`s channel, outcome and provider answer; a workspace may not read the cluster`s', async () => {
    const alertKey = await fire(4);
    const url = urlFor(routes.getAlertDeliveries, { name: alertKey });
    await waitFor(
      'the robot delivered and the lost receiver failed',
      async () => {
        const items = (await call(backend, 'GET', url, { token: admin() })).body.items as {
          receiver: string;
          outcome: string;
        }[];
        return (
          items.some((e) => e.receiver === names.robot && e.outcome === 'delivered') &&
          items.some((e) => e.receiver === names.lost && e.outcome === 'failed')
        );
      },
      { timeoutMs: 20_000, intervalMs: 200 },
    );
    const { body } = await call(backend, 'GET', url, { token: admin() });
    const items = body.items as {
      receiver: string;
      channel: string;
      outcome: string;
      providerAnswer?: string;
      error?: string;
    }[];
    const robot = items.find((e) => e.receiver === names.robot && e.outcome === 'delivered')!;
    assert.equal(robot.channel, 'wecom-robot');
    assert.match(robot.providerAnswer ?? '', /errcode 0/);
    const lost = items.find((e) => e.receiver === names.lost)!;
    assert.equal(lost.error, 'CMDB_ALERTING_RECEIVER_SECRET_MISSING');
    assert.match(lost.providerAnswer ?? '', /has no key "no-such-key"/);
    assert.ok(!JSON.stringify(body).includes(robotKey), 'no secret in the trail');
    const theirs = await call(
      backend,
      'GET',
      urlFor(routes.getWorkspaceAlertDeliveries, { workspace: 'ws-alpha', name: alertKey }),
      { token: sandboxUser('ws-admin').token },
    );
    assert.equal(theirs.status, 404, JSON.stringify(theirs.body));

    // The lost receiver's notification is a dead letter (refused for good): listed, retried once, by the cluster only.
    const dead = (
      (await call(backend, 'GET', urlFor(routes.listDeadLetters, {}), { token: admin() })).body.items as {
        id: number;
        receiver: string;
        alertKey: string;
        lastError?: string;
      }[]
    ).find((d) => d.alertKey === alertKey);
    assert.equal(dead?.receiver, names.lost, 'the lost receiver`s notification is a dead letter');
    const wsDead = await call(
      backend,
      'GET',
      urlFor(routes.listWorkspaceDeadLetters, { workspace: 'ws-alpha' }),
      { token: sandboxUser('ws-admin').token },
    );
    assert.equal(wsDead.status, 200);
    assert.ok(!(wsDead.body.items as { alertKey: string }[]).some((d) => d.alertKey === alertKey));
    const wsRetry = await call(
      backend,
      'POST',
      urlFor(routes.retryWorkspaceDeadLetter, { workspace: 'ws-alpha', name: String(dead!.id) }),
      { token: sandboxUser('ws-admin').token },
    );
    assert.equal(wsRetry.status, 404, 'not the workspace`s');
    const retryUrl = urlFor(routes.retryDeadLetter, { name: String(dead!.id) });
    const retried = await call(backend, 'POST', retryUrl, { token: admin() });
    assert.deepEqual(retried.body, { id: dead!.id, state: 'pending' });
    assert.equal((await call(backend, 'POST', retryUrl, { token: admin() })).status, 404, 'pending now');
  });

  it('"send test" answers the WeCom robot`s real answer, refuses a second test at once, names a broken receiver`s problem', async () => {
    const url = urlFor(routes.testClusterReceiver, { name: names.robot });
    const sent = await call(backend, 'POST', url, { token: admin() });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.outcome, 'delivered');
    assert.match(String(sent.body.providerAnswer), /errcode 0/);
    await waitFor('the test message at the WeCom stand-in', async () =>
      (await robotMessages()).some((m) => m.body.markdown?.content.includes('来自 CMDB 告警的测试消息')),
    );
    const again = await call(backend, 'POST', url, { token: admin() });
    assert.equal(again.status, 429, JSON.stringify(again.body));
    const broken = await call(backend, 'POST', urlFor(routes.testClusterReceiver, { name: names.lost }), {
      token: admin(),
      headers: { 'accept-language': 'en' },
    });
    assert.equal(broken.body.outcome, 'failed', JSON.stringify(broken.body));
    assert.match(String(broken.body.providerAnswer), /has no key "no-such-key"/);
    assert.ok(!JSON.stringify(sent.body).includes(robotKey), 'no key in the answer');
  });
});
