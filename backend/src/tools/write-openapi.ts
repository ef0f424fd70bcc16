import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { BUILD_VERSION } from '../app.js';
import { buildOpenApi } from '../core/openapi.js';

/**
 * `npm run openapi -w backend`: writes `backend/openapi/<group>.json` for every API group in the route table
 * (served or not), the same documents the running backend serves at `/openapi/<group>.json`. The charts ship them.
 */
const outDir = fileURLToPath(new URL('../../openapi/', import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const group of [...new Set(ROUTE_TABLE.map((r) => r.group))].sort()) {
  const file = `${outDir}${group}.json`;
  // Formatted as `prettier --check` expects, so regenerating an unchanged document leaves no diff.
  const json = JSON.stringify(buildOpenApi(group, ROUTE_TABLE, BUILD_VERSION));
  writeFileSync(file, await format(json, { ...(await resolveConfig(file)), parser: 'json' }));
  console.log(`wrote ${file}`);
}
