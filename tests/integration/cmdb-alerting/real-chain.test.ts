// The alerting chain through the sandbox's real parts, nothing posted by hand: KWOK's fault stages crash-loop a pod
// of a Deployment labelled for business system "payments" (and an unlabelled pod beside it), the dcgm-exporter
// simulator raises a critical XID on a GPU pod's GPU (a code no GPU reports yet, so a rerun against the same sandbox
// raises a new alert); the kube-state-metrics and DCGM series go to the real Prometheus, which evaluates the shipped
// rules (cmdb-alerting's container rules with the sandbox's short `for:`, ADR 0029; gpu-monitoring's XID rule as
// shipped) and sends to the real Alertmanager pair, whose webhook (bearer token from the sandbox's credentials file) is
// the sandbox backend's intake; the backend escalates by a policy made through the API (via the ks-apiserver
// stand-in) to a WeCom robot on the WeCom stand-in and to email on the real SMTP server.
// Waits for evaluations and deliveries, never a fixed time, except the one window that proves nothing comes twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import {
  cmdbAlertingRoutes as routes,
  urlFor,
  type AlertEscalation,
  type EscalationPolicyInput,
  type ReceiverInput,
} from '@ks-gpu-ml/contracts';
import { alertKeyOf } from '../../../backend/src/features/cmdb-alerting/escalation-notify.js';
import { labelOf, parseExposition } from '../../sandbox/dcgm-sim/prom-text.js';
import { ANNOTATIONS } from '../../sandbox/dcgm-sim/profiles.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { faultyPod } from '../../sandbox/src/pod-faults.js';
import { addRobotReceiver, adminConsoleApi, create as createVia, type ConsoleApi } from './console-api.js';
import { adminKubeConfig, createTestNamespace, gpuPod, waitFor } from '../../sandbox/src/testing.js';

const env = readSandboxEnv();
const run = randomBytes(3).toString('hex');
const robotKey = `e2e-${randomBytes(16).toString('hex')}`;
const mailbox = `duty-${run}@bank.example`;
const owners = [`zhang-${run}`, `li-${run}`];
// Policies are chosen first by name: "a-" keeps these ahead of any broader cluster policy another test left.
const names = {
  robot: `e2e-robot-${run}`,
  mail: `e2e-mail-${run}`,
  policy: `a-e2e-${run}`,
  xidPolicy: `a-e2e-xid-${run}`,
};
/** Scrape and evaluation every 5 s, `for:` 10 s, a KWOK crash round of 13 s, gpu-monitoring's 30 s rule group. */
const FIRE_TIMEOUT_MS = 100_000;
/** Alertmanager's default peer timeout: the longest the second peer of a pair would wait before sending too. */
const PEER_TIMEOUT_MS = 15_000;

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const apps = kc.makeApiClient(AppsV1Api);
let ns: Awaited<ReturnType<typeof createTestNamespace>>;
/** The backend's API as the console calls it, as the sandbox's admin. */
let api: ConsoleApi;
/** The GPU the simulator gives the XID pod, as the XID alert names it. */
let gpu: { uuid: string; node: string; index: string };
/** The XID the pod's GPU raises: one no GPU reports yet (see unreportedCriticalXid). */
let xidCode: number;
const PODS = { stray: 'stray', gpu: `xid-${run}` };
let paymentsPod: string;

interface RobotMessage {
  at: number;
  body: { msgtype: string; markdown?: { content: string } };
  errcode: number;
}
const robotMessages = async (): Promise<RobotMessage[]> =>
  (await (
    await fetch(`${env.WECOM_API_URL}/_stand-in/received?target=${encodeURIComponent(robotKey)}`)
  ).json()) as RobotMessage[];
const messagesAbout = async (marker: string) =>
  (await robotMessages()).filter((m) => m.body.markdown?.content.includes(marker));

function mailsAbout(marker: string): string[] {
  const folder = join(env.SMTP_MAILDIR!, 'new');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .map((file) => readFileSync(join(folder, file), 'utf8'))
    .filter((text) => text.includes(mailbox) && text.includes(marker));
}

interface AmAlert {
  fingerprint: string;
  startsAt: string;
  labels: Record<string, string>;
}
async function alertmanagerAlerts(url: string, matchers: Record<string, string>): Promise<AmAlert[]> {
  const query = Object.entries(matchers)
    .map(([k, v]) => `filter=${encodeURIComponent(`${k}="${v}"`)}`)
    .join('&');
  const res = await fetch(`${url}/api/v2/alerts?${query}`);
  assert.equal(res.status, 200);
  return (await res.json()) as AmAlert[];
}

/** The alert as both Alertmanagers of the pair hold it (each got it from Prometheus). */
async function inBothAlertmanagers(matchers: Record<string, string>): Promise<AmAlert> {
  let held: AmAlert | undefined;
  for (const url of [env.ALERTMANAGER_URL, env.ALERTMANAGER_PEER_URL!]) {
    held = await waitFor(
      `${JSON.stringify(matchers)} in Alertmanager ${url}`,
      async () => (await alertmanagerAlerts(url, matchers))[0],
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  }
  return held!;
}

const escalationOf = async (alert: AmAlert) => {
  const res = await api('GET', urlFor(routes.getAlertEscalation, { name: alertKeyOf(alert) }));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as AlertEscalation;
};

/** The GPU the simulator gives the pod (dcgm-exporter's per-GPU series name the pod holding it). */
async function gpuOf(pod: string): Promise<typeof gpu | undefined> {
  const text = await (await fetch(`${env.DCGM_SIM_URL}/metrics`)).text();
  const sample = parseExposition(text)
    .get('DCGM_FI_DEV_GPU_UTIL')
    ?.samples.find((s) => labelOf(s, 'pod') === pod && labelOf(s, 'namespace') === ns.name);
  if (!sample) return undefined;
  const node = labelOf(sample, 'Hostname') ?? labelOf(sample, 'hostname');
  return { uuid: labelOf(sample, 'UUID')!, node: node!, index: labelOf(sample, 'gpu')! };
}

/** The codes gpu-monitoring's GPUXidErrorCritical takes, read from its shipped rule (its `err_code=~` matcher). */
const CRITICAL_XIDS = (() => {
  const rules = readFileSync(
    new URL('../../../charts/gpu-monitoring/rules/gpu.rules.yaml', import.meta.url),
    'utf8',
  );
  const rule = /alert: GPUXidErrorCritical\s+expr: [^]*?err_code=~"([\d|]+)"/.exec(rules);
  assert.ok(rule, 'GPUXidErrorCritical names its codes in an err_code=~ matcher');
  return rule[1]!.split('|').map(Number);
})();

/**
 * A critical XID code no GPU of the simulator reports now. dcgm-exporter (and so the simulator) keeps a GPU's last
 * XID for good, so the alert for a GPU and code keeps firing once raised: a run that raised the same code on the
 * same GPU as an earlier run against this sandbox would be that old alert, already notified, and bring no message.
 * With a code nobody reports, the XID is a new alert wherever the scheduler puts the pod.
 */
async function unreportedCriticalXid(): Promise<number> {
  const text = await (await fetch(`${env.DCGM_SIM_URL}/metrics`)).text();
  const reported = new Set(
    parseExposition(text)
      .get('DCGM_FI_DEV_XID_ERRORS')
      ?.samples.map((s) => s.value),
  );
  const code = CRITICAL_XIDS.find((c) => !reported.has(c));
  assert.ok(code, `every critical XID code is reported by some GPU already (${[...reported].join(', ')})`);
  return code;
}

/** How many alerts the sandbox backend's intake has recognised as already committed (its Prometheus counter). */
async function deduplicatedSoFar(): Promise<number> {
  const text = await (await fetch(`${env.BACKEND_URL}/metrics`)).text();
  const sample = parseExposition(text)
    .get('ksgpuml_cmdb_alerting_intake_alerts_deduplicated_total')
    ?.samples.at(0);
  assert.ok(sample, 'the intake exports ksgpuml_cmdb_alerting_intake_alerts_deduplicated_total');
  return sample.value;
}
let deduplicatedBefore: number;

const create = (path: string, body: ReceiverInput | EscalationPolicyInput) => createVia(api, path, body);

before(async () => {
  api = await adminConsoleApi();
  deduplicatedBefore = await deduplicatedSoFar();
  ns = await createTestNamespace('e2e-chain');
  await addRobotReceiver(api, names.robot, ns.name, robotKey);
  await create(urlFor(routes.createClusterReceiver, {}), {
    name: names.mail,
    type: 'email',
    settings: {},
    secretRefs: {},
    recipients: [{ email: mailbox }],
  });
  const steps = [{ receivers: [names.robot, names.mail], waitSeconds: 3600 }];
  await create(urlFor(routes.createClusterEscalationPolicy, {}), {
    name: names.policy,
    matchLabels: { namespace: ns.name },
    steps,
    repeat: 0,
  });

  // The payments Deployment: its business system, importance and owners are its own labels and annotations
  // (business.kubesphere.io/*, the backend's default keys); its pods crash-loop by KWOK's fault stage.
  const labels = { app: 'payments-api' };
  await apps.createNamespacedDeployment({
    namespace: ns.name,
    body: {
      metadata: {
        name: 'payments-api',
        labels: { ...labels, 'app.kubernetes.io/part-of': 'payments' },
        annotations: {
          'business.kubesphere.io/importance': 'P1',
          'business.kubesphere.io/owners': owners.join(','),
        },
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: faultyPod('x', ns.name, 'crash-loop').metadata!.annotations! },
          spec: faultyPod('x', ns.name, 'crash-loop').spec!,
        },
      },
    },
  });
  // A bare pod in a namespace of no workspace, with no labels: nobody owns it.
  await core.createNamespacedPod({ namespace: ns.name, body: faultyPod(PODS.stray, ns.name, 'crash-loop') });
  // A GPU pod whose GPU reports a critical XID 20 s after it starts: time to make its policy first.
  xidCode = await unreportedCriticalXid();
  const xidPod: V1Pod = gpuPod(PODS.gpu, ns.name, 1, {
    annotations: {
      [ANNOTATIONS.profile]: 'xid',
      [ANNOTATIONS.xidCode]: String(xidCode),
      [ANNOTATIONS.xidAt]: '20s',
    },
  });
  await core.createNamespacedPod({ namespace: ns.name, body: xidPod });
  gpu = await waitFor(`the GPU of ${PODS.gpu} in the simulator's series`, () => gpuOf(PODS.gpu), {
    timeoutMs: 30_000,
    intervalMs: 500,
  });
  // gpu-monitoring's XID alerts name the GPU, not the pod: this policy takes the XID of this pod's GPU only.
  await create(urlFor(routes.createClusterEscalationPolicy, {}), {
    name: names.xidPolicy,
    matchLabels: { alertname: 'GPUXidErrorCritical', UUID: gpu.uuid },
    steps,
    repeat: 0,
  });
  paymentsPod = await waitFor(
    'the payments Deployment`s pod',
    async () =>
      (await core.listNamespacedPod({ namespace: ns.name, labelSelector: 'app=payments-api' })).items[0]
        ?.metadata?.name,
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});

after(async () => {
  // Policies before receivers (a policy naming a receiver keeps it in use); the namespace takes the pods and Secret.
  for (const name of [names.policy, names.xidPolicy])
    await api('DELETE', urlFor(routes.deleteClusterEscalationPolicy, { name }));
  for (const name of [names.robot, names.mail])
    await api('DELETE', urlFor(routes.deleteClusterReceiver, { name }));
  await ns?.remove();
});

describe('real chain: KWOK → kube-state-metrics / dcgm → Prometheus rules → Alertmanager pair → backend → WeCom, SMTP', () => {
  let firstAt: number;

  it('the payments pod crash-loops: one WeCom markdown names payments, P1 and @-mentions its owners; the mail arrives', async () => {
    const message = await waitFor(
      `the robot's message about ${paymentsPod}`,
      async () => (await messagesAbout(paymentsPod))[0],
      { timeoutMs: FIRE_TIMEOUT_MS, intervalMs: 1000 },
    );
    firstAt = message.at;
    assert.equal(message.errcode, 0);
    assert.equal(message.body.msgtype, 'markdown');
    const content = message.body.markdown!.content;
    assert.match(content, /ContainerCrashLooping \(critical\)/);
    assert.match(content, /Business system payments \(importance P1\) is affected/);
    for (const owner of owners)
      assert.ok(content.includes(`<@${owner}>`), `${owner} @-mentioned: ${content}`);

    // The alert came from Prometheus to both peers of the pair, and the backend resolved it from the Deployment.
    const alert = await inBothAlertmanagers({ alertname: 'ContainerCrashLooping', pod: paymentsPod });
    const escalation = await escalationOf(alert);
    assert.equal(escalation.policy, names.policy);
    assert.deepEqual(escalation.notified.sort(), [names.mail, names.robot].sort());
    assert.equal(escalation.business?.system.value, 'payments');
    assert.equal(escalation.business?.system.provenance.source, 'workload');
    assert.match(
      escalation.business!.system.provenance.rule,
      new RegExp(`Deployment ${ns.name}/payments-api`),
    );
    assert.deepEqual(
      escalation.business?.owners.value.map((o) => o.wecomUserId),
      owners,
      JSON.stringify(escalation.business),
    );

    const mail = await waitFor(
      'the mail in the SMTP server`s Maildir',
      async () => mailsAbout(paymentsPod)[0],
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    assert.match(mail, new RegExp(`^To: ${mailbox.replace(/\./g, '\\.')}`, 'm'));
    assert.match(mail, /payments/);
  });

  it('a pod nobody maps lands in "unowned", through the same chain', async () => {
    const message = await waitFor(
      `the robot's message about ${PODS.stray}`,
      async () =>
        (await robotMessages()).find((m) => m.body.markdown?.content.includes(`${ns.name}/${PODS.stray}`)),
      { timeoutMs: FIRE_TIMEOUT_MS, intervalMs: 1000 },
    );
    assert.match(message.body.markdown!.content, /\(unowned\)/);
    const alert = await inBothAlertmanagers({ alertname: 'ContainerCrashLooping', pod: PODS.stray });
    const escalation = await escalationOf(alert);
    assert.equal(escalation.business?.unowned, true, JSON.stringify(escalation.business));
    assert.equal(escalation.business?.system.value, 'unowned');
  });

  it("the simulator's XID profile: gpu-monitoring's GPUXidErrorCritical reaches the robot and the mailbox", async () => {
    // The rule's summary names the GPU by index and node (its annotations as shipped).
    const marker = `GPU ${gpu.index} on ${gpu.node} reported XID ${xidCode}`;
    const message = await waitFor(
      `the robot's message "${marker}"`,
      async () => (await messagesAbout(marker))[0],
      { timeoutMs: FIRE_TIMEOUT_MS, intervalMs: 1000 },
    );
    assert.equal(message.errcode, 0);
    assert.match(message.body.markdown!.content, /\*\*\[FIRING\] GPUXidErrorCritical \(critical\)\*\*/);
    const alert = await inBothAlertmanagers({
      alertname: 'GPUXidErrorCritical',
      UUID: gpu.uuid,
      err_code: String(xidCode),
    });
    assert.equal((await escalationOf(alert)).policy, names.xidPolicy);
    await waitFor('the XID mail', async () => mailsAbout(marker)[0], { timeoutMs: 30_000, intervalMs: 500 });
  });

  it('the pair sends every notification twice, and nothing is notified twice: one message and one mail per alert', async () => {
    // The sandbox's peers send at once (peer timeout 0 s): the backend got its batches twice and said so.
    assert.ok(
      (await deduplicatedSoFar()) > deduplicatedBefore,
      'the intake deduplicated the pair`s second sends',
    );
    // Past the longest a peer could wait, every send has happened; each alert was still notified once.
    const until = firstAt + PEER_TIMEOUT_MS + 5_000;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
    // Only the crash-loop alert's: the same pod soon fires ContainerRestartingOften too, a second alert of its own.
    const crashLoop = (text: string | undefined) =>
      text?.includes('ContainerCrashLooping') && text.includes(paymentsPod);
    const about = (await robotMessages()).filter((m) => crashLoop(m.body.markdown?.content));
    assert.equal(about.length, 1, JSON.stringify(about.map((m) => m.body.markdown?.content)));
    assert.equal(mailsAbout(paymentsPod).filter(crashLoop).length, 1);
  });
});
