// Benchmark `ml-apps` (notebooks slice): the notebook list (GET …/namespaces/<ns>/notebooks) of one project
// with 500 Notebooks, each with its pod as the controller's StatefulSet would make it (KWOK runs them), and the
// quota pre-check (a POST the project's ResourceQuota refuses with 409, so nothing is created: the request is the
// pre-check), served by the compiled backend in Kubernetes auth mode against the sandbox. Figures: p50 and p99
// of sequential requests after warm-up. Training jobs and the page render are not built yet.
//   BENCH_ML_NOTEBOOKS (default 500), BENCH_ML_REQUESTS (default 200), BENCH_ML_CONCURRENCY (default 16),
//   BENCH_ML_KEEP=1 keeps the project for the next run.
import { performance } from 'node:perf_hooks';
import { sandboxUser } from '../tests/sandbox/src/env.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import {
  benchNamespace,
  ignoreConflict,
  kubeClients,
  mlAppsBenchSettings,
  percentile,
  pool,
  report,
  startCompiledBackend,
  timedJsonRequests,
  useSandbox,
} from './lib.js';

const count = Number(process.env.BENCH_ML_NOTEBOOKS ?? 500);
const { requests, concurrency, keep } = mlAppsBenchSettings();
const NAMESPACE = 'bench-ml-apps';
const NOTEBOOKS = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks' } as const;
const base = `/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/namespaces/${NAMESPACE}/notebooks`;

const nameOf = (i: number) => `nb-${String(i).padStart(4, '0')}`;

const { env, release } = useSandbox();
const { core, custom } = kubeClients(env.KUBECONFIG);
const namespace = benchNamespace(core, NAMESPACE, 'ml-apps', keep);

/** The project, a GPU quota that is full (max 0), and `count` notebooks with their pods. */
async function prepare(): Promise<void> {
  const started = performance.now();
  await namespace.create();
  await core
    .createNamespacedResourceQuota({
      namespace: NAMESPACE,
      body: { metadata: { name: 'gpus' }, spec: { hard: { 'requests.nvidia.com/gpu': '0' } } },
    })
    .catch(ignoreConflict);
  const existing = new Set(
    (
      (await custom.listNamespacedCustomObject({ ...NOTEBOOKS, namespace: NAMESPACE })) as {
        items: { metadata: { name: string } }[];
      }
    ).items.map((n) => n.metadata.name),
  );
  const todo = Array.from({ length: count }, (_, i) => nameOf(i)).filter((n) => !existing.has(n));
  const container = (name: string) => ({
    name,
    image: 'sandbox.local/jupyter:1',
    resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '10m', memory: '16Mi' } },
  });
  await pool(todo, concurrency, async (name) => {
    await custom
      .createNamespacedCustomObject({
        ...NOTEBOOKS,
        namespace: NAMESPACE,
        body: {
          apiVersion: 'kubeflow.org/v1',
          kind: 'Notebook',
          metadata: { name, annotations: { 'kubesphere.io/creator': 'bench' } },
          spec: { template: { spec: { containers: [container(name)] } } },
        },
      })
      .catch(ignoreConflict);
    await core
      .createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name: `${name}-0`, labels: { 'notebook-name': name, statefulset: name } },
          spec: { containers: [container(name)] },
        },
      })
      .catch(ignoreConflict);
  });
  console.log(
    `# ml-apps: ${count} notebooks with pods (${todo.length} made now) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

await prepare();
const backend = await startCompiledBackend(env.KUBECONFIG, { env: { FEATURES: 'ml-apps' } });

try {
  const timed = timedJsonRequests<{ items?: { status: { phase: string } }[]; reason?: string }>(
    backend.url + base,
    sandboxUser('admin').token,
  );
  await waitFor('every notebook listed', async () => (await timed('GET')).answer.items?.length === count, {
    timeoutMs: 60_000,
  });
  for (let i = 0; i < 20; i++) await timed('GET');
  const list: number[] = [];
  let running = 0;
  for (let i = 0; i < requests; i++) {
    const r = await timed('GET');
    if (r.status !== 200) throw new Error(`list answered ${r.status}`);
    list.push(r.ms);
    running = r.answer.items!.filter((n) => n.status.phase === 'running').length;
  }

  const overQuota = {
    name: 'bench-refused',
    image: 'sandbox.local/jupyter:1',
    cpu: 1,
    memory: '1Gi',
    gpu: { resource: 'nvidia.com/gpu', count: 1 },
    workspaceVolume: { kind: 'none' },
  };
  for (let i = 0; i < 10; i++) await timed('POST', '', overQuota);
  const precheck: number[] = [];
  for (let i = 0; i < requests; i++) {
    const r = await timed('POST', '', overQuota);
    if (r.status !== 409) throw new Error(`pre-check answered ${r.status}: ${JSON.stringify(r.answer)}`);
    precheck.push(r.ms);
  }

  // The pre-check reuses the placed-pods snapshot up to 2 s (ADR 0032): what a request that lists them costs.
  const uncached: number[] = [];
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 2_100));
    uncached.push((await timed('POST', '', overQuota)).ms);
  }

  report(
    'ml-apps',
    [
      { name: 'list_p50_ms', value: percentile(list, 50), unit: 'ms', target: '<= 200' },
      { name: 'list_p99_ms', value: percentile(list, 99), unit: 'ms', target: '<= 600' },
      { name: 'precheck_p99_ms', value: percentile(precheck, 99), unit: 'ms', target: '<= 100' },
      { name: 'precheck_uncached_p50_ms', value: percentile(uncached, 50), unit: 'ms' },
    ],
    [
      `${count} notebooks in one project (${running} running), ${requests} sequential requests each after warm-up, compiled backend`,
      'the pre-check is a create the project quota refuses (409, nothing created); training jobs and page_render_ms are not measured yet',
    ],
  );
} finally {
  await backend.stop();
  await namespace.remove();
  release();
}
