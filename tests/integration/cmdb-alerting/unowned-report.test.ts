// The unowned bucket reported, through a real backend process and the sandbox's kube-apiserver: a Deployment in a
// project nobody maps is in the report route's workloads; with the report's period set to a second
// (ALERT_UNOWNED_REPORT_EVERY_MS, daily by default) the report reaches the platform default routing policy's
// webhook receiver (a loopback HTTP server here) through the outbox, in en and zh; tenants may not read it.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AppsV1Api } from '@kubernetes/client-node';
import {
  cmdbAlertingRoutes,
  cmdbBusinessRoutes,
  cmdbRoutingRoutes,
  ROUTE_TABLE,
  urlFor,
  type UnownedReport,
} from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, createTestNamespace } from '../../sandbox/src/testing.js';
import { waitFor } from '../../sandbox/src/wait.js';
import { startHttpStandIn, type ListeningStandIn } from '../../../backend/src/clients/test-http-stand-in.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { deploymentOf } from './workloads.js';

const run = randomUUID().slice(0, 8);
const dir = mkdtempSync(join(tmpdir(), 'cmdb-unowned-'));
const admin = () => sandboxUser('admin').token;
const bodies: string[] = [];
let hooks: ListeningStandIn | undefined;
let backend: BackendProcess;
let project: { name: string; remove: () => Promise<void> };

before(async () => {
  hooks = await startHttpStandIn((_req, body, res) => {
    bodies.push(body);
    res.writeHead(200).end('{}');
  });
  const hookUrl = `${hooks.url}/report`;
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  project = await createTestNamespace('unowned');
  await adminKubeConfig()
    .makeApiClient(AppsV1Api)
    .createNamespacedDeployment({ namespace: project.name, body: deploymentOf('stray', {}, 0) });
  backend = await startBackend({
    AUTHZ_CACHE_TTL_MS: '0',
    STORE_URL: `sqlite:${join(dir, 'backend.sqlite')}`,
    ALERT_UNOWNED_REPORT_EVERY_MS: '1000',
  });
  const receiver = await call(backend, 'POST', urlFor(cmdbAlertingRoutes.createClusterReceiver, {}), {
    token: admin(),
    body: { name: `ops-${run}`, type: 'webhook', settings: { url: hookUrl }, secretRefs: {}, recipients: [] },
  });
  assert.equal(receiver.status, 200, JSON.stringify(receiver.body));
  const policy = await call(backend, 'POST', urlFor(cmdbRoutingRoutes.createRoutingPolicy, {}), {
    token: admin(),
    body: {
      name: `default-${run}`,
      priority: 100,
      match: { unowned: true },
      receivers: [`ops-${run}`],
      default: true,
    },
  });
  assert.equal(policy.status, 200, JSON.stringify(policy.body));
});
after(async () => {
  await backend?.stop();
  await hooks?.stop();
  await project?.remove();
});

describe('the unowned report', () => {
  it('lists a workload nobody maps; tenants are refused', async () => {
    const res = await call(backend, 'GET', urlFor(cmdbBusinessRoutes.getUnownedReport, {}), {
      token: admin(),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const report = res.body as unknown as UnownedReport;
    assert.ok(
      report.workloads.some(
        (w) => w.kind === 'Deployment' && w.namespace === project.name && w.name === 'stray',
      ),
      JSON.stringify(report.workloads).slice(0, 500),
    );
    const tenant = await call(backend, 'GET', urlFor(cmdbBusinessRoutes.getUnownedReport, {}), {
      token: sandboxUser('alice').token,
    });
    assert.equal(tenant.status, 403);
  });

  it("reaches the platform default's receiver on its schedule, in en and zh", async () => {
    const body = await waitFor(
      'the report at the webhook receiver',
      async () => bodies.find((b) => b.includes('Unowned workloads report')),
      { timeoutMs: 30_000 },
    );
    assert.match(body, /未归属工作负载日报/);
    assert.match(body, /workloads map to no business system/);
  });
});
