// The shipped build (backend/tsconfig.json → backend/dist) must hold no test and no test helper:
// they are type-checked by backend/tsconfig.test.json instead. tsc still compiles an excluded file
// when shipped code imports it, so this asks tsc what the build's program really holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const backendDir = fileURLToPath(new URL('../..', import.meta.url));
const TEST_NAME = /(\.test\.|(^|\/)test-[^/]*$|-suite\.)/;
const TEST_IMPORT = /from\s+['"]node:(test|assert)(\/strict)?['"]/;

/** Why a file under backend/src is test-only, or undefined when it may ship. */
function testOnlyReason(path: string, source: string): string | undefined {
  if (TEST_NAME.test(path)) return 'named as a test or test helper';
  if (TEST_IMPORT.test(source)) return 'imports node:test or node:assert';
  return undefined;
}

function buildProgramFiles(): string[] {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', join(backendDir, 'tsconfig.json'), '--listFilesOnly'], {
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr || run.stdout);
  const srcDir = join(backendDir, 'src') + sep;
  return run.stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((file) => file.startsWith(srcDir))
    .map((file) => relative(srcDir, file).split(sep).join('/'));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => f.split(sep).join('/'));
}

describe('the shipped backend build', () => {
  it('recognises tests and test helpers by name or by what they import', () => {
    assert.match(testOnlyReason('app.test.ts', '') ?? '', /named/);
    assert.match(testOnlyReason('core/test-errors.ts', '') ?? '', /named/);
    assert.match(testOnlyReason('clients/store/store-suite.ts', '') ?? '', /named/);
    assert.match(
      testOnlyReason('features/x/fake-kube.ts', "import assert from 'node:assert/strict';") ?? '',
      /imports/,
    );
    assert.equal(
      testOnlyReason('features/gpu-quota/service.ts', "import { x } from './test-kube-free.js';"),
      undefined,
    );
    assert.equal(testOnlyReason('core/latest-errors.ts', ''), undefined);
  });

  it('compiles the server and no test or test helper', () => {
    const files = buildProgramFiles();
    assert.ok(
      files.includes('server.ts') && files.includes('app.ts'),
      `the build lost its entry: ${files.join(', ')}`,
    );
    const testOnly = files
      .map((file) => ({
        file,
        reason: testOnlyReason(file, readFileSync(join(backendDir, 'src', file), 'utf8')),
      }))
      .filter((entry) => entry.reason !== undefined)
      .map((entry) => `${entry.file} (${entry.reason})`);
    assert.deepEqual(
      testOnly,
      [],
      'test-only files in the build; exclude them in backend/tsconfig.json, or stop shipped code importing them',
    );
  });

  it('left no test output in backend/dist (an older build did; `npm run build -w backend` starts clean)', () => {
    const dist = join(backendDir, 'dist');
    const built = existsSync(dist) ? filesUnder(dist) : [];
    const stale = built.filter((file) => TEST_NAME.test(file.replace(/\.(d\.ts|js)(\.map)?$/, '.ts')));
    assert.deepEqual(stale, []);
  });
});
