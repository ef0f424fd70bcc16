// npm run build [-- <feature> ...]   builds every extension (no names) or the named ones, one after another,
// and prints each bundle's raw and gzip size. Exit code 1 if any build fails.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import webpack from 'webpack';
import { extensionConfig, repoRoot } from './config.js';

/** Every extensions/<feature> package named @ks-gpu-ml/ext-<feature> (ui, the package @ks-gpu-ml/ui, is a library, not an extension). */
export function listExtensions(): string[] {
  const root = join(repoRoot, 'extensions');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, d.name, 'package.json')))
    .filter((d) => {
      const pkg = JSON.parse(readFileSync(join(root, d.name, 'package.json'), 'utf8')) as { name?: string };
      return pkg.name === `@ks-gpu-ml/ext-${d.name}` && existsSync(join(root, d.name, 'src/index.ts'));
    })
    .map((d) => d.name)
    .sort();
}

function run(config: webpack.Configuration): Promise<webpack.Stats> {
  return new Promise((resolve, reject) => {
    webpack(config, (error, stats) => {
      if (error || !stats) reject(error ?? new Error('webpack gave no stats'));
      else resolve(stats);
    });
  });
}

export async function buildExtension(feature: string, mode: 'production' | 'development' = 'production') {
  const started = Date.now();
  const stats = await run(extensionConfig({ feature, mode }));
  const info = stats.toJson({ all: false, errors: true, warnings: true });
  if (stats.hasErrors()) {
    throw new Error(`${feature}: ${info.errors?.map((e) => e.message).join('\n') ?? 'build failed'}`);
  }
  for (const w of info.warnings ?? []) console.warn(`${feature}: warning: ${w.message}`);
  const file = join(repoRoot, 'extensions', feature, 'dist/index.js');
  const code = readFileSync(file);
  return {
    feature,
    file,
    rawBytes: code.length,
    gzipBytes: gzipSync(code, { level: 9 }).length,
    ms: Date.now() - started,
  };
}

async function main() {
  const args = process.argv.slice(2);
  const dev = args.includes('--dev');
  const names = args.filter((a) => !a.startsWith('--'));
  const all = listExtensions();
  const unknown = names.filter((n) => !all.includes(n));
  if (unknown.length) {
    console.error(`unknown extension(s): ${unknown.join(', ')}; known: ${all.join(', ')}`);
    process.exit(2);
  }
  let failed = 0;
  for (const feature of names.length ? names : all) {
    try {
      const r = await buildExtension(feature, dev ? 'development' : 'production');
      console.log(
        `${feature}: extensions/${feature}/dist/index.js ${(r.rawBytes / 1024).toFixed(1)} KB raw, ` +
          `${(r.gzipBytes / 1024).toFixed(1)} KB gzip (${r.ms} ms)`,
      );
    } catch (error) {
      failed++;
      console.error(error instanceof Error ? error.message : error);
    }
  }
  process.exit(failed ? 1 : 0);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
