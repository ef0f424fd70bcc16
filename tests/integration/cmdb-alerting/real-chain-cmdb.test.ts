// Issue 15's CMDB scenario through the sandbox's real parts: the sandbox backend asks the CMDB stand-in that `up`
// started (NetBox, its connection set through the settings API, answers fresh for 5 s). An unlabelled Deployment's
// pod crash-loops in a namespace the CMDB maps to business system "payments-<run>" (KWOK → kube-state-metrics stand-in
// → the shipped rule in the real Prometheus → the Alertmanager pair → the backend's intake): the WeCom stand-in's
// message names the system, the CMDB's importance and @-mentions the CMDB's owner. Then the CMDB goes down (the
// stand-in's fault switch) and a second pod of that namespace crash-loops: its message carries the last known
// mapping and says so.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  cmdbAlertingRoutes as routes,
  urlFor,
  type AlertEscalation,
  type EscalationPolicyInput,
  type ReceiverInput,
} from '@ks-gpu-ml/contracts';
import { alertKeyOf } from '../../../backend/src/features/cmdb-alerting/escalation-notify.js';
import { readSandboxEnv, sandboxUser } from '../../sandbox/src/env.js';
import { faultyPod } from '../../sandbox/src/pod-faults.js';
import { adminKubeConfig, createTestNamespace, waitFor } from '../../sandbox/src/testing.js';

const env = readSandboxEnv();
const cmdbUrl = env.CMDB_STANDIN_URL!;
const run = randomBytes(3).toString('hex');
const system = `payments-${run}`;
const robotKey = `e2e-${randomBytes(16).toString('hex')}`;
const names = { robot: `e2e-cmdb-robot-${run}`, policy: `a-e2e-cmdb-${run}` };
/** Scrape and evaluation every 5 s, `for:` 10 s, a KWOK crash round of 13 s. */
const FIRE_TIMEOUT_MS = 90_000;

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
let ns: Awaited<ReturnType<typeof createTestNamespace>>;
let jwt: string;

async function login(): Promise<string> {
  const admin = sandboxUser('admin');
  const res = await fetch(`${env.KS_APISERVER_URL}/oauth/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'password',
      username: admin.name,
      password: admin.password,
      client_id: 'kubesphere',
      client_secret: 'kubesphere',
    }),
  });
  assert.equal(res.status, 200, await res.clone().text());
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The backend's API as the console calls it: through the ks-apiserver stand-in, with the admin's JWT. */
async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${env.KS_APISERVER_URL}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${jwt}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

async function create(path: string, body: ReceiverInput | EscalationPolicyInput): Promise<void> {
  const res = await api('POST', path, body);
  assert.equal(res.status, 200, JSON.stringify(res.body));
}

async function standIn(path: string, body: object): Promise<void> {
  const res = await fetch(`${cmdbUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

interface RobotMessage {
  body: { msgtype: string; markdown?: { content: string } };
  errcode: number;
}
const messageAbout = async (marker: string) =>
  (
    (await (
      await fetch(`${env.WECOM_API_URL}/_stand-in/received?target=${encodeURIComponent(robotKey)}`)
    ).json()) as RobotMessage[]
  ).find((m) => m.body.markdown?.content.includes(marker));

/** A Deployment without any business label or annotation, whose pods crash-loop; returns its pod's name. */
async function crashingDeployment(name: string): Promise<string> {
  const labels = { app: name };
  const pod = faultyPod(name, ns.name, 'crash-loop');
  await apps.createNamespacedDeployment({
    namespace: ns.name,
    body: {
      metadata: { name, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { metadata: { labels, annotations: pod.metadata!.annotations! }, spec: pod.spec! },
      },
    },
  });
  return waitFor(
    `a pod of ${name}`,
    async () =>
      (await core.listNamespacedPod({ namespace: ns.name, labelSelector: `app=${name}` })).items[0]?.metadata
        ?.name,
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}

async function escalationOfPod(pod: string): Promise<AlertEscalation> {
  const filter = encodeURIComponent(`pod="${pod}"`);
  const alerts = (await (await fetch(`${env.ALERTMANAGER_URL}/api/v2/alerts?filter=${filter}`)).json()) as {
    fingerprint: string;
    startsAt: string;
  }[];
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  const res = await api('GET', urlFor(routes.getAlertEscalation, { name: alertKeyOf(alerts[0]!) }));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as AlertEscalation;
}

before(async () => {
  jwt = await login();
  ns = await createTestNamespace('e2e-cmdb');
  // The CMDB's record: this namespace belongs to the system, importance P1, owner `<system>-owner` (NetBox tenant
  // with its k8s_namespaces custom field and a primary contact).
  await standIn('/_stand-in/systems', { name: system, importance: 'P1', namespaces: [ns.name] });
  await core.createNamespacedSecret({
    namespace: ns.name,
    body: { metadata: { name: 'robot-keys' }, stringData: { 'robot-key': robotKey } },
  });
  const registered = await fetch(`${env.WECOM_API_URL}/_stand-in/config`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ robots: [robotKey] }),
  });
  assert.equal(registered.status, 200);
  await create(urlFor(routes.createClusterReceiver, {}), {
    name: names.robot,
    type: 'wecom-robot',
    settings: {},
    secretRefs: { webhookKey: { namespace: ns.name, name: 'robot-keys', key: 'robot-key' } },
    recipients: [],
  });
  await create(urlFor(routes.createClusterEscalationPolicy, {}), {
    name: names.policy,
    matchLabels: { namespace: ns.name },
    steps: [{ receivers: [names.robot], waitSeconds: 3600 }],
    repeat: 0,
  });
});

after(async () => {
  await standIn('/_stand-in/faults', { target: 'netbox', fault: null });
  await api('DELETE', urlFor(routes.deleteClusterEscalationPolicy, { name: names.policy }));
  await api('DELETE', urlFor(routes.deleteClusterReceiver, { name: names.robot }));
  await ns?.remove();
});

describe('real chain with the CMDB stand-in: the CMDB names the system; down, its last known mapping, said so', () => {
  it("an unlabelled Deployment's crash loop: the message names the CMDB's system, its importance and @-mentions its owner", async () => {
    const pod = await crashingDeployment('ledger');
    const message = await waitFor(`the robot's message about ${pod}`, () => messageAbout(pod), {
      timeoutMs: FIRE_TIMEOUT_MS,
      intervalMs: 1000,
    });
    const content = message.body.markdown!.content;
    assert.match(content, new RegExp(`Business system ${system} \\(importance P1\\) is affected`));
    assert.ok(content.includes(`<@${system}-owner>`), content);
    assert.doesNotMatch(content, /last known mapping/);
    const business = (await escalationOfPod(pod)).business!;
    assert.equal(business.system.provenance.source, 'cmdb', JSON.stringify(business));
    assert.equal(business.cmdb.stale, false);
  });

  it('with the CMDB down, the next alert of that namespace is delivered with the last known mapping and says so', async () => {
    await standIn('/_stand-in/faults', { target: 'netbox', fault: 'down' });
    // Created now, the pod's alert fires well after the 5 s the sandbox backend keeps an answer fresh.
    const pod = await crashingDeployment('ledger-replay');
    const message = await waitFor(`the robot's message about ${pod}`, () => messageAbout(pod), {
      timeoutMs: FIRE_TIMEOUT_MS,
      intervalMs: 1000,
    });
    const content = message.body.markdown!.content;
    assert.match(content, new RegExp(`Business system ${system} \\(importance P1\\)`));
    assert.match(content, /CMDB unreachable: last known mapping/);
    assert.ok(content.includes(`<@${system}-owner>`), content);
    const business = (await escalationOfPod(pod)).business!;
    assert.deepEqual([business.cmdb.stale, business.cmdb.error], [true, 'CMDB_UNREACHABLE']);
  });
});
