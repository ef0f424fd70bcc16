// The component-test helpers (this folder, each extension's src/testing/) and the DOM packages stay out of the
// extension bundles: the bundle holds what src/index.ts reaches, so no shipped source may import them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const extensions = fileURLToPath(new URL('../../..', import.meta.url));
const TEST_ONLY =
  /from\s+'(@ks-gpu-ml\/ui\/testing\/[^']*|[^']*\/testing\/[^']*|jsdom|@testing-library\/[^']*)'/;

function shippedSources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'testing' && name !== 'node_modules' && name !== 'dist') shippedSources(path, out);
    } else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

test('no shipped extension source imports a test helper or a DOM test package', () => {
  const sources = readdirSync(extensions)
    .filter((name) => statSync(join(extensions, name)).isDirectory())
    .flatMap((name) => shippedSources(join(extensions, name, 'src')));
  assert.ok(sources.length > 20, `found the extensions' sources (${sources.length})`);
  const offenders = sources.flatMap((path) => {
    const hit = TEST_ONLY.exec(readFileSync(path, 'utf8'));
    return hit ? [`${relative(extensions, path)} imports ${hit[1]}`] : [];
  });
  assert.deepEqual(offenders, []);
});
