// The console's dictionaries for our extensions (locales/{en,zh}/*.json, merged into each bundle):
// every key in both languages, prefixed with its file's feature name, the same {var} placeholders in both,
// and every key that extension code uses present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from './config.js';

const LANGS = ['en', 'zh'] as const;
const localesDir = join(repoRoot, 'locales');

/** The dictionaries the console bundles use: the shared UI's and one per extension (not the backend's). */
function extensionLocaleFiles(): string[] {
  const features = readdirSync(join(repoRoot, 'extensions'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'ui')
    .map((d) => d.name);
  return ['ui', ...features].map((f) => `${f}.json`);
}

function load(lang: string, file: string): Record<string, unknown> {
  const path = join(localesDir, lang, file);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`${relative(repoRoot, path)}: ${(error as Error).message}`);
  }
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every locale file exists in both languages with the same keys', () => {
  for (const file of extensionLocaleFiles()) {
    const [en, zh] = LANGS.map((lang) => load(lang, file));
    const onlyEn = Object.keys(en!).filter((k) => !(k in zh!));
    const onlyZh = Object.keys(zh!).filter((k) => !(k in en!));
    assert.deepEqual(onlyEn, [], `${file}: keys only in en`);
    assert.deepEqual(onlyZh, [], `${file}: keys only in zh`);
  }
});

test('keys are prefixed with their feature, values are non-empty strings with matching {var} placeholders', () => {
  for (const file of extensionLocaleFiles()) {
    const prefix = `${file.replace(/\.json$/, '')}.`;
    const [en, zh] = LANGS.map((lang) => load(lang, file));
    for (const [key, value] of Object.entries(en!)) {
      assert.ok(key.startsWith(prefix), `${file}: key "${key}" must start with "${prefix}"`);
      const other = zh![key];
      for (const [lang, v] of [
        ['en', value],
        ['zh', other],
      ] as const) {
        assert.ok(
          typeof v === 'string' && v.trim() !== '',
          `${lang}/${file}: "${key}" must be a non-empty string`,
        );
        assert.ok(
          !/\{\{/.test(v as string),
          `${lang}/${file}: "${key}" uses {{var}}; the console interpolates {var}`,
        );
      }
      assert.deepEqual(
        placeholders(other as string),
        placeholders(value as string),
        `${file}: "${key}" placeholders differ`,
      );
    }
  }
});

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(path);
  }
  return out;
}

/**
 * Keys used by extension code: the argument of every `t('…')` call, plus every string literal that looks like
 * one of our keys (`'<feature>.<name>'`, e.g. menu titles and key tables).
 */
export function usedKeys(code: string, prefixes: string[]): string[] {
  const keys = new Set<string>();
  for (const m of code.matchAll(/\bt\(\s*(['"`])([^'"`$]+)\1/g)) keys.add(m[2]!);
  const prefixed = new RegExp(
    `(['"\`])((?:${prefixes.map((p) => p.replace(/[.-]/g, '\\$&')).join('|')})\\.[\\w.-]+)\\1`,
    'g',
  );
  for (const m of code.matchAll(prefixed)) keys.add(m[2]!);
  return [...keys];
}

test('usedKeys finds t() calls and key-like literals', () => {
  const code = `t('ui.a'); t("gpu-quota.b", { x }); const k = { e: 'ui.c' }; t(\`ui.\${x}\`); import './x.js'; 'gpu-quota.json';`;
  assert.deepEqual(usedKeys(code, ['ui', 'gpu-quota']).sort(), [
    'gpu-quota.b',
    'gpu-quota.json',
    'ui.a',
    'ui.c',
  ]);
});

test('every key used in extension code exists in a dictionary', () => {
  const files = extensionLocaleFiles();
  const known = new Set(files.flatMap((f) => LANGS.flatMap((lang) => Object.keys(load(lang, f)))));
  const prefixes = files.map((f) => f.replace(/\.json$/, ''));
  const missing: string[] = [];
  for (const file of sourceFiles(join(repoRoot, 'extensions'))) {
    const code = readFileSync(file, 'utf8');
    for (const key of usedKeys(code, prefixes)) {
      // Module paths such as '../../../locales/en/gpu-quota.json' are not keys.
      if (/\.json$/.test(key)) continue;
      if (!known.has(key)) missing.push(`${relative(repoRoot, file)}: ${key}`);
    }
  }
  assert.deepEqual(missing, [], 'keys used in code but in no dictionary');
});
