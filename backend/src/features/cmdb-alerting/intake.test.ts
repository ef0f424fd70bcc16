import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ALERTMANAGER_WEBHOOK_PATH, CMDB_ALERTING_GROUP, kapisPath } from '@ks-gpu-ml/contracts';
import { buildApp, type BuiltApp } from '../../app.js';
import type { KubeClient } from '../../clients/kube.js';
import { createAlertIntakeStore, type AlertIntakeStore } from '../../clients/store/alert-intake.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { alertFixture, batchFixture } from './test-fixtures.js';

// The intake through the whole app (its guard, validation and error handler) on a real SQLite file.
const dir = mkdtempSync(join(tmpdir(), 'intake-'));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, 'am-s3cret\n');
const lines: string[] = [];
// Tokens `t-<user>`; only admin may read the cluster-scoped alert list.
const fakeKube = {
  ping: async () => undefined,
  tokenReview: async (token: string) => ({
    authenticated: true,
    user: { username: token.slice(2), groups: ['system:authenticated'] },
  }),
  subjectAccessReview: async (spec: { user: string }) => ({ allowed: spec.user === 'admin' }),
} as unknown as KubeClient;
const list = (query: string, user = 'admin') =>
  built.app.inject({
    method: 'GET',
    url: kapisPath({ group: CMDB_ALERTING_GROUP, scope: 'cluster', resource: 'alerts' }) + query,
    headers: { authorization: `Bearer t-${user}` },
  });
let built: BuiltApp;
let store: Store;
let intake: AlertIntakeStore;

const post = (body: unknown, headers: Record<string, string> = { authorization: 'Bearer am-s3cret' }) =>
  built.app.inject({
    method: 'POST',
    url: ALERTMANAGER_WEBHOOK_PATH,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });

before(async () => {
  const env = {
    AUTH_MODE: 'kubernetes',
    FEATURES: 'cmdb-alerting',
    ALERT_INTAKE_TOKEN_FILE: tokenFile,
    ALERT_INTAKE_MAX_ALERTS: '5',
    ALERT_INTAKE_MAX_BYTES: '8192',
  };
  const config = loadConfig(env, ['cmdb-alerting']);
  store = createStore(`sqlite:${join(dir, 'backend.sqlite')}`);
  intake = createAlertIntakeStore(store);
  const sink = new Writable({
    write: (chunk: Buffer, _e, done) => void (lines.push(chunk.toString()), done()),
  });
  built = await buildApp(config, {
    logger: createLogger('info', sink),
    clients: { kube: fakeKube, store },
  });
});
after(() => built.app.close());

describe('cmdb-alerting intake', () => {
  it('refuses a missing or wrong token with 401, before reading the body', async () => {
    const missing = await post(batchFixture([alertFixture(1)]), {});
    assert.equal(missing.statusCode, 401);
    assert.equal(missing.json().reason, 'Unauthorized');
    assert.match(missing.headers['www-authenticate'] as string, /^Bearer/);
    const wrong = await post('not even json', { authorization: 'Bearer guess' });
    assert.equal(wrong.statusCode, 401);
    assert.match(wrong.json().message, /not the configured one/);
    assert.equal(await intake.countAlerts(), 0);
  });

  it('answers 400 naming the field of a malformed batch', async () => {
    const { fingerprint: _, ...noFingerprint } = alertFixture(1);
    const res = await post(batchFixture([noFingerprint as never]));
    assert.equal(res.statusCode, 400);
    assert.match(res.json().message, /body\.alerts\.0\.fingerprint/);
    const version = await post({ ...batchFixture([alertFixture(1)]), version: '3' });
    assert.equal(version.statusCode, 400);
    assert.match(version.json().message, /body\.version/);
    assert.equal((await post('{"version": "4",')).statusCode, 400);
  });

  it('answers 413 to a batch over the byte or alert limit', async () => {
    const many = await post(batchFixture([1, 2, 3, 4, 5, 6].map((n) => alertFixture(n))));
    assert.equal(many.statusCode, 413);
    assert.match(many.json().message, /6 alerts.*at most 5/);
    const big = alertFixture(1, { annotations: { description: 'x'.repeat(9000) } });
    const bytes = await post(batchFixture([big]));
    assert.equal(bytes.statusCode, 413);
    assert.match(bytes.json().message, /at most 8192/);
    assert.equal(await intake.countAlerts(), 0);
  });

  it('records a batch once: the HA peer’s copy and retries are recognised', async () => {
    const batch = batchFixture([alertFixture(1), alertFixture(2)]);
    const first = await post(batch);
    assert.equal(first.statusCode, 200);
    assert.deepEqual(first.json(), { recorded: 2, duplicates: 0 });
    const peer = await post({ ...batch, externalURL: 'http://am-1:9093', notification_reason: 'x' });
    assert.deepEqual(peer.json(), { recorded: 0, duplicates: 2 });
    // The group grew by one alert: only that one is new.
    const grown = await post(batchFixture([alertFixture(1), alertFixture(2), alertFixture(3)]));
    assert.deepEqual(grown.json(), { recorded: 1, duplicates: 2 });
    // Resolved is a new state of the same alert.
    const resolved = alertFixture(1, { status: 'resolved', endsAt: '2026-12-05T10:09:00Z' });
    assert.deepEqual((await post(batchFixture([resolved]))).json(), { recorded: 1, duplicates: 0 });
    const states = await intake.alertsOf(alertFixture(1).fingerprint);
    assert.deepEqual(
      states.map((s) => s.status),
      ['firing', 'resolved'],
    );
    assert.equal(await intake.countAlerts(), 4);
  });

  it('counts received, deduplicated and rejected alerts', async () => {
    const text = (await built.app.inject({ method: 'GET', url: '/metrics' })).body;
    const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(value('ksgpuml_cmdb_alerting_intake_alerts_received_total'), 8);
    assert.equal(value('ksgpuml_cmdb_alerting_intake_alerts_deduplicated_total'), 4);
    const rejected = (reason: string) =>
      value(`ksgpuml_cmdb_alerting_intake_batches_rejected_total\\{reason="${reason}"\\}`);
    assert.equal(rejected('unauthorized'), 2);
    assert.equal(rejected('invalid'), 3);
    assert.equal(rejected('too_large'), 2);
  });

  it('lists the recorded states to platform admins, newest first, a page at a time', async () => {
    assert.equal((await list('', 'alice')).statusCode, 403);
    const first = await list('?limit=3');
    assert.equal(first.statusCode, 200);
    const page = first.json() as {
      items: { id: number; status: string; labels: Record<string, string> }[];
      continue?: string;
    };
    assert.deepEqual(
      page.items.map((i) => [i.status, i.labels.pod]),
      [
        ['resolved', 'pod-1'],
        ['firing', 'pod-3'],
        ['firing', 'pod-2'],
      ],
    );
    assert.equal(page.continue, String(page.items[2]!.id));
    const rest = (await list(`?limit=3&continue=${page.continue}`)).json() as {
      items: unknown[];
      continue?: string;
    };
    assert.equal(rest.items.length, 1);
    assert.equal(rest.continue, undefined);
    assert.equal((await list('?continue=abc')).statusCode, 400);
  });

  it('answers 503 when the store cannot commit, and logs no payload', async () => {
    await store.close();
    const res = await post(batchFixture([alertFixture(9)]));
    assert.equal(res.statusCode, 503);
    assert.equal(res.json().reason, 'ServiceUnavailable');
    assert.ok(!lines.join('').includes('pod-9 is restarting'), 'the batch is not logged');
    assert.ok(!lines.join('').includes('am-s3cret'), 'the token is not logged');
  });
});
