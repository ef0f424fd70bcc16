// WeCom's 45009 ("api freq out of limit", under HTTP 200) through a real backend process: the WeCom stand-in's robot
// is switched to answer 45009, several Alertmanager groups (webhook payload version 4) arrive, every alert's send
// meets the limit and backs off; the fault is switched off and the robot then receives merged markdown messages
// that together name every alert exactly once. The backoff is the operator's ALERT_WECOM_RATE_LIMIT_BACKOFF_MS, set
// short here (configuration, not a fake clock).
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { ALERTMANAGER_WEBHOOK_PATH, cmdbAlertingRoutes as routes, urlFor } from '@ks-gpu-ml/contracts';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { createOutboxStore, type TrailEntry } from '../../../backend/src/clients/store/outbox.js';
import { alertFixture, batchFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { readSandboxEnv, sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, waitFor } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';

const wecom = readSandboxEnv().WECOM_API_URL!;
const dir = mkdtempSync(join(tmpdir(), 'cmdb-45009-'));
const run = randomUUID().slice(0, 8);
const intakeToken = randomUUID();
const robotKey = randomUUID();
const receiver = `robot-45009-${run}`;
/** The configured pause after 45009: far shorter than WeCom's minute, the default. */
const BACKOFF_MS = 4_000;
const GROUPS = 6;
const PER_GROUP = 2;
writeFileSync(join(dir, 'intake-token'), intakeToken);
const storeUrl = `sqlite:${join(dir, 'backend.sqlite')}`;

let backend: BackendProcess;
let store: Store;
let namespace: { name: string; remove: () => Promise<void> };

/** Each alert's marker, in its summary: "#<group>-<n># of run <run>". */
const markerOf = (group: number, n: number) => `#${group}-${n}# of run ${run}`;
const markers = Array.from({ length: GROUPS }, (_, g) =>
  Array.from({ length: PER_GROUP }, (_, n) => markerOf(g, n)),
).flat();
/** The alert keys (fingerprint and start), in the order of `markers`. */
const alertKeys: string[] = [];

/** One Alertmanager group's webhook: PER_GROUP alerts of one group key. */
async function fireGroup(group: number): Promise<string[]> {
  const startsAt = new Date().toISOString();
  const alerts = Array.from({ length: PER_GROUP }, (_, n) =>
    alertFixture(group * PER_GROUP + n, {
      labels: { alertname: 'RateLimitTest', run, severity: 'critical', pod: `ledger-${group}-${n}` },
      annotations: { summary: `ledger ${markerOf(group, n)} is crash looping` },
      startsAt,
      fingerprint: randomBytes(8).toString('hex'),
    }),
  );
  const res = await fetch(backend.url + ALERTMANAGER_WEBHOOK_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${intakeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(batchFixture(alerts, { groupKey: `{}:{run="${run}",group="${group}"}` })),
  });
  assert.equal(res.status, 200, await res.text());
  return alerts.map((a) => `${a.fingerprint}-${Math.floor(Date.parse(a.startsAt) / 1000)}`);
}

async function standIn(path: string, body: object): Promise<void> {
  const res = await fetch(`${wecom}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, await res.text());
}

interface Received {
  body: { msgtype: string; markdown?: { content: string } };
  /** 0: taken; -2: answered by the switched fault (45009 here). */
  errcode: number;
}
const received = async () =>
  (await (
    await fetch(`${wecom}/_stand-in/received?target=${encodeURIComponent(robotKey)}`)
  ).json()) as Received[];

const robotTrail = async (alertKey: string): Promise<TrailEntry[]> =>
  (await createOutboxStore(store).trail(alertKey)).filter((e) => e.receiver === receiver);

before(async () => {
  namespace = await createTestNamespace('chain-45009');
  await adminKubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedSecret({
      namespace: namespace.name,
      body: { metadata: { name: 'robot-keys' }, stringData: { 'robot-key': robotKey } },
    });
  await standIn('/_stand-in/config', { robots: [robotKey] });
  backend = await startBackend({
    STORE_URL: storeUrl,
    ALERT_INTAKE_TOKEN_FILE: join(dir, 'intake-token'),
    ALERT_ESCALATION_TICK_MS: '100',
    ALERT_WECOM_API_URL: wecom,
    ALERT_WECOM_RATE_LIMIT_BACKOFF_MS: String(BACKOFF_MS),
  });
  store = createStore(storeUrl);
  const admin = sandboxUser('admin').token;
  const created = await call(backend, 'POST', urlFor(routes.createClusterReceiver, {}), {
    token: admin,
    body: {
      name: receiver,
      type: 'wecom-robot',
      settings: {},
      secretRefs: { webhookKey: { namespace: namespace.name, name: 'robot-keys', key: 'robot-key' } },
      recipients: [],
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const policy = await call(backend, 'POST', urlFor(routes.createClusterEscalationPolicy, {}), {
    token: admin,
    body: {
      name: `chain-45009-${run}`,
      matchLabels: { run },
      steps: [{ receivers: [receiver], waitSeconds: 3600 }],
      repeat: 0,
    },
  });
  assert.equal(policy.status, 200, JSON.stringify(policy.body));
});

after(async () => {
  await standIn('/_stand-in/faults', { target: robotKey, fault: null });
  await store?.close();
  if (backend) assert.equal(await backend.stop(), 0, 'the backend shut down cleanly');
  await namespace?.remove();
});

describe("WeCom 45009: the robot's messages wait and merge, nothing is dropped, nothing comes twice", () => {
  it('every alert meets 45009 and backs off; after the fault, merged messages name each alert once', async (t) => {
    await standIn('/_stand-in/faults', { target: robotKey, fault: 'rate-limit' });
    // Alertmanager sends one webhook per group, at the same moment for groups that fire together.
    const groups = await Promise.all(Array.from({ length: GROUPS }, (_, g) => fireGroup(g)));
    alertKeys.push(...groups.flat());

    // Every alert was tried and WeCom said 45009 to each: its row is pending again, none dropped or dead.
    const limited = (trail: TrailEntry[]) =>
      trail.some((e) => e.outcome === 'retry' && e.error === 'CMDB_ALERTING_WECOM_RATE_LIMITED');
    await waitFor(
      'a 45009 in every alert`s trail',
      async () => (await Promise.all(alertKeys.map(robotTrail))).every(limited),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    const faulted = (await received()).filter((m) => m.errcode !== 0);
    assert.ok(faulted.length > 0 && (await received()).every((m) => m.errcode !== 0), 'nothing taken yet');
    await standIn('/_stand-in/faults', { target: robotKey, fault: null });

    const delivered = (trail: TrailEntry[]) => trail.filter((e) => e.outcome === 'delivered');
    await waitFor(
      'every alert delivered',
      async () => (await Promise.all(alertKeys.map(robotTrail))).every((t) => delivered(t).length > 0),
      { timeoutMs: 60_000, intervalMs: 200 },
    );
    for (const alertKey of alertKeys) {
      const trail = await robotTrail(alertKey);
      assert.equal(delivered(trail).length, 1, `delivered once: ${JSON.stringify(trail)}`);
      assert.equal(trail.at(-1)!.outcome, 'delivered', 'nothing after the delivery');
      assert.ok(
        trail.every((e) => e.outcome !== 'dead' && e.outcome !== 'failed'),
        JSON.stringify(trail),
      );
      // The row waited at least the configured pause after its last 45009, and far less than WeCom's minute.
      const lastLimited = trail.filter((e) => e.outcome === 'retry').at(-1)!;
      const waited = delivered(trail)[0]!.at - lastLimited.at;
      assert.ok(waited >= BACKOFF_MS - 50 && waited < 45_000, `waited ${waited} ms`);
    }

    // Every delivered row is settled, so the robot's messages are final: each alert in exactly one taken message.
    const taken = (await received()).filter((m) => m.errcode === 0);
    assert.ok(taken.every((m) => m.body.msgtype === 'markdown'));
    for (const marker of markers) {
      const about = taken.filter((m) => m.body.markdown!.content.includes(marker));
      assert.equal(about.length, 1, `${marker} in ${about.length} messages`);
    }
    assert.ok(taken.length < markers.length, `merged: ${taken.length} messages for ${markers.length} alerts`);
    t.diagnostic(
      `${faulted.length} sends answered 45009, then ${taken.length} messages for ${markers.length} alerts`,
    );
  });
});
