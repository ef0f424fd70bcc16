// Benchmark `bundles`: each extension bundle's size (raw and gzip; target ≤ 80 KB gzip) and the time from
// navigation to the first data-filled render of its landing page in headless Chromium, in the real console
// (production build) against the sandbox: full page load of the landing URL in a logged-in browser, until the
// platform API's data is on screen. BENCH_BUNDLES_RUNS (default 3) loads per page; the figure is the median.
import { buildExtension } from '../tools/ext-build/src/cli.js';
import { EXTENSIONS, startStack } from '../tests/e2e/stack.js';
import { login, openSession } from '../tests/e2e/harness.js';
import { percentile, report, useSandbox, type Figure } from './lib.js';

const runs = Number(process.env.BENCH_BUNDLES_RUNS ?? 3);
const landing: Record<string, string> = {
  'gpu-quota': '/clusters/host/gpu-quota',
  'gpu-monitoring': '/clusters/host/gpu-monitoring',
  'cmdb-alerting': '/workspaces/ws-alpha/cmdb-alerting',
  'ml-apps': '/workspaces/ws-alpha/ml-apps',
};

const figures: Figure[] = [];
for (const feature of EXTENSIONS) {
  const built = await buildExtension(feature);
  figures.push(
    { name: `${feature}.raw_kb`, value: built.rawBytes / 1024, unit: 'KB' },
    { name: `${feature}.gzip_kb`, value: built.gzipBytes / 1024, unit: 'KB', target: '≤ 80 KB' },
  );
}

const { release } = useSandbox();
const stack = await startStack();
const notes = [`${runs} full page loads per landing page, logged in as admin; median reported`];
try {
  const session = await openSession();
  try {
    await login(session, stack.consoleUrl, 'admin');
    for (const feature of EXTENSIONS) {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await session.page.goto(`${stack.consoleUrl}${landing[feature]}`, { waitUntil: 'commit' });
        await session.page
          .locator(
            `[data-testid="platform-overview"][data-feature="${feature}"] [data-testid="feature-status"]`,
          )
          .waitFor({ timeout: 60_000 });
        times.push(performance.now() - started);
      }
      figures.push({
        name: `${feature}.first_render_ms`,
        value: Math.round(percentile(times, 50)),
        unit: 'ms',
      });
      notes.push(`${feature} first_render_ms runs: ${times.map((t) => Math.round(t)).join(', ')}`);
    }
  } finally {
    await session.close();
  }
} finally {
  await stack.close();
  release();
}
// Order: per feature, gzip / raw / first render.
figures.sort((a, b) => a.name.localeCompare(b.name));
report('bundles', figures, notes);
