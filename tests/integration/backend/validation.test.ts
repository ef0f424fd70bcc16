// Every invalid body → 400 naming the field, for every route that takes a body: the invalid bodies are derived
// from each route's own schema (a required field left out, each field given the wrong type, an unknown field).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ROUTE_TABLE, type RouteSpec } from '@ks-gpu-ml/contracts';
import type { TSchema } from '@sinclair/typebox';
import { sandboxUser } from '../../sandbox/src/env.js';
import { call, startBackend, type BackendProcess } from './backend-process.js';
import { bodyFor, urlOf } from './fixtures.js';

let backend: BackendProcess;
before(async () => {
  backend = await startBackend();
});
after(async () => {
  await backend?.stop();
});

function wrongValue(schema: TSchema): unknown {
  if (schema.type === 'string' || schema.anyOf) return 12345;
  if (schema.type === 'integer' || schema.type === 'number') return 'not-a-number';
  if (schema.type === 'boolean') return 'yes';
  if (schema.type === 'array') return 'not-an-array';
  return 'not-an-object';
}

function invalidBodies(route: RouteSpec): { why: string; body: unknown; field: string }[] {
  const schema = route.schemas.body as TSchema;
  const valid = bodyFor(route) as Record<string, unknown>;
  const cases: { why: string; body: unknown; field: string }[] = [
    { why: 'an array instead of an object', body: [], field: 'body' },
  ];
  for (const key of (schema.required as string[] | undefined) ?? []) {
    const { [key]: _omitted, ...rest } = valid;
    cases.push({ why: `required ${key} missing`, body: rest, field: `body.${key}` });
  }
  for (const [key, propSchema] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
    cases.push({
      why: `${key} of the wrong type`,
      body: { ...valid, [key]: wrongValue(propSchema) },
      field: `body.${key}`,
    });
  }
  if (schema.additionalProperties === false) {
    cases.push({ why: 'an unknown field', body: { ...valid, unknownField: 1 }, field: 'body.unknownField' });
  }
  return cases;
}

const withBody = ROUTE_TABLE.filter((r) => r.schemas.body);

describe('invalid bodies → 400 naming the field', () => {
  it('has routes with bodies', () => assert.ok(withBody.length > 0));

  for (const route of withBody) {
    const scopeName = route.scope === 'workspace' ? 'ws-alpha' : 'alpha-train';
    it(`${route.id}: the valid body is accepted`, async () => {
      const res = await call(backend, route.method, urlOf(route, scopeName), {
        token: sandboxUser('admin').token,
        body: bodyFor(route),
      });
      // A named route acts on `example` (urlOf), which may not exist, and a route whose operator the sandbox does
      // not run answers the operator's 404: both come after validation.
      const operatorMissing = (res.body as { details?: { operator?: string } } | undefined)?.details
        ?.operator;
      assert.ok(
        res.status < 300 || (res.status === 404 && (route.named || operatorMissing !== undefined)),
        `${res.status} ${JSON.stringify(res.body)}`,
      );
    });
    for (const { why, body, field } of invalidBodies(route)) {
      it(`${route.id}: ${why} → 400 naming ${field}`, async () => {
        const res = await call(backend, route.method, urlOf(route, scopeName), {
          token: sandboxUser('admin').token,
          body,
          headers: { 'accept-language': 'zh-CN' },
        });
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.equal(res.body.reason, 'Invalid');
        assert.equal((res.body.details as { field: string }).field, field);
        assert.match(String(res.body.message), new RegExp(`字段“${field.replace('.', '\\.')}”无效`));
      });
    }
  }
});
