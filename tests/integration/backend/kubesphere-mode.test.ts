// AUTH_MODE=kubesphere against the sandbox's ks-apiserver stand-in: tokens are KubeSphere JWTs from its OAuth
// password grant, checked through /oauth/userinfo; permissions through KubeSphere's SubjectAccessReview.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROUTE_TABLE, platformRoutes } from '@ks-gpu-ml/contracts';
import { readSandboxEnv, readSandboxUsers } from '../../sandbox/src/env.js';
import { ksLogin } from '../../sandbox/src/ks-login.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from './backend-process.js';
import { urlOf } from './fixtures.js';

let backend: BackendProcess;
const jwt: Record<string, string> = {};
const ksUrl = () => {
  const url = readSandboxEnv().KS_APISERVER_URL;
  if (!url)
    throw new Error('KS_APISERVER_URL missing from .sandbox/env: the sandbox runs no ks-apiserver stand-in');
  return url;
};

before(async () => {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  for (const name of ['alice', 'ws-admin']) jwt[name] = await ksLogin(ksUrl(), name);
  backend = await startBackend({
    AUTH_MODE: 'kubesphere',
    KS_APISERVER_URL: ksUrl(),
    AUTHZ_CACHE_TTL_MS: '0',
  });
});
after(async () => {
  await backend?.stop();
});

describe('KubeSphere mode through the ks-apiserver stand-in', () => {
  it('accepts a KubeSphere JWT with matching X-Remote-User and authorizes the project', async () => {
    const url = urlOf(platformRoutes.listNamespaceCapabilities, 'alpha-train');
    const ok = await call(backend, 'GET', url, {
      token: jwt.alice,
      headers: { 'x-remote-user': 'alice', 'x-remote-group': 'system:authenticated' },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    const denied = await call(
      backend,
      'GET',
      urlOf(platformRoutes.listNamespaceCapabilities, 'beta-research'),
      {
        token: jwt.alice,
      },
    );
    assert.equal(denied.status, 403, JSON.stringify(denied.body));
  });

  it('authorizes workspace routes for the workspace admin only in their workspace', async () => {
    const route = platformRoutes.listWorkspaceCapabilities;
    assert.equal(
      (await call(backend, 'GET', urlOf(route, 'ws-alpha'), { token: jwt['ws-admin'] })).status,
      200,
    );
    assert.equal(
      (await call(backend, 'GET', urlOf(route, 'ws-beta'), { token: jwt['ws-admin'] })).status,
      403,
    );
  });

  it('rejects a Kubernetes static token (not a KubeSphere token) and a forged X-Remote-User with 401', async () => {
    const url = urlOf(platformRoutes.listNamespaceCapabilities, 'alpha-train');
    assert.equal((await call(backend, 'GET', url, { token: 'not.a.jwt' })).status, 401);
    const forged = await call(backend, 'GET', url, {
      token: jwt.alice,
      headers: { 'x-remote-user': 'admin' },
    });
    assert.equal(forged.status, 401);
  });
});
