#!/usr/bin/env node
// Runs the project's tests with node's own test runner (its summary line is what CI reads).
//   node scripts/run-tests.mjs unit          unit tests beside the code (no servers needed)
//   node scripts/run-tests.mjs integration   tests under tests/ that need the running sandbox
//   node scripts/run-tests.mjs all           both, in one report and one summary (three lanes side by side;
//                                            TEST_CONCURRENCY=n runs them as one node --test run instead)
//   node scripts/run-tests.mjs <file...>     just these files
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const skipDirs = new Set(['node_modules', 'dist', '.sandbox', '.git', 'bench']);
// Folders whose tests need the sandbox (or a browser); everything else is a unit test.
const integrationRoots = ['tests/integration', 'tests/e2e', 'tests/charts', 'tests/smoke'];

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (skipDirs.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (/\.test\.tsx?$/.test(name)) out.push(relative(root, path).split(sep).join('/'));
  }
  return out;
}

const isIntegration = (file) => integrationRoots.some((r) => file.startsWith(r + '/'));
// Integration files that spend minutes waiting for Prometheus's rule windows (accounting minutes, the
// idle window) while using next to no CPU. Each makes its own namespaces and workspace and asserts only
// on those (or on what no test changes: nodes, devices), so `all` runs them in a lane of their own
// beside the other integration files instead of making those wait (ADR 0048).
const promWaiting = new Set([
  'tests/integration/gpu-monitoring/api.test.ts',
  'tests/integration/gpu-monitoring/gpu-hours.test.ts',
  'tests/integration/gpu-monitoring/queries.test.ts',
  'tests/integration/ml-apps/gpu-hours-by-app.test.ts',
]);
const [mode = 'unit', ...rest] = process.argv.slice(2);
const all = findTests(root).sort();
const files =
  mode === 'unit'
    ? all.filter((f) => !isIntegration(f))
    : mode === 'integration'
      ? all.filter(isIntegration)
      : mode === 'all'
        ? all
        : [mode, ...rest];

if (files.length === 0) {
  console.error(`no test files for "${mode}"`);
  process.exit(1);
}
// register.mjs: component tests (extensions/*/src/*.test.tsx) load a stand-in for the console's
// bundler-only @ks-console/shared (extensions/ui/src/testing/console-shared.ts says why).
const nodeArgs = ['--import', 'tsx', '--import', './extensions/ui/src/testing/register.mjs'];

if (mode === 'all' && !process.env.TEST_CONCURRENCY) {
  // Three lanes side by side, one report (scripts/test-lanes.mjs): the integration tests one file at a
  // time (they share the sandbox), those that mostly wait on Prometheus in a lane of their own, the unit
  // tests beside them at a lower CPU priority.
  const { runLanes } = await import('./test-lanes.mjs');
  const integration = files.filter(isIntegration);
  process.exit(
    await runLanes([
      { files: integration.filter((f) => !promWaiting.has(f)), nodeArgs, cwd: root },
      { files: integration.filter((f) => promWaiting.has(f)), nodeArgs, cwd: root },
      { files: files.filter((f) => !isIntegration(f)), nodeArgs, cwd: root, priority: 10 },
    ]),
  );
}

const concurrency = process.env.TEST_CONCURRENCY ?? (mode === 'unit' ? '2' : '1');
const result = spawnSync(
  process.execPath,
  [...nodeArgs, '--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
