import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { Validator } from '@seriousme/openapi-schema-validator';
import { BUILD_VERSION } from '../app.js';
import { buildOpenApi } from '../core/openapi.js';

describe('backend/openapi/*.json', () => {
  for (const group of [...new Set(ROUTE_TABLE.map((r) => r.group))]) {
    it(`${group}: the committed document is current (npm run openapi -w backend) and valid`, async () => {
      const committed = JSON.parse(
        readFileSync(new URL(`../../openapi/${group}.json`, import.meta.url), 'utf8'),
      ) as object;
      const generated = buildOpenApi(group, ROUTE_TABLE, BUILD_VERSION);
      assert.deepEqual(committed, JSON.parse(JSON.stringify(generated)));
      const result = await new Validator().validate(generated);
      assert.ok(result.valid, JSON.stringify(result.errors));
    });
  }
});
