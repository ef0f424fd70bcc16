// cmdb-alerting's intake end to end with real parts: a clustered pair of Debian Alertmanagers whose webhook
// receiver carries the token from a credentials_file, the backend process, and a PostgreSQL server this test owns
// (so it can stop it). Both peers get the same alert, as Prometheus sends every alert to every Alertmanager; the
// backend records it once. While PostgreSQL is down the intake answers 503, and Alertmanager's retry lands once it
// is back.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ALERTMANAGER_WEBHOOK_PATH } from '@ks-gpu-ml/contracts';
import {
  createAlertIntakeStore,
  type AlertIntakeStore,
} from '../../../backend/src/clients/store/alert-intake.js';
import { createStore, type Store } from '../../../backend/src/clients/store/index.js';
import { alertFixture, batchFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { alertmanagerPairArgs, pairSettled } from '../../sandbox/src/alertmanager-pair.js';
import { startPostgres, type DatabaseServer } from '../../sandbox/src/databases.js';
import { alertmanagerConfig } from '../../sandbox/src/monitoring.js';
import { freePorts } from '../../sandbox/src/ports.js';
import { waitFor } from '../../sandbox/src/wait.js';
import { startBackend, type BackendProcess } from '../backend/backend-process.js';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-intake-'));
const tokenFile = join(dir, 'token');
const token = randomUUID();
writeFileSync(tokenFile, token + '\n');

let postgres: DatabaseServer;
let backend: BackendProcess;
let store: Store;
let intake: AlertIntakeStore;
const peers: { url: string; child: ChildProcess }[] = [];
const run = randomUUID().slice(0, 8);
const deduplicated = 'ksgpuml_cmdb_alerting_intake_alerts_deduplicated_total';
const unavailable = 'ksgpuml_cmdb_alerting_intake_batches_rejected_total\\{reason="store_unavailable"\\}';

/** What Prometheus does: the same alert, with the same startsAt, to every Alertmanager. */
async function fireOnBothPeers(alertname: string): Promise<void> {
  const alert = [{ labels: { alertname, run, severity: 'critical' }, startsAt: new Date().toISOString() }];
  for (const peer of peers) {
    const response = await fetch(`${peer.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alert),
    });
    assert.equal(response.status, 200, await response.text());
  }
}

async function fingerprintOf(alertname: string): Promise<string> {
  const url = `${peers[0]!.url}/api/v2/alerts?filter=${encodeURIComponent(`alertname="${alertname}"`)}`;
  const alerts = (await (await fetch(url)).json()) as { fingerprint: string }[];
  assert.equal(alerts.length, 1);
  return alerts[0]!.fingerprint;
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${backend.url}/metrics`)).text();
  const match = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return match ? Number(match[1]) : 0;
}

const post = (body: unknown, auth = `Bearer ${token}`) =>
  fetch(backend.url + ALERTMANAGER_WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });

before(async () => {
  postgres = await startPostgres();
  backend = await startBackend({
    STORE_URL: postgres.url,
    FEATURES: 'cmdb-alerting',
    ALERT_INTAKE_TOKEN_FILE: tokenFile,
    ALERT_INTAKE_MAX_ALERTS: '50',
    UPSTREAM_TIMEOUT_MS: '2000',
  });
  store = createStore(postgres.url);
  intake = createAlertIntakeStore(store);

  const p = await freePorts(['web0', 'cluster0', 'web1', 'cluster1'] as const);
  const config = alertmanagerConfig(backend.url + ALERTMANAGER_WEBHOOK_PATH, tokenFile).replace(
    'group_interval: 5s',
    'group_interval: 2s',
  );
  const args = alertmanagerPairArgs({
    configFile: join(dir, 'alertmanager.yml'),
    storageDir: join(dir, 'alertmanager'),
    ports: [
      { web: p.web0, cluster: p.cluster0 },
      { web: p.web1, cluster: p.cluster1 },
    ],
    config,
    // Both peers send, as they do when gossip is late: the receiver's dedup is what is under test.
    peerTimeout: '0s',
  });
  for (const [i, web] of [p.web0, p.web1].entries()) {
    const child = spawn('prometheus-alertmanager', args[i]!, { stdio: 'ignore' });
    peers.push({ url: `http://127.0.0.1:${web}`, child });
  }
  for (const peer of peers)
    await waitFor(`Alertmanager ${peer.url} in a cluster of two`, () => pairSettled(peer.url));
});

after(async () => {
  for (const peer of peers) peer.child.kill('SIGTERM');
  await store?.close();
  await backend?.stop();
  await postgres?.stop();
});

describe('cmdb-alerting intake with an Alertmanager pair', () => {
  it('answers 401, 400 and 413 to what it cannot accept', async () => {
    const batch = batchFixture([alertFixture(1)]);
    assert.equal((await post(batch, '')).status, 401);
    assert.equal((await post(batch, 'Bearer not-the-token')).status, 401);
    const invalid = await post({ ...batch, alerts: [{ ...alertFixture(1), status: 'pending' }] });
    assert.equal(invalid.status, 400);
    assert.match(((await invalid.json()) as { message: string }).message, /body\.alerts\.0\.status/);
    const tooMany = await post(batchFixture(Array.from({ length: 51 }, (_, n) => alertFixture(n))));
    assert.equal(tooMany.status, 413);
    assert.equal(await intake.countAlerts(), 0);
  });

  it('records an alert both peers send once', async () => {
    const alertname = `IntakePair-${run}`;
    await fireOnBothPeers(alertname);
    const fingerprint = await fingerprintOf(alertname);
    await waitFor('the alert in the store', async () => (await intake.alertsOf(fingerprint)).length > 0, {
      timeoutMs: 30_000,
    });
    // peer-timeout 0 s: both peers flush within a group_wait of each other, before either's notification log
    // entry has gossiped, so the second copy reaches the intake and must be recognised.
    await waitFor('the second peer’s copy, deduplicated', async () => (await metric(deduplicated)) >= 1, {
      timeoutMs: 15_000,
    });
    const states = await intake.alertsOf(fingerprint);
    assert.equal(states.length, 1, 'one record however many copies arrived');
    assert.equal(states[0]?.labels.run, run);
  });

  it('answers 503 while the store is down, and the retried batch is recorded once it is back', async () => {
    const alertname = `IntakeOutage-${run}`;
    await postgres.pause!();
    try {
      await fireOnBothPeers(alertname);
      await waitFor('a 503 for the outage', async () => (await metric(unavailable)) >= 1, {
        timeoutMs: 20_000,
      });
    } finally {
      await postgres.resume!();
    }
    const fingerprint = await fingerprintOf(alertname);
    await waitFor(
      'the retried alert in the store',
      async () => (await intake.alertsOf(fingerprint)).length > 0,
      {
        timeoutMs: 40_000,
      },
    );
    assert.equal((await intake.alertsOf(fingerprint)).length, 1);
  });

  it('never logs the token', () => {
    assert.ok(backend.logs.length > 0);
    assert.ok(!backend.logs.some((line) => line.includes(token)));
  });
});
