// Benchmark `hardening` (issue #12, bounded memory): a project viewer sends BENCH_HARDENING_QUERIES (default 1,000)
// distinct range queries — GET …/namespaces/<ns>/gpumetrics at the `gpu` level over 6 hours, each with a new
// maxPoints and an end one step earlier, so no two share a cache key — to the compiled backend against the running
// sandbox (its real Prometheus), BENCH_HARDENING_CONCURRENCY (default 4) at a time.
//
// The data. A fresh sandbox has minutes of GPU series, and its projects' pods come and go with the tests, so the
// answers would weigh nothing. The benchmark makes a project of its own (`bench-hardening-<random>`, in workspace
// ws-alpha, the sandbox viewer bound to `view` there) and backfills, with `promtool tsdb create-blocks-from
// openmetrics`, BENCH_HARDENING_GPUS (default 16) GPUs held by its pods, every 15 s from 9 h to 3 h ago: the
// exporter's DCGM_FI_DEV_GPU_UTIL (job nvidia-dcgm-exporter) and kube-state-metrics' GPU requests, which is what the
// gpu level joins. Each answer is then 16 series of up to 1,440 points. The namespace is deleted afterwards; its
// past series stay in the sandbox's Prometheus (they name only that namespace).
//
// The answer cache's TTL is raised to 10 minutes for the run (PROMETHEUS_CACHE_TTL_MS), so no answer expires during
// it: what bounds the memory is the cache's byte bound alone, not the sweep of expired entries. The backend runs as
// it would in a pod with a memory limit: node's heap capped (BENCH_HARDENING_HEAP_MB, default 256) — without a cap,
// V8 on a 24 GB machine lets garbage pile up to gigabytes before collecting, which says nothing about the cache.
// Its resident set is sampled every 50 queries.
// Figures: cache_rss_mb, the backend's RSS after the queries (and its peak), against the stated ceiling
// BENCH_HARDENING_CEILING_MB (default 512: twice the heap cap, the limit such a pod would get); answered, how many
// queries were answered before the backend died, if it did (the code before this change runs out of heap);
// answer_kb, the mean size of one API answer.
//   BENCH_HARDENING_CACHE_MAX_MB: PROMETHEUS_CACHE_MAX_BYTES for the run, in MB (default: the product's default)
//   BENCH_HARDENING_HEAP_MB=0: no heap cap
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { kapisPath, gpuMonitoringRoutes as routes } from '@ks-gpu-ml/contracts';
import { sandboxDir, sandboxUser } from '../tests/sandbox/src/env.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import { ConfigSchema } from '../backend/src/core/config.js';
import { report, rssMb, startCompiledBackend, useSandbox } from './lib.js';

const QUERIES = Number(process.env.BENCH_HARDENING_QUERIES ?? 1_000);
const CONCURRENCY = Number(process.env.BENCH_HARDENING_CONCURRENCY ?? 4);
const defaultCacheBytes = Number(ConfigSchema.properties.PROMETHEUS_CACHE_MAX_BYTES.default);
const cacheBytes = process.env.BENCH_HARDENING_CACHE_MAX_MB
  ? Number(process.env.BENCH_HARDENING_CACHE_MAX_MB) * 1024 * 1024
  : defaultCacheBytes;
const GPUS = Number(process.env.BENCH_HARDENING_GPUS ?? 16);
const HEAP_MB = Number(process.env.BENCH_HARDENING_HEAP_MB ?? 256);
const CEILING_MB = Number(process.env.BENCH_HARDENING_CEILING_MB ?? 512);
const NAMESPACE = `bench-hardening-${randomBytes(3).toString('hex')}`;
const SIX_HOURS = 6 * 3600;
const SCRAPE_SECONDS = 15;

/** OpenMetrics for GPUS GPUs of NAMESPACE, one pod each, from `fromSeconds` to `toSeconds`. */
function openMetrics(fromSeconds: number, toSeconds: number): string {
  const gpu = (i: number) =>
    `job="nvidia-dcgm-exporter",namespace="${NAMESPACE}",pod="bench-pod-${i}",container="main",` +
    `gpu="${i % 8}",UUID="GPU-bench-${NAMESPACE}-${i}",Hostname="bench-node-${Math.floor(i / 8)}",` +
    `modelName="NVIDIA A100-SXM4-80GB"`;
  const request = (i: number) =>
    `job="kube-state-metrics",namespace="${NAMESPACE}",pod="bench-pod-${i}",container="main",` +
    `node="bench-node-${Math.floor(i / 8)}",resource="nvidia_com_gpu",unit="integer"`;
  // OpenMetrics wants each family's samples together, in time order.
  const util: string[] = [];
  const requests: string[] = [];
  for (let t = fromSeconds; t <= toSeconds; t += SCRAPE_SECONDS) {
    for (let i = 0; i < GPUS; i++) {
      util.push(`DCGM_FI_DEV_GPU_UTIL{${gpu(i)}} ${(t * 7 + i * 13) % 101} ${t}`);
      requests.push(`kube_pod_container_resource_requests{${request(i)}} 1 ${t}`);
    }
  }
  const lines = [
    '# TYPE DCGM_FI_DEV_GPU_UTIL gauge',
    ...util,
    '# TYPE kube_pod_container_resource_requests gauge',
    ...requests,
    '# EOF',
    '',
  ];
  return lines.join('\n');
}

/** Backfills the GPU series into the sandbox's Prometheus and waits until a query sees them. */
async function backfill(prometheusUrl: string, fromSeconds: number, toSeconds: number): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'bench-hardening-'));
  try {
    const file = join(work, 'series.om');
    writeFileSync(file, openMetrics(fromSeconds, toSeconds));
    const blocks = join(work, 'blocks');
    const args = ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', file, blocks];
    const made = spawnSync('promtool', args, { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`promtool create-blocks-from openmetrics failed: ${made.stderr}`);
    const data = join(sandboxDir(), 'data/prometheus');
    for (const block of readdirSync(blocks).filter((d) => statSync(join(blocks, d)).isDirectory()))
      renameSync(join(blocks, block), join(data, block));
    // Prometheus 2.42 reloads its block list once a minute.
    const probe = `count(DCGM_FI_DEV_GPU_UTIL{namespace="${NAMESPACE}"})`;
    await waitFor(
      'backfilled blocks loaded by Prometheus',
      async () => {
        const url = `${prometheusUrl}/api/v1/query?query=${encodeURIComponent(probe)}&time=${toSeconds - 60}`;
        const body = (await (await fetch(url)).json()) as { data: { result: unknown[] } };
        return body.data.result.length > 0;
      },
      { timeoutMs: 180_000, intervalMs: 2_000 },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The benchmark's project in ws-alpha, viewable by the sandbox viewer; returns how to delete it. */
async function createProject(kubeconfig: string): Promise<() => Promise<void>> {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
  await core.createNamespace({
    body: { metadata: { name: NAMESPACE, labels: { 'kubesphere.io/workspace': 'ws-alpha' } } },
  });
  await rbac.createNamespacedRoleBinding({
    namespace: NAMESPACE,
    body: {
      metadata: { name: 'viewer-view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'viewer' }],
    },
  });
  return async () => void (await core.deleteNamespace({ name: NAMESPACE }));
}

const { env, release } = useSandbox();
const startedSeconds = Math.floor(Date.now() / 1000);
const deleteProject = await createProject(env.KUBECONFIG);
await backfill(env.PROMETHEUS_URL, startedSeconds - 9 * 3600, startedSeconds - 3 * 3600);
const backend = await startCompiledBackend(env.KUBECONFIG, {
  nodeFlags: HEAP_MB > 0 ? [`--max-old-space-size=${HEAP_MB}`] : [],
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
      // ≥ 1,440 points over 6 h: the finest step (15 s), the largest answers.
      maxPoints: String(2000 - (i % 560)),
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
  let answered = 0;
  let failure: string | undefined;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < QUERIES && failure === undefined) {
        const i = next++;
        try {
          const answerBytes = await ask(i); // not `bytes += await …`: that adds to a stale total
          bytes += answerBytes;
          answered++;
        } catch (error) {
          // The backend out of heap (the code before issue 12) ends the run: that is the figure.
          failure ??= `query ${i} failed after ${answered} answers: ${String(error).slice(0, 200)}`;
        }
        if (i % 50 === 0) peakMb = Math.max(peakMb, rssMb(backend.pid));
      }
    }),
  );
  const afterMb = rssMb(backend.pid);
  peakMb = Math.max(peakMb, Number.isNaN(afterMb) ? peakMb : afterMb);
  const ceilingMb = CEILING_MB;
  report(
    'hardening',
    [
      { name: 'cache_rss_mb', value: afterMb, unit: 'MB', target: `≤ ${ceilingMb.toFixed(0)} MB` },
      { name: 'cache_rss_peak_mb', value: peakMb, unit: 'MB', target: `≤ ${ceilingMb.toFixed(0)} MB` },
      { name: 'rest_rss_mb', value: restMb, unit: 'MB' },
      { name: 'answered', value: answered, unit: 'queries', target: `${QUERIES}` },
      { name: 'answer_kb', value: bytes / Math.max(answered, 1) / 1024, unit: 'kB' },
      { name: 'answers_mb', value: bytes / 1024 / 1024, unit: 'MB' },
    ],
    [
      `${QUERIES} distinct range queries (6 h, level gpu, new maxPoints and end each) by the project viewer, ` +
        `${CONCURRENCY} at a time, over ${GPUS} backfilled GPUs; PROMETHEUS_CACHE_MAX_BYTES ${(cacheBytes / 1024 / 1024).toFixed(0)} MB, ` +
        `TTL 10 min (nothing expires during the run); node --max-old-space-size=${HEAP_MB}, ceiling ${CEILING_MB} MB ` +
        `(a pod whose memory limit is twice its heap cap)`,
      ...(failure ? [`the backend failed: ${failure}`] : []),
    ],
  );
} finally {
  await backend.stop();
  await deleteProject();
  release();
}
