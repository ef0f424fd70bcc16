// The component-test helpers (this folder, each extension's src/testing/) and the DOM packages stay out of the
// extension bundles: the bundle holds what src/index.ts reaches, so no shipped source may import them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { EXTENSIONS_DIR as extensions, shippedSources } from './shipped-sources.js';

const TEST_ONLY =
  /from\s+'(@ks-gpu-ml\/ui\/testing\/[^']*|[^']*\/testing\/[^']*|jsdom|@testing-library\/[^']*)'/;

test('no shipped extension source imports a test helper or a DOM test package', () => {
  const sources = shippedSources();
  assert.ok(sources.length > 20, `found the extensions' sources (${sources.length})`);
  const offenders = sources.flatMap((path) => {
    const hit = TEST_ONLY.exec(readFileSync(path, 'utf8'));
    return hit ? [`${relative(extensions, path)} imports ${hit[1]}`] : [];
  });
  assert.deepEqual(offenders, []);
});
