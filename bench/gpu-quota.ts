// Benchmark `gpu-quota`: the cluster view (GET /kapis/gpu-quota.ks-gpu-ml.io/v1alpha1/clusterquotaview) with
// 5,000 namespaces holding GPU quotas, served by the compiled backend in Kubernetes auth mode against the
// sandbox. The namespaces (label bench=gpu-quota) are created with bounded concurrency, or reused when they
// exist; each gets our ResourceQuota by server-side apply, as the API writes it. Figures: p50 and p99 of
// sequential requests after warm-up, and the backend's RSS (also printed after start-up and after the first
// request, to tell the caches from the work of a request). The namespaces are deleted at the end and the run waits
// until the apiserver has removed them (the sandbox is shared: nothing is left terminating).
//   BENCH_GQ_NAMESPACES (default 5000), BENCH_GQ_REQUESTS (default 200), BENCH_GQ_CONCURRENCY (default 32),
//   BENCH_GQ_KEEP=1 keeps the namespaces for the next run, BENCH_GQ_DELETE_TIMEOUT_S (default 3600: the
//   sandbox's namespace controller removed about 2 a second on a loaded machine),
//   BENCH_BACKEND_NODE_FLAGS adds node flags after the shipped ones (e.g. --trace-gc, to see the heap),
//   BENCH_GQ_HEAP_SNAPSHOT=1 signals SIGUSR2 after measuring (with --heapsnapshot-signal=SIGUSR2 among those flags).
import { performance } from 'node:perf_hooks';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { QuotaRow } from '../backend/src/features/gpu-quota/model.js';
import {
  GPU_QUOTA_FIELD_MANAGER,
  GPU_QUOTA_OBJECT_NAME,
  resourceQuotaApply,
} from '../backend/src/features/gpu-quota/resourcequota.js';
import { sandboxUser } from '../tests/sandbox/src/env.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import {
  loadNote,
  percentile,
  pool,
  report,
  retrying,
  rssMb,
  startCompiledBackend,
  useSandbox,
} from './lib.js';

const count = Number(process.env.BENCH_GQ_NAMESPACES ?? 5000);
const requests = Number(process.env.BENCH_GQ_REQUESTS ?? 200);
const concurrency = Number(process.env.BENCH_GQ_CONCURRENCY ?? 32);
const keep = process.env.BENCH_GQ_KEEP === '1';
const deleteTimeoutMs = Number(process.env.BENCH_GQ_DELETE_TIMEOUT_S ?? 3600) * 1000;
const nodeFlags = (process.env.BENCH_BACKEND_NODE_FLAGS ?? '').split(' ').filter(Boolean);
const LABEL = 'bench=gpu-quota';
const path = '/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1/clusterquotaview';
const A100 = 'NVIDIA-A100-SXM4-80GB';
const H100 = 'NVIDIA-H100-80GB-HBM3';

const nameOf = (i: number) => `bench-gq-${String(i).padStart(5, '0')}`;

/** A varied but deterministic quota per namespace: any-model rows, per-model rows, MIG. */
function rowsOf(i: number): QuotaRow[] {
  switch (i % 3) {
    case 0:
      return [{ resource: 'nvidia.com/gpu', base: i % 2, max: 1 + (i % 4) }];
    case 1:
      return [
        { resource: 'nvidia.com/gpu', model: A100, base: 1, max: 2 },
        { resource: 'nvidia.com/gpu', model: H100, base: 0, max: 1 },
      ];
    default:
      return [
        { resource: 'nvidia.com/gpu', base: 0, max: 2 },
        { resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 1 },
      ];
  }
}

const { env, release } = useSandbox();
const kc = new KubeConfig();
kc.loadFromFile(env.KUBECONFIG);
const core = kc.makeApiClient(CoreV1Api);
const objects = KubernetesObjectApi.makeApiClient(kc);

async function ensureNamespaces(): Promise<number> {
  const started = performance.now();
  const existing = new Set(
    (await core.listNamespace({ labelSelector: LABEL })).items.map((n) => n.metadata!.name!),
  );
  const quotas = new Set(
    (
      await core.listResourceQuotaForAllNamespaces({ labelSelector: 'app.kubernetes.io/component=gpu-quota' })
    ).items
      .filter((q) => q.metadata?.namespace?.startsWith('bench-gq-'))
      .map((q) => q.metadata!.namespace!),
  );
  const todo = Array.from({ length: count }, (_, i) => i).filter((i) => !quotas.has(nameOf(i)));
  let done = 0;
  await pool(todo, concurrency, async (i) => {
    const name = nameOf(i);
    if (!existing.has(name)) {
      await retrying(() =>
        core
          .createNamespace({ body: { metadata: { name, labels: { bench: 'gpu-quota' } } } })
          .catch((err: { code?: number }) => {
            if (err.code !== 409) throw err;
          }),
      );
    }
    await retrying(() =>
      objects.patch(
        resourceQuotaApply(name, rowsOf(i)) as KubernetesObject,
        undefined,
        undefined,
        GPU_QUOTA_FIELD_MANAGER,
        true,
        PatchStrategy.ServerSideApply,
      ),
    );
    if (++done % 500 === 0) console.log(`# gpu-quota: ${done}/${todo.length} namespaces prepared`);
  });
  console.log(
    `# gpu-quota: ${count} namespaces with quotas (${todo.length} prepared now) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return todo.length;
}

async function removeNamespaces(): Promise<void> {
  const names = (await core.listNamespace({ labelSelector: LABEL })).items.map((n) => n.metadata!.name!);
  const started = performance.now();
  // The quotas first: while a namespace terminates (the namespace controller takes about 2 a second) its quota
  // still counts in the cluster's Σbase, and other tests on the shared sandbox would meet that over-commitment.
  await pool(names, concurrency, async (namespace) => {
    await retrying(() =>
      core
        .deleteNamespacedResourceQuota({ namespace, name: GPU_QUOTA_OBJECT_NAME })
        .catch((err: { code?: number }) => {
          if (err.code !== 404) throw err;
        }),
    );
  });
  await pool(names, concurrency, async (name) => {
    await retrying(() =>
      core.deleteNamespace({ name }).catch((err: { code?: number }) => {
        if (err.code !== 404) throw err;
      }),
    );
  });
  console.log(
    `# gpu-quota: deletion of ${names.length} bench namespaces requested; waiting until they are gone`,
  );
  let lastReport = 0;
  await waitFor(
    'bench namespaces deleted',
    async () => {
      const left = (await core.listNamespace({ labelSelector: LABEL })).items.length;
      if (left > 0 && performance.now() - lastReport > 30_000) {
        lastReport = performance.now();
        console.log(`# gpu-quota: ${left} bench namespaces still terminating`);
      }
      return left === 0;
    },
    { timeoutMs: deleteTimeoutMs, intervalMs: 2_000 },
  );
  console.log(
    `# gpu-quota: ${names.length} bench namespaces deleted in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

const load = loadNote();
let backend: Awaited<ReturnType<typeof startCompiledBackend>> | undefined;
try {
  await ensureNamespaces();
  backend = await startCompiledBackend(env.KUBECONFIG, { env: { FEATURES: 'gpu-quota' }, nodeFlags });
  await measure(backend);
} finally {
  await backend?.stop();
  if (!keep) await removeNamespaces();
  release();
}

async function measure(backend: { url: string; pid: number }): Promise<void> {
  const url = backend.url;
  const startedRss = rssMb(backend.pid);
  const headers = { authorization: `Bearer ${sandboxUser('admin').token}` };
  const get = async () => {
    const t0 = performance.now();
    const res = await fetch(url + path, { headers });
    const body = (await res.json()) as { projects?: unknown[] };
    const ms = performance.now() - t0;
    if (!res.ok)
      throw new Error(`cluster view answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return { ms, projects: body.projects?.length ?? 0 };
  };
  // Warm-up: the first request fills the watch caches; then until every bench quota is in them.
  const first = await get();
  const firstRss = rssMb(backend.pid);
  console.log(`# gpu-quota: first request (fills the watch caches) ${first.ms.toFixed(0)} ms`);
  await waitFor('all bench quotas in the cluster view', async () => (await get()).projects >= count, {
    timeoutMs: 60_000,
  });
  for (let i = 0; i < 20; i++) await get();
  const times: number[] = [];
  let projects = 0;
  for (let i = 0; i < requests; i++) {
    const r = await get();
    times.push(r.ms);
    projects = r.projects;
  }
  const rss = rssMb(backend.pid);
  if (process.env.BENCH_GQ_HEAP_SNAPSHOT === '1') {
    // With BENCH_BACKEND_NODE_FLAGS='--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=…': what the heap holds now.
    process.kill(backend.pid, 'SIGUSR2');
    await new Promise((resolve) => setTimeout(resolve, 30_000));
  }
  report(
    'gpu-quota',
    [
      { name: 'cluster_view_p50_ms', value: percentile(times, 50), unit: 'ms', target: '<= 300' },
      { name: 'cluster_view_p99_ms', value: percentile(times, 99), unit: 'ms', target: '<= 800' },
      { name: 'rss_mb', value: rss, unit: 'MB', target: '≤ 250 MB' },
    ],
    [
      `${projects} projects in the view, ${requests} sequential requests after warm-up, compiled backend`,
      `RSS ${startedRss.toFixed(1)} MB started, ${firstRss.toFixed(1)} MB after the first request (caches filled)`,
      load,
    ],
  );
}
