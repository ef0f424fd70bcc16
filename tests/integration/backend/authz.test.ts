// The permission matrix, generated from the route table: a project member gets 403 on every namespaced endpoint
// of another workspace's project, a workspace admin on every workspace endpoint of another workspace; missing
// or forged identity gets 401 everywhere.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, waitFor } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from './backend-process.js';
import { bodyFor, urlOf } from './fixtures.js';

let backend: BackendProcess;
const namespaced = ROUTE_TABLE.filter((r) => r.scope === 'namespace');
const workspaced = ROUTE_TABLE.filter((r) => r.scope === 'workspace');
/**
 * Routes whose service asks for more than the route's own permission: a workspace's GPU quota is set by a
 * cluster-level role only, never by the workspace's own admin (docs/adr/0013).
 */
const clusterAuthority = new Set(['gpu-quota.updateWorkspaceQuota']);

before(async () => {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  // Short caches: RBAC was just applied, and a cached denial from before would hide it.
  backend = await startBackend({ IDENTITY_CACHE_TTL_MS: '1000', AUTHZ_CACHE_TTL_MS: '0' });
  // The clusterrole aggregation controller copies our rules into edit/admin asynchronously.
  const alice = sandboxUser('alice');
  await waitFor('RBAC for our groups aggregated into the built-in roles', async () => {
    const route = namespaced[0]!;
    const res = await call(backend, route.method, urlOf(route, 'alpha-train'), {
      token: alice.token,
      body: bodyFor(route),
    });
    return res.status !== 403;
  });
});
after(async () => {
  assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0');
});

describe('403 matrix from the route table', () => {
  it('has routes to test in each scope', () => {
    assert.ok(namespaced.length > 0 && workspaced.length > 0);
  });

  for (const route of namespaced) {
    it(`alice (edit in alpha-train): ${route.method} ${route.id} in beta-research → 403, in alpha-train → allowed`, async () => {
      const { token } = sandboxUser('alice');
      const denied = await call(backend, route.method, urlOf(route, 'beta-research'), {
        token,
        body: bodyFor(route),
      });
      assert.equal(denied.status, 403, JSON.stringify(denied.body));
      assert.equal(denied.body.reason, 'Forbidden');
      const details = denied.body.details as Record<string, unknown>;
      const expected = {
        verb: route.verb,
        group: route.group,
        resource: route.subresource ? `${route.resource}/${route.subresource}` : route.resource,
        scope: 'namespace',
        namespace: 'beta-research',
      };
      for (const [key, value] of Object.entries(expected)) assert.equal(details[key], value, key);
      assert.match(
        String(denied.body.message),
        new RegExp(`may not ${route.verb} ${route.resource}.*"beta-research"`),
      );
      if (route.grant === 'view' || route.grant === 'edit' || route.grant === 'authenticated') {
        const allowed = await call(backend, route.method, urlOf(route, 'alpha-train'), {
          token,
          body: bodyFor(route),
        });
        assert.ok(
          allowed.status < 300 || allowed.status === 404,
          `${route.id}: ${allowed.status} ${JSON.stringify(allowed.body)}`,
        );
      }
    });
  }

  for (const route of workspaced) {
    it(`ws-admin (admin of ws-alpha): ${route.method} ${route.id} in ws-beta → 403, in ws-alpha → ${clusterAuthority.has(route.id) ? '403, platform admins only' : 'allowed'}`, async () => {
      const { token } = sandboxUser('ws-admin');
      const denied = await call(backend, route.method, urlOf(route, 'ws-beta'), {
        token,
        body: bodyFor(route),
      });
      assert.equal(denied.status, 403, JSON.stringify(denied.body));
      assert.equal((denied.body.details as { workspace?: string }).workspace, 'ws-beta');
      assert.equal((denied.body.details as { scope?: string }).scope, 'workspace');
      const own = await call(backend, route.method, urlOf(route, 'ws-alpha'), {
        token,
        body: bodyFor(route),
      });
      if (clusterAuthority.has(route.id)) {
        assert.equal(own.status, 403, `${route.id}: ${JSON.stringify(own.body)}`);
        assert.match(String(own.body.message), /only a platform administrator/);
        const admin = await call(backend, route.method, urlOf(route, 'ws-alpha'), {
          token: sandboxUser('admin').token,
          body: bodyFor(route),
        });
        assert.ok(admin.status < 300, `${route.id} as admin: ${admin.status} ${JSON.stringify(admin.body)}`);
        return;
      }
      assert.ok(
        own.status < 300 || own.status === 404,
        `${route.id}: ${own.status} ${JSON.stringify(own.body)}`,
      );
    });
  }

  it('a project viewer can list the capabilities of their project', async () => {
    const route = ROUTE_TABLE.find((r) => r.id === 'platform.listNamespaceCapabilities')!;
    const res = await call(backend, 'GET', urlOf(route, 'alpha-train'), {
      token: sandboxUser('viewer').token,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const verbs = (res.body.items as { verbs: string[] }[]).flatMap((i) => i.verbs);
    assert.ok(verbs.includes('list'));
  });
});

describe('identity', () => {
  const route = ROUTE_TABLE.find((r) => r.id === 'platform.listNamespaceCapabilities')!;

  for (const r of ROUTE_TABLE) {
    it(`no token → 401 on ${r.method} ${r.id}`, async () => {
      const res = await call(
        backend,
        r.method,
        urlOf(r, r.scope === 'workspace' ? 'ws-alpha' : 'alpha-train'),
        {
          body: bodyFor(r),
          headers: { 'x-remote-user': 'admin', 'x-remote-group': 'system:authenticated' },
        },
      );
      assert.equal(res.status, 401);
      assert.equal(res.body.reason, 'Unauthorized');
    });
  }

  it("X-Remote-User naming another user than the token's → 401", async () => {
    const res = await call(backend, 'GET', urlOf(route, 'alpha-train'), {
      token: sandboxUser('alice').token,
      headers: { 'x-remote-user': 'admin' },
    });
    assert.equal(res.status, 401);
    assert.match(String(res.body.message), /X-Remote-User/);
  });

  it('X-Remote-Group naming a group the user is not in → 401', async () => {
    const res = await call(backend, 'GET', urlOf(route, 'alpha-train'), {
      token: sandboxUser('alice').token,
      headers: { 'x-remote-user': 'alice', 'x-remote-group': 'system:masters' },
    });
    assert.equal(res.status, 401);
  });

  it('a token kube-apiserver does not know → 401', async () => {
    const res = await call(backend, 'GET', urlOf(route, 'alpha-train'), { token: 'not-a-real-token' });
    assert.equal(res.status, 401);
  });

  it('headers that match the token, as ks-apiserver sends them → 200', async () => {
    const res = await call(backend, 'GET', urlOf(route, 'alpha-train'), {
      token: sandboxUser('alice').token,
      headers: { 'x-remote-user': 'alice', 'x-remote-group': 'system:authenticated' },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});
