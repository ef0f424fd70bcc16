// Benchmark `hardening` (issue #12, bounded memory): a project viewer sends BENCH_HARDENING_QUERIES (default 1,000)
// distinct range queries — GET …/namespaces/alpha-train/gpumetrics at the `gpu` level over 6 hours, each with a new
// maxPoints and an end one step earlier, so no two share a cache key — to the compiled backend against the running
// sandbox (its real Prometheus), BENCH_HARDENING_CONCURRENCY (default 4) at a time.
//
// The answer cache's TTL is raised to 10 minutes for the run (PROMETHEUS_CACHE_TTL_MS), so no answer expires during
// it: what bounds the memory is the cache's byte bound alone, not the sweep of expired entries. The backend's
// resident set is sampled every 50 queries.
// Figures: cache_rss_mb, the backend's RSS after the queries (and its peak), against the stated ceiling
// "RSS at rest + 2 × PROMETHEUS_CACHE_MAX_BYTES" (the cache's estimate is of heap bytes; V8 and the allocator
// add their own overhead, hence the factor 2); answer_kb, the mean size of one API answer.
//   BENCH_HARDENING_CACHE_MAX_MB: PROMETHEUS_CACHE_MAX_BYTES for the run, in MB (default: the product's default)
import { kapisPath, gpuMonitoringRoutes as routes } from '@ks-gpu-ml/contracts';
import { sandboxUser } from '../tests/sandbox/src/env.js';
import { ConfigSchema } from '../backend/src/platform/config.js';
import { report, rssMb, startCompiledBackend, useSandbox } from './lib.js';

const QUERIES = Number(process.env.BENCH_HARDENING_QUERIES ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_HARDENING_CONCURRENCY ?? 4);
const defaultCacheBytes = Number(ConfigSchema.properties.PROMETHEUS_CACHE_MAX_BYTES.default);
const cacheBytes = process.env.BENCH_HARDENING_CACHE_MAX_MB
  ? Number(process.env.BENCH_HARDENING_CACHE_MAX_MB) * 1024 * 1024
  : defaultCacheBytes;
const NAMESPACE = 'alpha-train';
const SIX_HOURS = 6 * 3600;

const { env, release } = useSandbox();
const backend = await startCompiledBackend(env.KUBECONFIG, {
  env: {
    PROMETHEUS_URL: env.PROMETHEUS_URL,
    FEATURES: 'gpu-monitoring',
    PROMETHEUS_CACHE_TTL_MS: String(10 * 60_000),
    PROMETHEUS_CACHE_MAX_BYTES: String(cacheBytes),
  },
});
try {
  const { token } = sandboxUser('viewer');
  const path = kapisPath({
    group: routes.getProjectSeries.group,
    scope: 'namespace',
    scopeName: NAMESPACE,
    resource: routes.getProjectSeries.resource,
  });
  const now = Math.floor(Date.now() / 1000);
  const ask = async (i: number): Promise<number> => {
    const end = now - i * 15;
    const query = new URLSearchParams({
      metric: 'utilization',
      level: 'gpu',
      start: String(end - SIX_HOURS),
      end: String(end),
      maxPoints: String(2000 - (i % 1990)),
    });
    const res = await fetch(`${backend.url}${path}?${query.toString()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`query ${i}: HTTP ${res.status} ${Buffer.from(body).toString()}`);
    return body.byteLength;
  };

  // At rest: one query answered (every module loaded, the token verified, the label scheme probed).
  await ask(QUERIES);
  const restMb = rssMb(backend.pid);
  let next = 0;
  let bytes = 0;
  let peakMb = restMb;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < QUERIES) {
        const i = next++;
        bytes += await ask(i);
        if (i % 50 === 0) peakMb = Math.max(peakMb, rssMb(backend.pid));
      }
    }),
  );
  const afterMb = rssMb(backend.pid);
  peakMb = Math.max(peakMb, afterMb);
  const ceilingMb = restMb + (2 * cacheBytes) / 1024 / 1024;
  report(
    'hardening',
    [
      { name: 'cache_rss_mb', value: afterMb, unit: 'MB', target: `≤ ${ceilingMb.toFixed(0)} MB` },
      { name: 'cache_rss_peak_mb', value: peakMb, unit: 'MB', target: `≤ ${ceilingMb.toFixed(0)} MB` },
      { name: 'rest_rss_mb', value: restMb, unit: 'MB' },
      { name: 'answer_kb', value: bytes / QUERIES / 1024, unit: 'kB' },
    ],
    [
      `${QUERIES} distinct range queries (6 h, level gpu, new maxPoints and end each) by the project viewer, ` +
        `${CONCURRENCY} at a time; PROMETHEUS_CACHE_MAX_BYTES ${(cacheBytes / 1024 / 1024).toFixed(0)} MB, ` +
        `TTL 10 min (nothing expires during the run); ceiling = RSS at rest + 2 × the cache's byte bound`,
    ],
  );
} finally {
  await backend.stop();
  release();
}
