import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUTE_TABLE, platformRoutes, requestInfoVerb } from '@ks-gpu-ml/contracts';
import {
  accessFor,
  createCachedAuthorizer,
  forbidden,
  kubeResourceAttributes,
  kubeSphereResourceAttributes,
  type AccessRequest,
  type Authorizer,
} from './authz.js';
import { kubeAuthorizer } from './authorizers.js';

const user = { name: 'alice', groups: ['system:authenticated'] };
const G = 'platform.ks-gpu-ml.io';

describe('route table', () => {
  it('declares for every route the verb ks-apiserver derives from its method', () => {
    for (const route of ROUTE_TABLE)
      assert.equal(route.verb, requestInfoVerb(route.method, route.named), route.id);
  });
  it('has unique ids and unique method+path pairs', () => {
    assert.equal(new Set(ROUTE_TABLE.map((r) => r.id)).size, ROUTE_TABLE.length);
  });
});

describe('Kubernetes SubjectAccessReview attributes', () => {
  it('maps a namespaced route to namespace + group/resource', () => {
    const access = accessFor(platformRoutes.listNamespaceCapabilities, { namespace: 'alpha-train' }, user);
    assert.deepEqual(kubeResourceAttributes(access), {
      verb: 'list',
      group: G,
      version: 'v1alpha1',
      resource: 'capabilities',
      namespace: 'alpha-train',
    });
  });
  it('maps a cluster route without a namespace', () => {
    const access = accessFor(platformRoutes.listFeatures, {}, user);
    assert.deepEqual(kubeResourceAttributes(access), {
      verb: 'list',
      group: G,
      version: 'v1alpha1',
      resource: 'features',
    });
  });
  it('maps a workspace route to the workspaces/<resource> subresource named after the workspace', () => {
    const access = accessFor(platformRoutes.listWorkspaceCapabilities, { workspace: 'ws-alpha' }, user);
    assert.deepEqual(kubeResourceAttributes(access), {
      verb: 'list',
      group: G,
      version: 'v1alpha1',
      resource: 'workspaces',
      subresource: 'capabilities',
      name: 'ws-alpha',
    });
  });
  it('keeps name and subresource of a named namespaced request', () => {
    const request: AccessRequest = {
      user,
      verb: 'get',
      group: 'gpu-quota.ks-gpu-ml.io',
      resource: 'quotas',
      subresource: 'usage',
      name: 'q1',
      scope: 'namespace',
      scopeName: 'ns1',
    };
    assert.deepEqual(kubeResourceAttributes(request), {
      verb: 'get',
      group: 'gpu-quota.ks-gpu-ml.io',
      version: 'v1alpha1',
      resource: 'quotas',
      subresource: 'usage',
      name: 'q1',
      namespace: 'ns1',
    });
  });
  it('asks kube-apiserver with user, groups and the attributes', async () => {
    const asked: unknown[] = [];
    const authorizer = kubeAuthorizer({
      async subjectAccessReview(spec) {
        asked.push(spec);
        return { allowed: true };
      },
    });
    const decision = await authorizer.authorize(accessFor(platformRoutes.listFeatures, {}, user));
    assert.equal(decision.allowed, true);
    assert.deepEqual(asked[0], {
      user: 'alice',
      groups: ['system:authenticated'],
      resourceAttributes: { verb: 'list', group: G, version: 'v1alpha1', resource: 'features' },
    });
  });
});

describe('KubeSphere SubjectAccessReview attributes', () => {
  it('asks workspace routes with the workspace set', () => {
    const access = accessFor(platformRoutes.listWorkspaceCapabilities, { workspace: 'ws-beta' }, user);
    assert.deepEqual(kubeSphereResourceAttributes(access), {
      resourceScope: 'Workspace',
      workspace: 'ws-beta',
      verb: 'list',
      group: G,
      version: 'v1alpha1',
      resource: 'capabilities',
    });
  });
  it('asks namespace routes with the namespace set', () => {
    const access = accessFor(platformRoutes.createAccessReview, { namespace: 'ns1' }, user);
    assert.equal(kubeSphereResourceAttributes(access).namespace, 'ns1');
    assert.equal(kubeSphereResourceAttributes(access).resourceScope, 'Namespace');
  });
});

describe('decisions', () => {
  it('are cached per user, groups and attributes', async () => {
    let calls = 0;
    const inner: Authorizer = {
      async authorize(r) {
        calls++;
        return { allowed: r.scopeName === 'mine' };
      },
    };
    const cached = createCachedAuthorizer(inner, { ttlMs: 60_000, maxEntries: 100, maxBytes: 1_000_000 });
    const base = accessFor(platformRoutes.listNamespaceCapabilities, { namespace: 'mine' }, user);
    await Promise.all([cached.authorize(base), cached.authorize({ ...base, token: 'other-token' })]);
    assert.equal(calls, 1, 'the token is not part of the decision key');
    assert.equal((await cached.authorize({ ...base, scopeName: 'theirs' })).allowed, false);
    await cached.authorize({ ...base, user: { name: 'bob', groups: [] } });
    assert.equal(calls, 3);
  });

  it('a denial names verb, group/resource and scope', () => {
    const access = accessFor(platformRoutes.listWorkspaceCapabilities, { workspace: 'ws-beta' }, user);
    const err = forbidden(access, { allowed: false, reason: 'no RBAC policy matched' });
    assert.equal(err.statusCode, 403);
    assert.equal(err.key, 'BACKEND_FORBIDDEN_WORKSPACE');
    assert.deepEqual(err.details, {
      verb: 'list',
      group: G,
      resource: 'capabilities',
      scope: 'workspace',
      workspace: 'ws-beta',
      reason: 'no RBAC policy matched',
    });
  });
});
