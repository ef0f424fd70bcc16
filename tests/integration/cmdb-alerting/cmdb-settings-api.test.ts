// The CMDB connection settings through a real backend process: the credential in a Kubernetes Secret of the
// sandbox's kube-apiserver, the CMDB stand-in started in-process. Platform admins only (a tenant gets 403); the
// answer holds the Secret reference and never the token; "test connection" reads the Secret and shows what the
// CMDB answered (the mapping, or its refusal in its own words with its status).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { cmdbRoutingRoutes as routes, ROUTE_TABLE, urlFor } from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, createTestNamespace } from '../../sandbox/src/testing.js';
import { CmdbState, standInCredentials as creds } from '../../sandbox/stand-ins/cmdb/state.js';
import { startCmdbStandIn, type RunningCmdbStandIn } from './cmdb-stand-in.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';

const dir = mkdtempSync(join(tmpdir(), 'cmdb-settings-'));
const state = new CmdbState();
let cmdb: RunningCmdbStandIn | undefined;
let cmdbUrl = '';
let backend: BackendProcess;
let project: { name: string; remove: () => Promise<void> };
const admin = () => sandboxUser('admin').token;
const wrongToken = `wrong-${randomUUID()}`;

before(async () => {
  cmdb = await startCmdbStandIn(state);
  cmdbUrl = cmdb.url;
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  project = await createTestNamespace('cmdb-settings');
  await adminKubeConfig()
    .makeApiClient(CoreV1Api)
    .createNamespacedSecret({
      namespace: project.name,
      body: { metadata: { name: 'cmdb' }, stringData: { token: creds.netboxToken, wrong: wrongToken } },
    });
  backend = await startBackend({
    AUTHZ_CACHE_TTL_MS: '0',
    STORE_URL: `sqlite:${join(dir, 'backend.sqlite')}`,
  });
});
after(async () => {
  await backend?.stop();
  await cmdb?.stop();
  await project?.remove();
});

const settings = (key = 'token') => ({
  kind: 'netbox',
  enabled: true,
  url: cmdbUrl,
  secretRef: { namespace: project.name, name: 'cmdb', key },
  ttlSeconds: 30,
  timeoutMs: 2000,
});

describe('CMDB connection settings through the backend', () => {
  it('platform admins only: a tenant is refused reading, saving and testing', async () => {
    const alice = sandboxUser('alice').token;
    assert.equal(
      (await call(backend, 'GET', urlFor(routes.getCmdbSettings, {}), { token: alice })).status,
      403,
    );
    const put = await call(backend, 'PUT', urlFor(routes.updateCmdbSettings, {}), {
      token: alice,
      body: settings(),
    });
    assert.equal(put.status, 403);
    const test = await call(backend, 'POST', urlFor(routes.testCmdbConnection, {}), {
      token: alice,
      body: { settings: settings() },
    });
    assert.equal(test.status, 403);
  });

  it('saves the reference, answers it back, never the token; a kind without its fields is a 400', async () => {
    const bad = await call(backend, 'PUT', urlFor(routes.updateCmdbSettings, {}), {
      token: admin(),
      body: { ...settings(), kind: 'bk-cmdb' },
    });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.message), /body\.appCode/);
    const put = await call(backend, 'PUT', urlFor(routes.updateCmdbSettings, {}), {
      token: admin(),
      body: settings(),
    });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    const got = await call(backend, 'GET', urlFor(routes.getCmdbSettings, {}), { token: admin() });
    assert.equal(got.status, 200);
    assert.equal((got.body as { configured: boolean }).configured, true);
    assert.ok(!JSON.stringify(got.body).includes(creds.netboxToken));
  });

  it('test connection reads the Secret and shows the mapping, or the CMDB refusal in its own words', async () => {
    const good = await call(backend, 'POST', urlFor(routes.testCmdbConnection, {}), {
      token: admin(),
      body: { settings: settings(), namespace: 'prod-pay' },
    });
    assert.equal(good.status, 200, JSON.stringify(good.body));
    assert.equal((good.body as { sample?: { name: string } }).sample?.name, 'payments');
    const refused = await call(backend, 'POST', urlFor(routes.testCmdbConnection, {}), {
      token: admin(),
      body: { settings: settings('wrong'), namespace: 'prod-pay' },
    });
    const r = refused.body as { ok: boolean; status?: number; error?: { key: string; answer?: string } };
    assert.equal(r.ok, false);
    assert.equal(r.status, 403);
    assert.equal(r.error?.key, 'CMDB_UNAUTHORIZED');
    assert.match(r.error?.answer ?? '', /Invalid token/);
    assert.ok(!JSON.stringify(refused.body).includes(wrongToken));
  });
});
