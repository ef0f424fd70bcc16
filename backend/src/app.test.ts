import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROUTE_TABLE, kapisPath, platformRoutes, type RouteSpec } from '@ks-gpu-ml/contracts';
import { buildApp, type BuiltApp } from './app.js';
import type { KubeClient } from './clients/kube.js';
import { createStore } from './clients/store/index.js';
import { loadConfig } from './core/config.js';
import { createLogger } from './core/logger.js';

/**
 * The whole app with a fake kube-apiserver: tokens `t-<user>`; alice may do anything in alpha-train only,
 * ws-admin anything in workspace ws-alpha, admin anything, everyone may list features.
 */
const lines: string[] = [];
let kubeUp = true;
const fakeKube = {
  async tokenReview(token: string) {
    const name = token.startsWith('t-') ? token.slice(2) : undefined;
    return name
      ? { authenticated: true, user: { username: name, groups: ['system:authenticated'] } }
      : { authenticated: false };
  },
  async subjectAccessReview(spec: { user: string; resourceAttributes: Record<string, string> }) {
    const a = spec.resourceAttributes;
    const allowed =
      spec.user === 'admin' ||
      a.resource === 'features' ||
      a.resource === 'selfaccessreviews' ||
      (spec.user === 'alice' && a.namespace === 'alpha-train') ||
      (spec.user === 'ws-admin' && a.resource === 'workspaces' && a.name === 'ws-alpha');
    return { allowed };
  },
  async ping() {
    if (!kubeUp) throw new Error('down');
  },
} as unknown as KubeClient;

let built: BuiltApp;
const as = (user: string) => ({ authorization: `Bearer t-${user}` });

function urlFor(route: RouteSpec, scopeName: string): string {
  return kapisPath({ group: route.group, scope: route.scope, scopeName, resource: route.resource });
}

before(async () => {
  const config = loadConfig({ AUTH_MODE: 'kubernetes', STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'info' }, []);
  const sink = new Writable({
    write: (chunk: Buffer, _enc, done) => void (lines.push(chunk.toString()), done()),
  });
  built = await buildApp(config, {
    logger: createLogger('info', sink),
    clients: { kube: fakeKube, store: createStore('sqlite::memory:') },
  });
});
after(() => built.app.close());

describe('app', () => {
  it('answers 401 without a token on every route', async () => {
    // This app is built with the core group only; each feature's own tests cover its routes.
    for (const route of Object.values(platformRoutes)) {
      const res = await built.app.inject({
        method: route.method,
        url: urlFor(route, 'alpha-train'),
        payload: {},
      });
      assert.equal(res.statusCode, 401, route.id);
      assert.equal(res.json().reason, 'Unauthorized');
    }
  });

  it('checks identity, then permission, then the body', async () => {
    const url = kapisPath({
      group: 'platform.ks-gpu-ml.io',
      scope: 'namespace',
      scopeName: 'beta-research',
      resource: 'accessreviews',
    });
    const invalid = { verb: 'fly', group: 'g', resource: 'r' };
    const forged = await built.app.inject({
      method: 'POST',
      url,
      payload: invalid,
      headers: { ...as('alice'), 'x-remote-user': 'admin' },
    });
    assert.equal(forged.statusCode, 401);
    const denied = await built.app.inject({ method: 'POST', url, payload: invalid, headers: as('alice') });
    assert.equal(denied.statusCode, 403);
    assert.deepEqual(denied.json().details, {
      verb: 'create',
      group: 'platform.ks-gpu-ml.io',
      resource: 'accessreviews',
      scope: 'namespace',
      namespace: 'beta-research',
    });
    const bad = await built.app.inject({
      method: 'POST',
      url: url.replace('beta-research', 'alpha-train'),
      payload: invalid,
      headers: as('alice'),
    });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().details.field, 'body.verb');
  });

  it('answers any signed-in user whether it may act in a workspace or project, about itself only', async () => {
    const url = kapisPath({
      group: 'platform.ks-gpu-ml.io',
      scope: 'cluster',
      resource: 'selfaccessreviews',
    });
    const ask = (payload: object) => built.app.inject({ method: 'POST', url, payload, headers: as('alice') });
    const hours = { verb: 'list', group: 'gpu-monitoring.ks-gpu-ml.io', resource: 'gpuhours' };
    const inWorkspace = await ask({ scope: 'workspace', scopeName: 'ws-alpha', ...hours });
    assert.equal(inWorkspace.statusCode, 200);
    assert.equal(inWorkspace.json().allowed, false);
    const inProject = await ask({ scope: 'namespace', scopeName: 'alpha-train', ...hours });
    assert.equal(inProject.json().allowed, true);
    const unnamed = await ask({ scope: 'workspace', ...hours });
    assert.equal(unnamed.statusCode, 400);
    assert.equal(unnamed.json().details.field, 'body.scopeName');
  });

  it('does not coerce body types (a number is not a string), but does coerce path and query text', async () => {
    const url = kapisPath({
      group: 'platform.ks-gpu-ml.io',
      scope: 'namespace',
      scopeName: 'alpha-train',
      resource: 'accessreviews',
    });
    const res = await built.app.inject({
      method: 'POST',
      url,
      payload: { verb: 'list', group: 12345, resource: 'quotas' },
      headers: as('alice'),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details.field, 'body.group');
  });

  it('rejects invalid path parameters naming them', async () => {
    const res = await built.app.inject({
      url: '/kapis/platform.ks-gpu-ml.io/v1alpha1/namespaces/Not_A_Name/capabilities',
      headers: as('admin'),
    });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().details.field, 'params.namespace');
  });

  it('serves features and capabilities computed by the authorizer', async () => {
    const features = await built.app.inject({
      url: urlFor(platformRoutes.listFeatures, ''),
      headers: as('bob'),
    });
    assert.equal(features.statusCode, 200);
    assert.deepEqual(features.json().items, []);
    assert.equal(features.json().platform.group, 'platform.ks-gpu-ml.io');

    const caps = await built.app.inject({
      url: urlFor(platformRoutes.listWorkspaceCapabilities, 'ws-alpha'),
      headers: as('ws-admin'),
    });
    assert.equal(caps.statusCode, 200);
    assert.deepEqual(caps.json(), {
      scope: 'workspace',
      scopeName: 'ws-alpha',
      items: [{ group: 'platform.ks-gpu-ml.io', resource: 'capabilities', verbs: ['list'] }],
    });
    const review = await built.app.inject({
      method: 'POST',
      url: kapisPath({
        group: 'platform.ks-gpu-ml.io',
        scope: 'namespace',
        scopeName: 'alpha-train',
        resource: 'accessreviews',
      }),
      payload: { verb: 'delete', group: 'gpu-quota.ks-gpu-ml.io', resource: 'quotas', name: 'q1' },
      headers: { ...as('alice'), 'x-remote-user': 'alice', 'x-remote-group': 'system:authenticated' },
    });
    assert.deepEqual(review.json(), { allowed: true });
  });

  it('serves a valid OpenAPI 3 document per group', async () => {
    const index = await built.app.inject({ url: '/openapi' });
    assert.deepEqual(index.json().groups, [
      { group: 'platform.ks-gpu-ml.io', url: '/openapi/platform.ks-gpu-ml.io.json' },
    ]);
    const doc = await built.app.inject({ url: '/openapi/platform.ks-gpu-ml.io.json' });
    const result = await new Validator().validate(doc.json());
    assert.ok(result.valid, JSON.stringify(result.errors));
    const platformPaths = new Set(
      ROUTE_TABLE.filter((r) => r.group === 'platform.ks-gpu-ml.io').map((r) => urlFor(r, '{x}')),
    );
    assert.equal(Object.keys(doc.json().paths).length, platformPaths.size);
    assert.equal((await built.app.inject({ url: '/openapi/nope.json' })).statusCode, 404);
  });

  it('reports readiness from kube, the store and the watch caches', async () => {
    assert.equal((await built.app.inject({ url: '/healthz' })).statusCode, 200);
    assert.equal((await built.app.inject({ url: '/readyz' })).statusCode, 200);
    kubeUp = false;
    const down = await built.app.inject({ url: '/readyz' });
    kubeUp = true;
    assert.equal(down.statusCode, 503);
    assert.deepEqual(down.json().checks, { kube: 'failed', store: 'ok', watchCaches: 'ok' });
  });

  it('exports request, upstream and build metrics', async () => {
    const text = (await built.app.inject({ url: '/metrics' })).body;
    assert.match(
      text,
      /ksgpuml_http_request_duration_seconds_bucket\{[^}]*route="\/kapis\/platform.ks-gpu-ml.io\/v1alpha1\/features"[^}]*status_code="200"/,
    );
    assert.match(text, /ksgpuml_build_info\{version="[^"]+",node_version="v\d+/);
    assert.match(text, /ksgpuml_request_rejections_total\{reason="Forbidden"\} [1-9]/);
    assert.match(text, /# TYPE ksgpuml_upstream_request_duration_seconds histogram/);
    assert.match(text, /# TYPE ksgpuml_queue_depth gauge/);
  });

  it('logs request ids and users, never tokens', async () => {
    const res = await built.app.inject({
      url: urlFor(platformRoutes.listFeatures, ''),
      headers: { ...as('carol'), 'x-request-id': 'req-42' },
    });
    assert.equal(res.headers['x-request-id'], 'req-42');
    const log = lines.join('');
    assert.doesNotMatch(log, /t-carol|t-alice/);
    const done = lines
      .map((l) => JSON.parse(l))
      .find((l) => l.reqId === 'req-42' && l.msg === 'request completed');
    assert.equal(done?.user, 'carol');
  });
});

/**
 * ADR 0026: the platform routes are served under each served feature's own group too, answering for that feature
 * alone, so a package installed by itself (its APIService claims only its group) still answers its pages. A
 * feature with no backend module yet (ml-apps) keeps this about the platform routes alone.
 */
let withFeature: BuiltApp;
before(async () => {
  const config = {
    ...loadConfig({ AUTH_MODE: 'kubernetes', STORE_URL: 'sqlite::memory:', LOG_LEVEL: 'error' }, []),
    features: ['ml-apps' as const],
  };
  withFeature = await buildApp(config, {
    logger: createLogger('error', new Writable({ write: (_c, _e, done) => done() })),
    clients: { kube: fakeKube, store: createStore('sqlite::memory:') },
  });
});
after(() => withFeature.app.close());

describe("the platform routes under a served feature's own group", () => {
  it('features answers the one feature, under its group', async () => {
    const res = await withFeature.app.inject({
      url: '/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/features',
      headers: as('bob'),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().items, [
      { name: 'ml-apps', group: 'ml-apps.ks-gpu-ml.io', version: 'v1alpha1' },
    ]);
    assert.equal(res.json().platform.group, 'ml-apps.ks-gpu-ml.io');
  });

  it("a feature that is not served has no platform routes under its group (ks-apiserver's 404)", async () => {
    const res = await withFeature.app.inject({
      url: '/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1/features',
      headers: as('bob'),
    });
    assert.equal(res.statusCode, 404);
  });

  it("capabilities list only the feature's own group", async () => {
    const res = await withFeature.app.inject({
      url: '/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/workspaces/ws-alpha/capabilities',
      headers: as('ws-admin'),
    });
    assert.equal(res.statusCode, 200, res.body);
    const groups = new Set((res.json().items as { group: string }[]).map((i) => i.group));
    assert.deepEqual([...groups], ['ml-apps.ks-gpu-ml.io']);
  });

  it('the self access review is answered under the feature group', async () => {
    const res = await withFeature.app.inject({
      method: 'POST',
      url: '/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/selfaccessreviews',
      headers: as('ws-admin'),
      payload: {
        scope: 'workspace',
        scopeName: 'ws-alpha',
        verb: 'list',
        group: 'ml-apps.ks-gpu-ml.io',
        resource: 'capabilities',
      },
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { allowed: true });
  });

  it('the shared platform group still answers for every served feature', async () => {
    const res = await withFeature.app.inject({
      url: '/kapis/platform.ks-gpu-ml.io/v1alpha1/features',
      headers: as('bob'),
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(
      (res.json().items as { name: string }[]).map((f) => f.name),
      ['ml-apps'],
    );
  });
});
