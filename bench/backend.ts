// Benchmark `backend`: an authorized trivial GET (the `platform` group's feature list) through the full
// middleware — token check and authorization answered from their caches, request id, metrics, schema
// serialization — served by the real backend process in Kubernetes auth mode against the sandbox; the load
// comes from this second process over loopback, with autocannon. Figures: requests/s, p50 and p99 latency, the
// backend's RSS idle (started with every feature, one request answered, then left alone; issue #13's target) and
// its peak RSS under that load.
// The backend runs with the image's node flags (charts/image/Dockerfile); BENCH_BACKEND_NODE_FLAGS adds more after
// them, to measure an alternative before shipping it.
//   BENCH_BACKEND_SECONDS (default 15), BENCH_BACKEND_CONNECTIONS (default 10), BENCH_BACKEND_NODE_FLAGS
import autocannon from 'autocannon';
import { sandboxUser } from '../tests/sandbox/src/env.js';
import { loadNote, report, rssMb, shippedNodeFlags, startCompiledBackend, useSandbox } from './lib.js';

const seconds = Number(process.env.BENCH_BACKEND_SECONDS ?? 15);
// autocannon's default concurrency; more connections on one event loop only add queueing to the latency.
const connections = Number(process.env.BENCH_BACKEND_CONNECTIONS ?? 10);
const path = '/kapis/platform.ks-gpu-ml.io/v1alpha1/features';
const IDLE_SETTLE_MS = 5_000;

const { env, release } = useSandbox();
const nodeFlags = (process.env.BENCH_BACKEND_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const backend = await startCompiledBackend(env.KUBECONFIG, {
  env: { LOG_LEVEL: process.env.BENCH_BACKEND_LOG_LEVEL ?? 'warn' },
  nodeFlags,
});
const url = backend.url;

try {
  const headers = { authorization: `Bearer ${sandboxUser('admin').token}` };
  const first = await fetch(url + path, { headers });
  if (first.status !== 200) throw new Error(`${path} answered ${first.status}: ${await first.text()}`);
  // Idle: what a replica holds when nobody asks, once start-up garbage has had time to be collected.
  await new Promise((resolve) => setTimeout(resolve, IDLE_SETTLE_MS));
  const idleRss = rssMb(backend.pid);

  const run = (duration: number) => autocannon({ url: url + path, headers, connections, duration });
  await run(3); // warm-up: JIT, caches, connection pool

  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(backend.pid))), 250);
  const result = await run(seconds);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMb(backend.pid));

  report(
    'backend',
    [
      { name: 'rps', value: result.requests.average, unit: 'req/s', target: '≥ 3000 req/s' },
      { name: 'p50_ms', value: result.latency.p50, unit: 'ms' },
      { name: 'p99_ms', value: result.latency.p99, unit: 'ms', target: '≤ 20 ms' },
      { name: 'rss_mb', value: idleRss, unit: 'MB', target: '≤ 160 MB' },
      { name: 'rss_peak_mb', value: peakRss, unit: 'MB' },
      { name: 'errors', value: result.errors + result.non2xx, unit: 'responses' },
    ],
    [
      `rss_mb: idle, ${IDLE_SETTLE_MS / 1000} s after the first answer; rss_peak_mb: the peak under the load`,
      `GET ${path} as admin, ${connections} connections, ${seconds} s after a 3 s warm-up, autocannon in a second process`,
      `compiled backend (node ${[...shippedNodeFlags(), ...nodeFlags].join(' ')} backend/dist/server.js), LOG_LEVEL=${process.env.BENCH_BACKEND_LOG_LEVEL ?? 'warn'}; identity and authorization served from their caches`,
      loadNote(),
    ],
  );
} finally {
  await backend.stop();
  release();
}
