import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { FEATURE_NAMES } from '@ks-gpu-ml/contracts';
import { englishText, loadCatalogues } from './i18n.js';

// locales/{en,zh}/backend.json are the one source of the backend's messages: code names a message by its key,
// never by a copy of its text, and every key it names is translated.
const catalogues = loadCatalogues();
const srcDir = fileURLToPath(new URL('../', import.meta.url));

/** The shipped sources (not tests or test helpers): where a key or a copied message would reach a user. */
function shippedSources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedSources(path);
    const isTest = /\.test\.ts$|(^|\/)test-[^/]*\.ts$|-suite\.ts$/.test(path);
    return entry.name.endsWith('.ts') && !isTest ? [{ file: path, text: readFileSync(path, 'utf8') }] : [];
  });
}

// Message keys start with BACKEND_ or a feature's name (GPU_QUOTA_…); setting names such as GPU_QUOTA_ENFORCER
// are never written as string literals, so every quoted literal of that shape is a key.
const prefixes = ['BACKEND', ...FEATURE_NAMES.map((f) => f.toUpperCase().replaceAll('-', '_'))];
const keyLiteral = new RegExp(`['"\`]((?:${prefixes.join('|')})_[A-Z0-9_]+)['"\`]`, 'g');
const sources = shippedSources(srcDir);

describe('backend messages', () => {
  it('every key the code names exists in en and zh', () => {
    const used = new Set(sources.flatMap((s) => [...s.text.matchAll(keyLiteral)].map((m) => m[1]!)));
    assert.ok(used.size > 50, `found only ${used.size} keys: is the pattern still right?`);
    const missing = [...used].filter((key) => !(key in catalogues.en) || !(key in catalogues.zh));
    assert.deepEqual(missing, []);
  });

  it('zh has every key of en and no other', () => {
    assert.deepEqual(Object.keys(catalogues.zh).sort(), Object.keys(catalogues.en).sort());
  });

  it('no source holds a copy of a message text', () => {
    const copies = Object.entries(catalogues.en)
      // Short templates ("{resource}") could match unrelated code; every real message is longer.
      .filter(([, text]) => text.length > 40)
      .flatMap(([key, text]) =>
        sources.filter((s) => s.text.includes(text)).map((s) => `${key} in ${s.file.slice(srcDir.length)}`),
      );
    assert.deepEqual(copies, []);
  });

  it('englishText fills a message from the en catalogue', () => {
    assert.equal(
      englishText('GPU_QUOTA_BASE_ABOVE_MAX', { base: 3, resource: 'nvidia.com/gpu', max: 2 }),
      'base 3 of nvidia.com/gpu is above max 2; lower the base or raise the max (base is the guaranteed part of max)',
    );
    // A placeholder without a value stays visible rather than turning into "undefined".
    assert.match(englishText('GPU_QUOTA_BASE_ABOVE_MAX', {}), /^base \{base\} of \{resource\}/);
  });
});
