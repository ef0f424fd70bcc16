// The OpenAPI documents the running backend serves are valid OpenAPI 3 and describe exactly its routes.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { ROUTE_TABLE, openApiPath } from '@ks-gpu-ml/contracts';
import { startBackend, type BackendProcess } from './backend-process.js';

let backend: BackendProcess;
before(async () => {
  backend = await startBackend();
});
after(async () => {
  await backend?.stop();
});

describe('OpenAPI documents', () => {
  it('are listed per served API group, and each validates as OpenAPI 3', async () => {
    const index = (await (await fetch(`${backend.url}/openapi`)).json()) as {
      groups: { group: string; url: string }[];
    };
    assert.ok(index.groups.some((g) => g.group === 'platform.ks-gpu-ml.io'));
    for (const { group, url } of index.groups) {
      const document = (await (await fetch(backend.url + url)).json()) as {
        openapi: string;
        paths: Record<string, object>;
      };
      assert.match(document.openapi, /^3\./);
      const result = await new Validator().validate(document);
      assert.ok(result.valid, `${group}: ${JSON.stringify(result.errors)}`);
      const expected = [...new Set(ROUTE_TABLE.filter((r) => r.group === group).map(openApiPath))].sort();
      assert.deepEqual(Object.keys(document.paths).sort(), expected);
    }
  });
});
