// Benchmark `backend`: an authorized trivial GET (the `platform` group's feature list) through the full
// middleware — token check and authorization answered from their caches, request id, metrics, schema
// serialization — served by the real backend process in Kubernetes auth mode against the sandbox; the load
// comes from this second process over loopback, with autocannon. Figures: requests/s, p50 and p99 latency, and
// the backend's peak RSS under that load.
//   BENCH_BACKEND_SECONDS (default 15), BENCH_BACKEND_CONNECTIONS (default 32)
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { repoRoot, sandboxUser } from '../tests/sandbox/src/env.js';
import { freePort } from '../tests/sandbox/src/ports.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import { report, rssMb, useSandbox } from './lib.js';

const seconds = Number(process.env.BENCH_BACKEND_SECONDS ?? 15);
const connections = Number(process.env.BENCH_BACKEND_CONNECTIONS ?? 32);
const path = '/kapis/platform.ks-gpu-ml.io/v1alpha1/features';

const { env, release } = useSandbox();
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const store = join(mkdtempSync(join(tmpdir(), 'bench-backend-')), 'backend.sqlite');
const backend = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'backend/src/server.ts')], {
  cwd: repoRoot,
  env: {
    PATH: process.env.PATH,
    HOST: '127.0.0.1',
    PORT: String(port),
    AUTH_MODE: 'kubernetes',
    KUBECONFIG: env.KUBECONFIG,
    STORE_URL: `sqlite:${store}`,
    // Request logs at info would measure the log pipe; production runs at info, so this is noted below.
    LOG_LEVEL: process.env.BENCH_BACKEND_LOG_LEVEL ?? 'warn',
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});

try {
  await waitFor('backend /readyz', async () => (await fetch(`${url}/readyz`)).ok, { timeoutMs: 30_000 });
  const headers = { authorization: `Bearer ${sandboxUser('admin').token}` };
  const first = await fetch(url + path, { headers });
  if (first.status !== 200) throw new Error(`${path} answered ${first.status}: ${await first.text()}`);

  const run = (duration: number) => autocannon({ url: url + path, headers, connections, duration });
  await run(3); // warm-up: JIT, caches, connection pool

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(backend.pid!))), 250);
  const result = await run(seconds);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMb(backend.pid!));

  report(
    'backend',
    [
      { name: 'rps', value: result.requests.average, unit: 'req/s', target: '≥ 3000 req/s' },
      { name: 'p50_ms', value: result.latency.p50, unit: 'ms' },
      { name: 'p99_ms', value: result.latency.p99, unit: 'ms', target: '≤ 20 ms' },
      { name: 'rss_mb', value: peakRss, unit: 'MB', target: '≤ 120 MB' },
      { name: 'errors', value: result.errors + result.non2xx, unit: 'responses' },
    ],
    [
      `GET ${path} as admin, ${connections} connections, ${seconds} s after a 3 s warm-up, autocannon in a second process`,
      `backend LOG_LEVEL=${process.env.BENCH_BACKEND_LOG_LEVEL ?? 'warn'}; identity and authorization served from their caches`,
    ],
  );
} finally {
  backend.kill('SIGTERM');
  await new Promise((resolve) => backend.once('exit', resolve));
  release();
}
