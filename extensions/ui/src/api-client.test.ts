import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gpuMonitoringRoutes, gpuQuotaRoutes, platformRoutes } from '@ks-gpu-ml/contracts';
import { getRoute, routeUrl, scopedUrl, sendRoute } from './api-client.js';
import type { ApiError } from './api-error.js';
import { ContractServer, ok, refusal } from './testing/contract-server.js';

const server = new ContractServer();
before(() => server.listen());
beforeEach(() => server.reset());
after(() => server.close());

const capabilities = { scope: 'namespace' as const, scopeName: 'team a', items: [] };

describe('routeUrl', () => {
  it('builds the URL from the spec: parameters escaped, a member cluster prefixed, the query in order', () => {
    assert.equal(
      routeUrl(gpuMonitoringRoutes.getNode, { params: { name: 'gpu/node 1' }, cluster: 'member a' }),
      '/clusters/member%20a/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1/gpunodes/gpu%2Fnode%201',
    );
    assert.equal(
      routeUrl(gpuMonitoringRoutes.listGpus, { params: {}, query: { node: 'n&1', offset: 2 } }),
      '/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1/gpus?node=n%261&offset=2',
    );
  });

  it('takes the parameters and query the spec calls for, at compile time', () => {
    // @ts-expect-error a project's quota needs its namespace
    assert.throws(() => routeUrl(gpuQuotaRoutes.getProjectQuota, { params: { workspace: 'ws' } }));
    // @ts-expect-error the cluster view has no query parameters
    routeUrl(gpuQuotaRoutes.getClusterView, { params: {}, query: { page: 1 } });
  });
});

describe('scopedUrl', () => {
  const series = {
    cluster: gpuMonitoringRoutes.getClusterSeries,
    workspace: gpuMonitoringRoutes.getWorkspaceSeries,
    namespace: gpuMonitoringRoutes.getProjectSeries,
  };
  const query = { metric: 'utilization', level: 'gpu', start: 1, end: 2 } as const;

  it('picks the route of the page scope and fills in its scope name', () => {
    assert.equal(
      scopedUrl(series, { scope: 'workspace', workspace: 'ws-alpha' }, query),
      '/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1/workspaces/ws-alpha/gpumetrics?metric=utilization&level=gpu&start=1&end=2',
    );
    assert.match(
      scopedUrl(series, { scope: 'cluster', cluster: 'm1' }, query),
      /^\/clusters\/m1\/kapis\/gpu-monitoring\.ks-gpu-ml\.io\/v1alpha1\/gpumetrics\?/,
    );
  });

  it('refuses a route filed under another scope', () => {
    const wrong = { namespace: gpuMonitoringRoutes.getClusterSeries };
    assert.throws(
      () => scopedUrl(wrong, { scope: 'namespace', namespace: 'p' }),
      /no route for the namespace scope/,
    );
  });
});

describe('getRoute / sendRoute', () => {
  it('types the reply from the spec and answers it', async () => {
    server.on(platformRoutes.listNamespaceCapabilities, ({ params }) =>
      ok({ ...capabilities, scopeName: params.namespace ?? '' }),
    );
    const reply = await getRoute(platformRoutes.listNamespaceCapabilities, {
      params: { namespace: 'team a' },
    });
    const scopeName: string = reply.scopeName;
    assert.equal(scopeName, 'team a');
    // @ts-expect-error a capability list has no `rows`
    assert.equal(reply.rows, undefined);
    server.verify();
  });

  it("sends the body with the route's method, typed by the spec's body schema", async () => {
    server.on(platformRoutes.createAccessReview, ({ body }) =>
      ok({ allowed: (body as { verb: string }).verb === 'get' }),
    );
    const call = { params: { namespace: 'p' }, body: { verb: 'get', group: 'g', resource: 'r' } } as const;
    assert.deepEqual(await sendRoute(platformRoutes.createAccessReview, call), { allowed: true });
    assert.equal(server.callsTo(platformRoutes.createAccessReview).length, 1);
    // Compiled, never sent:
    const withoutVerb = { ...call, body: { group: 'g', resource: 'r' } };
    // @ts-expect-error an access review asks about a verb
    const sendWithoutVerb = () => sendRoute(platformRoutes.createAccessReview, withoutVerb);
    assert.equal(typeof sendWithoutVerb, 'function');
    server.verify();
  });

  it("rejects with the contract's error shape: status, reason, message and details", async () => {
    const details = { field: 'spec.resources[0].max' };
    server.on(gpuQuotaRoutes.getProjectQuota, () => refusal(403, 'Forbidden', 'no access to p', details));
    const error = await getRoute(gpuQuotaRoutes.getProjectQuota, { params: { namespace: 'p' } }).then(
      () => assert.fail('a refusal resolved'),
      (e: ApiError) => e,
    );
    assert.deepEqual(error, { status: 403, reason: 'Forbidden', message: 'no access to p', details });
    server.verify();
  });
});
