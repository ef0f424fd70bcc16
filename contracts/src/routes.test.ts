import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gpuMonitoringRoutes } from './gpu-monitoring.js';
import { gpuQuotaRoutes } from './gpu-quota.js';
import { ROUTE_TABLE } from './route-table.js';
import { defineRoute, requestInfoVerb, routerPath, urlFor, type HttpMethod, type Verb } from './routes.js';

const shape = {
  id: 'test.route',
  group: 'test.ks-gpu-ml.io',
  scope: 'namespace',
  resource: 'things',
  grant: 'view',
  summary: 'a route for the test',
  schemas: { response: {} },
} as const;

describe('requestInfoVerb', () => {
  // RequestInfo (ks-apiserver pkg/apiserver/request/requestinfo.go), as docs/adr/0018 quotes it.
  const cases: [HttpMethod, boolean, Verb][] = [
    ['GET', true, 'get'],
    ['GET', false, 'list'],
    ['POST', false, 'create'],
    ['PUT', true, 'update'],
    ['PATCH', true, 'patch'],
    ['DELETE', true, 'delete'],
    ['DELETE', false, 'deletecollection'],
  ];
  for (const [method, named, verb] of cases) {
    it(`${method} ${named ? 'named' : 'unnamed'} → ${verb}`, () => {
      assert.equal(requestInfoVerb(method, named), verb);
    });
  }
});

describe('defineRoute', () => {
  it('derives the verb from method and named instead of taking it by hand', () => {
    assert.equal(defineRoute({ ...shape, method: 'GET', named: true }).verb, 'get');
    assert.equal(defineRoute({ ...shape, method: 'GET', named: false }).verb, 'list');
    assert.equal(defineRoute({ ...shape, method: 'PUT', named: false }).verb, 'update');
    assert.equal(defineRoute({ ...shape, method: 'DELETE', named: false }).verb, 'deletecollection');
  });

  it('types the derived verb and refuses a hand-written one at compile time', () => {
    const derived: 'deletecollection' = defineRoute({ ...shape, method: 'DELETE', named: false }).verb;
    assert.equal(derived, 'deletecollection');
    // @ts-expect-error a route's verb follows from method and named (docs/adr/0018)
    assert.equal(defineRoute({ ...shape, method: 'GET', named: true, verb: 'list' }).verb, 'get');
  });

  it('refuses a subresource on an unnamed path', () => {
    assert.throws(
      () => defineRoute({ ...shape, method: 'GET', named: false, subresource: 'status' }),
      /test\.route: a subresource needs a named path/,
    );
  });

  it('gives every route of the table a verb', () => {
    for (const route of ROUTE_TABLE)
      assert.equal(route.verb, requestInfoVerb(route.method, route.named), route.id);
  });
});

describe('urlFor', () => {
  it('builds the path from the spec, each parameter escaped as one segment', () => {
    assert.equal(
      urlFor(gpuQuotaRoutes.getWorkspaceQuota, { workspace: 'ws-alpha' }),
      '/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1/workspaces/ws-alpha/gpuquotas',
    );
    assert.equal(
      urlFor(gpuMonitoringRoutes.getWorkloadUsage, { namespace: 'team a', name: '../pod/x?y#z' }),
      '/kapis/gpu-monitoring.ks-gpu-ml.io/v1alpha1/namespaces/team%20a/gpuworkloads/..%2Fpod%2Fx%3Fy%23z',
    );
  });

  it('adds the defined query parameters in the order given, escaped', () => {
    const url = urlFor(
      gpuMonitoringRoutes.getProjectSeries,
      { namespace: 'p' },
      { metric: 'utilization', level: 'gpu', start: 1, end: 2, pod: 'a&b=c', node: undefined },
    );
    assert.equal(url.split('?')[1], 'metric=utilization&level=gpu&start=1&end=2&pod=a%26b%3Dc');
    assert.equal(urlFor(gpuQuotaRoutes.getClusterView, {}), routerPath(gpuQuotaRoutes.getClusterView));
  });

  it("refuses a missing or empty parameter instead of building another route's path", () => {
    assert.throws(
      () => urlFor(gpuQuotaRoutes.getProjectQuota, { namespace: '' }),
      /gpu-quota.getProjectQuota: parameter "namespace" is missing/,
    );
    // @ts-expect-error a namespaced route takes its namespace
    assert.throws(() => urlFor(gpuQuotaRoutes.getProjectQuota, {}), /"namespace" is missing/);
    // @ts-expect-error the query is the spec's querystring: gpuhours has no "format=xml"
    urlFor(gpuMonitoringRoutes.getClusterGpuHours, {}, { format: 'xml' });
  });
});
