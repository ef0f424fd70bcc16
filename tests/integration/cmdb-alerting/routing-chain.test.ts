// Routing by business through a real backend process and the sandbox's kube-apiserver: two projects labelled for
// two business systems (business.kubesphere.io/system), a webhook receiver for each (a loopback HTTP server here),
// routing policies created through the API as the platform admin, then one Alertmanager batch per project → the
// payments alert reaches only the payments receiver and the orders alert only the orders one; an alert of an
// unlabelled project falls to the platform default for the unowned bucket. Invalid policies are clear 400s.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import {
  ALERTMANAGER_WEBHOOK_PATH,
  cmdbAlertingRoutes,
  cmdbRoutingRoutes as routes,
  ROUTE_TABLE,
  urlFor,
} from '@ks-gpu-ml/contracts';
import { alertFixture, batchFixture } from '../../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, createTestNamespace } from '../../sandbox/src/testing.js';
import { waitFor } from '../../sandbox/src/wait.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';

const run = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'cmdb-routing-'));
const intakeToken = randomUUID();
writeFileSync(join(dir, 'intake-token'), intakeToken);
const systems = { pay: `payments-${run}`, ord: `orders-${run}` };
const admin = () => sandboxUser('admin').token;

/** What each webhook path received: the alert names in the notifications' titles. */
const received = new Map<string, string[]>();
let hooks: Server;
let hookBase = '';
let backend: BackendProcess;
const projects: { name: string; remove: () => Promise<void> }[] = [];

before(async () => {
  hooks = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(raw) as { notifications: { title: string }[] };
      const list = received.get(req.url ?? '') ?? [];
      list.push(...body.notifications.map((n) => n.title));
      received.set(req.url ?? '', list);
      res.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  hookBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  for (const system of [systems.pay, systems.ord, undefined]) {
    const project = await createTestNamespace('routing');
    projects.push(project);
    if (system)
      await core.patchNamespace({
        name: project.name,
        body: [{ op: 'add', path: '/metadata/labels/business.kubesphere.io~1system', value: system }],
      });
  }
  backend = await startBackend({
    AUTHZ_CACHE_TTL_MS: '0',
    STORE_URL: `sqlite:${join(dir, 'backend.sqlite')}`,
    ALERT_INTAKE_TOKEN_FILE: join(dir, 'intake-token'),
    ALERT_ESCALATION_SECOND_MS: '100',
    ALERT_ESCALATION_TICK_MS: '100',
  });
  for (const name of ['pay', 'ord', 'unowned']) {
    const res = await call(backend, 'POST', urlFor(cmdbAlertingRoutes.createClusterReceiver, {}), {
      token: admin(),
      body: {
        name: `${name}-${run}`,
        type: 'webhook',
        settings: { url: `${hookBase}/${name}` },
        secretRefs: {},
        recipients: [],
      },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  }
});
after(async () => {
  await backend?.stop();
  hooks?.close();
  for (const p of projects) await p.remove();
});

async function fire(namespace: string, name: string): Promise<void> {
  const alert = alertFixture(1, {
    labels: { alertname: name, namespace, pod: 'api-0', severity: 'critical', run },
    startsAt: new Date().toISOString(),
    fingerprint: randomBytes(8).toString('hex'),
  });
  const res = await fetch(backend.url + ALERTMANAGER_WEBHOOK_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${intakeToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(batchFixture([alert], { groupKey: `{}:{alertname="${name}"}` })),
  });
  assert.equal(res.status, 200, await res.text());
}

const policy = (name: string, body: object) =>
  call(backend, 'POST', urlFor(routes.createRoutingPolicy, {}), {
    token: admin(),
    body: { name: `${name}-${run}`, priority: 100, ...body },
  });

describe('routing by business through the backend', () => {
  it('refuses a policy naming a receiver the cluster lacks, and a time zone that is none, naming the field', async () => {
    const missing = await policy('bad', { match: {}, receivers: ['nobody-here'] });
    assert.equal(missing.status, 400);
    assert.match(String(missing.body.message), /body\.receivers\.0/);
    const zone = await policy('bad', {
      match: {},
      receivers: [],
      window: { timeZone: 'Mars/Olympus', days: ['mon'], start: '09:00', end: '18:00' },
    });
    assert.equal(zone.status, 400);
    assert.match(String(zone.body.message), /body\.window\.timeZone/);
    const tenant = await call(backend, 'GET', urlFor(routes.listRoutingPolicies, {}), {
      token: sandboxUser('alice').token,
    });
    assert.equal(tenant.status, 403);
  });

  it('two alerts of different systems go to different receivers; the unowned one to the platform default', async () => {
    for (const [name, body] of [
      ['pay', { match: { systems: [systems.pay] }, receivers: [`pay-${run}`] }],
      ['ord', { match: { systems: [systems.ord] }, receivers: [`ord-${run}`] }],
      ['unowned', { match: { unowned: true }, receivers: [`unowned-${run}`], default: true }],
    ] as const) {
      const res = await policy(name, body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
    }
    const [pay, ord, lost] = projects.map((p) => p.name) as [string, string, string];
    await fire(pay, `PayDown${run}`);
    await fire(ord, `OrdDown${run}`);
    await fire(lost, `LostDown${run}`);
    await waitFor('each receiver got its alert', async () =>
      ['/pay', '/ord', '/unowned'].every((p) => (received.get(p) ?? []).length > 0),
    );
    assert.ok(received.get('/pay')!.every((t) => t.includes(`PayDown${run}`) && t.includes(systems.pay)));
    assert.ok(received.get('/ord')!.every((t) => t.includes(`OrdDown${run}`) && t.includes(systems.ord)));
    assert.ok(received.get('/unowned')!.every((t) => t.includes(`LostDown${run}`)));
  });
});
