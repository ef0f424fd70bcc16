// Issue 15's CMDB scenario through the sandbox's real parts: the sandbox backend asks the CMDB stand-in that `up`
// started (NetBox, its connection set through the settings API, answers fresh for 5 s). An unlabelled Deployment's
// pod crash-loops in a namespace the CMDB maps to business system "payments-<run>" (KWOK → kube-state-metrics stand-in
// → the shipped rule in the real Prometheus → the Alertmanager pair → the backend's intake): the WeCom stand-in's
// message names the system, the CMDB's importance and @-mentions the CMDB's owner. Then the CMDB goes down (the
// stand-in's fault switch) and a second pod of that namespace crash-loops: its message carries the last known
// mapping and says so. Beside it, a P1 system whose CMDB owner has a mobile: its crash loop, unacknowledged, escalates
// after the policy's wait to a call to that mobile through the sandbox backend's voice providers, and with the first
// (Tencent Cloud VMS) rate limited for that number, the second (Alibaba Cloud VMS) places the call; a second crash
// loop of that system, acknowledged through the signed link in its WeCom message, calls nobody.
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import {
  cmdbAlertingRoutes as routes,
  urlFor,
  type AlertEscalation,
  type DeliveryTrail,
  type EscalationPolicyInput,
  type ReceiverInput,
} from '@ks-gpu-ml/contracts';
import { alertKeyOf } from '../../../backend/src/features/cmdb-alerting/escalation-notify.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { faultyPod } from '../../sandbox/src/pod-faults.js';
import { addRobotReceiver, adminConsoleApi, create as createVia, type ConsoleApi } from './console-api.js';
import { adminKubeConfig, createTestNamespace, waitFor } from '../../sandbox/src/testing.js';

const env = readSandboxEnv();
const cmdbUrl = env.CMDB_STANDIN_URL!;
const voiceUrl = env.VOICE_STANDIN_URL!;
const run = randomBytes(3).toString('hex');
const system = `payments-${run}`;
const robotKey = `e2e-${randomBytes(16).toString('hex')}`;
const names = {
  robot: `e2e-cmdb-robot-${run}`,
  policy: `a-e2e-cmdb-${run}`,
  phone: `e2e-cmdb-phone-${run}`,
  callPolicy: `a-e2e-cmdb-call-${run}`,
};
/** Scrape and evaluation every 5 s, `for:` 10 s, a KWOK crash round of 13 s. */
const FIRE_TIMEOUT_MS = 90_000;
/** The called system: P1, its CMDB owner reachable on a mobile of this run's own. */
const called = { system: `billing-${run}`, mobile: `+86139${String(randomInt(10_000_000, 99_999_999))}` };
/** The phone receiver's own recipient: an owners step calls the CMDB's owners instead (docs/adr/0043). */
const dutyDesk = `+86137${String(randomInt(10_000_000, 99_999_999))}`;
/**
 * The policy's wait before the phone step, in real seconds (the sandbox backend runs policies at full length),
 * counted from the alert's start: long enough for the acknowledging test to follow its link first.
 */
const CALL_WAIT_SECONDS = 40;
/** The escalation engine looks for due steps every 5 s; a placed call is in the stand-in's record at once. */
const CALL_TIMEOUT_MS = FIRE_TIMEOUT_MS + (CALL_WAIT_SECONDS + 30) * 1000;

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
let ns: Awaited<ReturnType<typeof createTestNamespace>>;
/** The called system's namespace, with its own policy: a robot, then after the wait its owners by phone. */
let callNs: Awaited<ReturnType<typeof createTestNamespace>>;
let calledPod: string;
/** A second crash-looping pod of the called system, whose alert is acknowledged before its phone step. */
let ackedPod: string;
/** The backend's API as the console calls it, as the sandbox's admin. */
let api: ConsoleApi;

const create = (path: string, body: ReceiverInput | EscalationPolicyInput) => createVia(api, path, body);

async function standIn(path: string, body: object): Promise<void> {
  const res = await fetch(`${cmdbUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

interface RobotMessage {
  at: number;
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
async function crashingDeployment(name: string, namespace = ns.name): Promise<string> {
  const labels = { app: name };
  const pod = faultyPod(name, namespace, 'crash-loop');
  await apps.createNamespacedDeployment({
    namespace,
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
      (await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` })).items[0]?.metadata?.name,
    { timeoutMs: 30_000, intervalMs: 500 },
  );
}

/** The pod's crash-loop alert in Alertmanager (the pod soon fires ContainerRestartingOften too, an alert of its own). */
async function crashLoopAlert(pod: string): Promise<{ fingerprint: string; startsAt: string }> {
  const filters = [`pod="${pod}"`, 'alertname="ContainerCrashLooping"']
    .map((f) => `filter=${encodeURIComponent(f)}`)
    .join('&');
  const alerts = (await (await fetch(`${env.ALERTMANAGER_URL}/api/v2/alerts?${filters}`)).json()) as {
    fingerprint: string;
    startsAt: string;
  }[];
  assert.equal(alerts.length, 1, JSON.stringify(alerts));
  return alerts[0]!;
}
const crashLoopOf = async (pod: string) => alertKeyOf(await crashLoopAlert(pod));

async function escalationOfPod(pod: string): Promise<AlertEscalation> {
  const res = await api('GET', urlFor(routes.getAlertEscalation, { name: await crashLoopOf(pod) }));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as AlertEscalation;
}

interface VoiceCall {
  at: string;
  params: Record<string, unknown>;
  answered: string;
}
/** What a voice stand-in received for a number, the owner's by default (Aliyun takes them without +86). */
const callsAt = async (provider: 'aliyun' | 'tencent', mobile = called.mobile): Promise<VoiceCall[]> =>
  ((await (await fetch(`${voiceUrl}/control/${provider}/received`)).json()) as VoiceCall[]).filter((c) =>
    [mobile, mobile.replace(/^\+86/, '')].includes(String(c.params.CalledNumber)),
  );

/** Every call any voice stand-in received (each record as text: its spoken words and number). */
const everyCall = async (): Promise<string[]> =>
  (
    await Promise.all(
      ['aliyun', 'tencent', 'twilio'].map(
        async (p) => (await (await fetch(`${voiceUrl}/control/${p}/received`)).json()) as VoiceCall[],
      ),
    )
  )
    .flat()
    .map((c) => JSON.stringify(c.params));

/** The signed link of the pod's alert in a robot message: each alert's part ends with its own link. */
function ackLinkOf(content: string, pod: string): string {
  const link = /\[Acknowledge\]\((https?:[^)]+)\)/.exec(content.slice(content.indexOf(pod)))?.[1];
  assert.ok(link, `an acknowledgement link after ${pod}: ${content}`);
  return link;
}

async function voiceFault(provider: string, fault: string): Promise<void> {
  const res = await fetch(`${voiceUrl}/control/${provider}`, {
    method: 'POST',
    body: JSON.stringify({ fault, callee: called.mobile }),
  });
  assert.equal(res.status, 200, await res.text());
}

before(async () => {
  api = await adminConsoleApi();
  ns = await createTestNamespace('e2e-cmdb');
  // The CMDB's record: this namespace belongs to the system, importance P1, owner `<system>-owner` (NetBox tenant
  // with its k8s_namespaces custom field and a primary contact).
  await standIn('/_stand-in/systems', { name: system, importance: 'P1', namespaces: [ns.name] });
  await addRobotReceiver(api, names.robot, ns.name, robotKey);
  await create(urlFor(routes.createClusterEscalationPolicy, {}), {
    name: names.policy,
    matchLabels: { namespace: ns.name },
    steps: [{ receivers: [names.robot], waitSeconds: 3600 }],
    repeat: 0,
  });

  // The called system. Its phone receiver names no providers: they and their failover order are the sandbox backend's
  // voice providers file's (Tencent first); the owners' mobiles come from the CMDB, not the receiver's duty desk.
  callNs = await createTestNamespace('e2e-cmdb-call');
  await standIn('/_stand-in/systems', {
    name: called.system,
    importance: 'P1',
    namespaces: [callNs.name],
    mobile: called.mobile,
  });
  await create(urlFor(routes.createClusterReceiver, {}), {
    name: names.phone,
    type: 'voice',
    settings: {},
    secretRefs: {},
    recipients: [{ name: 'duty desk', mobile: dutyDesk }],
  });
  await create(urlFor(routes.createClusterEscalationPolicy, {}), {
    name: names.callPolicy,
    matchLabels: { namespace: callNs.name },
    steps: [
      { receivers: [names.robot], waitSeconds: CALL_WAIT_SECONDS },
      {
        receivers: [],
        contacts: [{ who: 'owners', via: names.phone, severities: ['critical'], importance: ['P1'] }],
        waitSeconds: 3600,
      },
    ],
    repeat: 0,
  });
  // Tencent Cloud VMS says RequestLimitExceeded to calls to this number only (other tests call it meanwhile).
  await voiceFault('tencent', 'rate-limit');
  // Crash-looping from now on, they fire while the first tests wait for their own alerts.
  calledPod = await crashingDeployment('billing', callNs.name);
  ackedPod = await crashingDeployment('settlement', callNs.name);
});

after(async () => {
  await standIn('/_stand-in/faults', { target: 'netbox', fault: null });
  await voiceFault('tencent', 'none');
  for (const name of [names.policy, names.callPolicy])
    await api('DELETE', urlFor(routes.deleteClusterEscalationPolicy, { name }));
  for (const name of [names.robot, names.phone])
    await api('DELETE', urlFor(routes.deleteClusterReceiver, { name }));
  await ns?.remove();
  await callNs?.remove();
});

describe("real chain with the CMDB stand-in: the CMDB names the system and its owner's phone; down, its last known mapping", () => {
  it('acknowledged through the signed link in its WeCom message, a critical crash loop of the P1 system calls nobody', async (t) => {
    const message = await waitFor(`the robot's message about ${ackedPod}`, () => messageAbout(ackedPod), {
      timeoutMs: FIRE_TIMEOUT_MS,
      intervalMs: 1000,
    });
    // The link points at the sandbox backend (ALERT_ACK_BASE_URL) and needs no login.
    const res = await fetch(ackLinkOf(message.body.markdown!.content, ackedPod));
    assert.equal(res.status, 200, await res.text());
    const alert = await crashLoopAlert(ackedPod);
    const alertKey = alertKeyOf(alert);
    const escalation = async () =>
      (await api('GET', urlFor(routes.getAlertEscalation, { name: alertKey }))).body as AlertEscalation;
    assert.equal((await escalation()).state, 'acknowledged');
    const due = Date.parse(alert.startsAt) + CALL_WAIT_SECONDS * 1000;
    assert.ok(Date.now() < due, `acknowledged ${Date.now() - due} ms after the phone step was due`);
    t.diagnostic(`acknowledged ${due - Date.now()} ms before the phone step was due`);
    // The one fixed window: past the phone step's due time (the wait, the engine's 5 s look, a send), nothing.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due + 10_000 - Date.now())));
    assert.deepEqual(
      (await everyCall()).filter((c) => c.includes(ackedPod)),
      [],
    );
    const later = await escalation();
    assert.deepEqual([later.state, later.stepsSent, later.notified], ['acknowledged', 1, [names.robot]]);
  });

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

  it("a critical crash loop of a P1 system, unacknowledged, calls its CMDB owner's mobile after the wait; Tencent limited, Aliyun places it", async (t) => {
    const message = await waitFor(`the robot's message about ${calledPod}`, () => messageAbout(calledPod), {
      timeoutMs: FIRE_TIMEOUT_MS,
      intervalMs: 1000,
    });
    assert.match(
      message.body.markdown!.content,
      new RegExp(`Business system ${called.system} \\(importance P1\\)`),
    );
    const placed = await waitFor(
      `a call to ${called.mobile} placed at the Aliyun stand-in`,
      async () => (await callsAt('aliyun')).find((c) => c.answered === 'placed'),
      { timeoutMs: CALL_TIMEOUT_MS, intervalMs: 1000 },
    );
    // The phone step came after the robot's, once the policy's wait had passed since the alert started (a plan's
    // times count from the alert's startsAt, so both peers of the pair and every replica agree on them).
    const waited = Date.parse(placed.at) - Date.parse((await crashLoopAlert(calledPod)).startsAt);
    assert.ok(waited >= CALL_WAIT_SECONDS * 1000, `called ${waited} ms after the alert started`);
    assert.ok(Date.parse(placed.at) > message.at, 'called after the robot`s message');
    t.diagnostic(`called ${waited} ms after the alert started (policy wait ${CALL_WAIT_SECONDS} s)`);
    const spoken = (JSON.parse(String(placed.params.TtsParam)) as { content: string }).content;
    assert.match(spoken, new RegExp(called.system));
    // Tencent, first in the configured order, was asked first and refused for its limit.
    const refused = await callsAt('tencent');
    assert.ok(
      refused.length > 0 && refused.every((c) => c.answered === 'RequestLimitExceeded'),
      JSON.stringify(refused),
    );
    assert.ok(Date.parse(refused[0]!.at) <= Date.parse(placed.at));

    // The backend's record: nobody acknowledged, both steps' receivers notified, the owner's
    // mobile from the CMDB, and the delivery trail's voice attempt naming the failover.
    const alertKey = await crashLoopOf(calledPod);
    const escalation = (await api('GET', urlFor(routes.getAlertEscalation, { name: alertKey })))
      .body as AlertEscalation;
    // Escalating, or exhausted once its last step went out: never acknowledged.
    assert.ok(['escalating', 'exhausted'].includes(escalation.state), JSON.stringify(escalation));
    assert.deepEqual(escalation.acknowledgedBy, []);
    // The phone step reached the owners through the phone receiver (`<receiver>#owners`), not its duty desk.
    assert.deepEqual(escalation.notified.sort(), [`${names.phone}#owners`, names.robot].sort());
    assert.deepEqual(
      escalation.business?.owners.value.map((o) => o.mobile),
      [called.mobile],
    );
    const trail = (await api('GET', urlFor(routes.getAlertDeliveries, { name: alertKey })))
      .body as DeliveryTrail;
    const call = trail.items.find((e) => e.receiver === names.phone && e.outcome === 'delivered');
    assert.equal(call?.channel, 'voice', JSON.stringify(trail));
    assert.ok(call!.providerAnswer?.startsWith(`${called.mobile}: tencent limited: `), call!.providerAnswer);
    assert.match(call!.providerAnswer!, /; aliyun: /);
    assert.deepEqual(call!.recipients, [`${called.system}-owner`]);
    for (const provider of ['tencent', 'aliyun'] as const)
      assert.deepEqual(await callsAt(provider, dutyDesk), [], `the duty desk was not called (${provider})`);
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
