import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Fastify from 'fastify';
import { Type } from '@sinclair/typebox';
import { defineRoute } from '@ks-gpu-ml/contracts';
import { mountRoute, RawReply } from './mount.js';

const spec = defineRoute({
  id: 'test.getReport',
  group: 'test.ks-gpu-ml.io',
  method: 'GET',
  scope: 'cluster',
  resource: 'reports',
  named: false,
  grant: 'admin',
  summary: 'a report as JSON or CSV',
  schemas: {
    querystring: Type.Object({ format: Type.Optional(Type.String()) }),
    response: { 200: Type.Object({ n: Type.Number() }) },
    alternateContent: { 'text/csv': Type.String() },
  },
});

describe('mountRoute', () => {
  it('serializes objects with the response schema and sends a RawReply as is, with its type and headers', async () => {
    const app = Fastify();
    mountRoute(app, spec, async ({ query }) =>
      query.format === 'csv'
        ? new RawReply('n\r\n1\r\n', 'text/csv; charset=utf-8', {
            'content-disposition': 'attachment; filename="r.csv"',
          })
        : { n: 1, dropped: true },
    );
    const json = await app.inject({ method: 'GET', url: '/kapis/test.ks-gpu-ml.io/v1alpha1/reports' });
    assert.deepEqual(json.json(), { n: 1 }, 'the schema serializer drops unknown fields');
    const csv = await app.inject({
      method: 'GET',
      url: '/kapis/test.ks-gpu-ml.io/v1alpha1/reports?format=csv',
    });
    assert.equal(csv.statusCode, 200);
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(csv.headers['content-disposition'], 'attachment; filename="r.csv"');
    assert.equal(csv.body, 'n\r\n1\r\n');
    await app.close();
  });
});
