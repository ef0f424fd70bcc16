import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ROUTE_TABLE } from './route-table.js';
import { defineRoute, requestInfoVerb, type HttpMethod, type Verb } from './routes.js';

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
