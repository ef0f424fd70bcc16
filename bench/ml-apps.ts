// Benchmark `ml-apps`: one project with 500 Notebooks, each with its pod as the controller's StatefulSet would
// make it (KWOK runs them), and 500 training jobs - TrainJobs and Training Operator v1 PyTorchJobs, TFJobs and
// XGBoostJobs in turn - each with one pod labelled as its controller would. Served by the compiled backend in
// Kubernetes auth mode against the sandbox:
//   list_p50_ms / list_p99_ms   the three list APIs (notebooks, TrainJobs, v1 training jobs), sequential requests
//                               after warm-up, all samples together (each list's own figures printed beside);
//   precheck_p99_ms             the quota pre-check: a POST the project's ResourceQuota refuses with 409, so
//                               nothing is created (the request is the pre-check);
//   page_render_ms              headless Chromium (the e2e stack: real console, ks-apiserver stand-in, our
//                               bundle), page load to the first notebook row on the notebooks page, median of runs
//                               after a first cold one.
//   BENCH_ML_NOTEBOOKS (default 500), BENCH_ML_JOBS (default 500), BENCH_ML_REQUESTS (default 200),
//   BENCH_ML_CONCURRENCY (default 16), BENCH_ML_RENDER_RUNS (default 5), BENCH_ML_KEEP=1 keeps the project.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, sandboxUser } from '../tests/sandbox/src/env.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import {
  ignoreConflict,
  mlAppsBench,
  percentile,
  pool,
  report,
  sampleRequests,
  startCompiledBackend,
  timedJsonRequests,
} from './lib.js';

const count = Number(process.env.BENCH_ML_NOTEBOOKS ?? 500);
const jobCount = Number(process.env.BENCH_ML_JOBS ?? 500);
const renderRuns = Number(process.env.BENCH_ML_RENDER_RUNS ?? 5);
const NAMESPACE = 'bench-ml-apps';
const NOTEBOOKS = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks' } as const;
const group = `/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/namespaces/${NAMESPACE}`;
const base = `${group}/notebooks`;
/** The jobs in turn: a TrainJob, then each v1 kind (its plural, replica-specs field, container, label). */
const JOB_KINDS = [
  { kind: 'TrainJob', group: 'trainer.kubeflow.org', version: 'v1alpha1', plural: 'trainjobs' },
  {
    kind: 'PyTorchJob',
    group: 'kubeflow.org',
    version: 'v1',
    plural: 'pytorchjobs',
    specs: 'pytorchReplicaSpecs',
    type: 'Master',
    container: 'pytorch',
  },
  {
    kind: 'TFJob',
    group: 'kubeflow.org',
    version: 'v1',
    plural: 'tfjobs',
    specs: 'tfReplicaSpecs',
    type: 'Worker',
    container: 'tensorflow',
  },
  {
    kind: 'XGBoostJob',
    group: 'kubeflow.org',
    version: 'v1',
    plural: 'xgboostjobs',
    specs: 'xgbReplicaSpecs',
    type: 'Master',
    container: 'xgboost',
  },
] as const;
const RUNTIME = 'bench-ml-apps-torch';

const nameOf = (i: number) => `nb-${String(i).padStart(4, '0')}`;

const { requests, concurrency, env, release, core, custom, namespace } = mlAppsBench(NAMESPACE, 'ml-apps');

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

/** `jobCount` training jobs, the kinds in turn, each with one pod labelled as its controller labels them. */
async function prepareJobs(): Promise<void> {
  const started = performance.now();
  await custom
    .createClusterCustomObject({
      group: 'trainer.kubeflow.org',
      version: 'v1alpha1',
      plural: 'clustertrainingruntimes',
      body: {
        apiVersion: 'trainer.kubeflow.org/v1alpha1',
        kind: 'ClusterTrainingRuntime',
        metadata: { name: RUNTIME },
        spec: { template: { spec: { replicatedJobs: [{ name: 'node' }] } } },
      },
    })
    .catch(ignoreConflict);
  const existing = new Set<string>();
  for (const k of JOB_KINDS) {
    const list = (await custom.listNamespacedCustomObject({ ...k, namespace: NAMESPACE })) as {
      items: { metadata: { name: string } }[];
    };
    for (const item of list.items) existing.add(`${k.kind}/${item.metadata.name}`);
  }
  const jobs = Array.from({ length: jobCount }, (_, i) => ({ i, k: JOB_KINDS[i % JOB_KINDS.length]! }));
  const todo = jobs.filter(({ i, k }) => !existing.has(`${k.kind}/job-${String(i).padStart(4, '0')}`));
  const resources = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '10m', memory: '16Mi' } };
  await pool(todo, concurrency, async ({ i, k }) => {
    const name = `job-${String(i).padStart(4, '0')}`;
    const meta = { name, annotations: { 'kubesphere.io/creator': 'bench' } };
    const body =
      k.kind === 'TrainJob'
        ? {
            apiVersion: `${k.group}/${k.version}`,
            kind: k.kind,
            metadata: meta,
            spec: {
              runtimeRef: { apiGroup: k.group, kind: 'ClusterTrainingRuntime', name: RUNTIME },
              trainer: { image: 'sandbox.local/torch:1', numNodes: 1, resourcesPerNode: resources },
            },
          }
        : {
            apiVersion: `${k.group}/${k.version}`,
            kind: k.kind,
            metadata: meta,
            spec: {
              [k.specs]: {
                [k.type]: {
                  replicas: 1,
                  restartPolicy: 'OnFailure',
                  template: {
                    spec: { containers: [{ name: k.container, image: 'sandbox.local/torch:1', resources }] },
                  },
                },
              },
            },
          };
    await custom.createNamespacedCustomObject({ ...k, namespace: NAMESPACE, body }).catch(ignoreConflict);
    const labels: Record<string, string> =
      k.kind === 'TrainJob'
        ? { 'jobset.sigs.k8s.io/jobset-name': name }
        : {
            'training.kubeflow.org/job-name': name,
            'training.kubeflow.org/replica-type': k.type.toLowerCase(),
            'training.kubeflow.org/replica-index': '0',
          };
    const pod = k.kind === 'TrainJob' ? `${name}-node-0-0` : `${name}-${k.type.toLowerCase()}-0`;
    await core
      .createNamespacedPod({
        namespace: NAMESPACE,
        body: {
          metadata: { name: pod, labels },
          spec: { containers: [{ name: 'node', image: 'sandbox.local/torch:1', resources }] },
        },
      })
      .catch(ignoreConflict);
  });
  console.log(
    `# ml-apps: ${jobCount} training jobs with pods (${todo.length} made now) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

/** Page load → first notebook row on the notebooks page, in headless Chromium through the real console. */
async function measureRender(): Promise<{ runs: number[] } | string> {
  const dist = join(repoRoot, 'extensions/ml-apps/dist/index.js');
  if (!existsSync(dist)) return `not measured: ${dist} is missing (run "npm run build")`;
  const { startStack } = await import('../tests/e2e/stack.js');
  const { openSession, login } = await import('../tests/e2e/harness.js');
  const stack = await startStack({ features: 'ml-apps', extensions: ['ml-apps'] });
  try {
    const session = await openSession();
    try {
      await login(session, stack.consoleUrl, 'admin');
      const url = `${stack.consoleUrl}/workspaces/ws-alpha/ml-apps/projects/${NAMESPACE}/notebooks`;
      const runs: number[] = [];
      for (let i = 0; i < renderRuns + 1; i++) {
        await session.page.goto(url, { waitUntil: 'commit' });
        // performance.now() in the page counts from its navigation start. (Page code as a string: the bench
        // project has no DOM types.)
        const handle = await session.page.waitForFunction(
          `document.querySelector('[data-testid="notebook-row"]') ? performance.now() : undefined`,
          undefined,
          { timeout: 120_000, polling: 20 },
        );
        const ms = (await handle.jsonValue()) as number;
        if (i > 0) runs.push(ms);
        else console.log(`# ml-apps: page render, first (cold) run ${ms.toFixed(0)} ms`);
      }
      return { runs };
    } catch (error) {
      const shot = await session.screenshot('bench-ml-apps-render').catch(() => '');
      return `not measured: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}${shot ? `; screenshot ${shot}` : ''}`;
    } finally {
      await session.close();
    }
  } finally {
    await stack.close();
  }
}

await prepare();
await prepareJobs();
const backend = await startCompiledBackend(env.KUBECONFIG, { env: { FEATURES: 'ml-apps' } });

try {
  const timed = timedJsonRequests<{ items?: { status: { phase: string } }[]; reason?: string }>(
    backend.url + base,
    sandboxUser('admin').token,
  );
  await waitFor('every notebook listed', async () => (await timed('GET')).answer.items?.length === count, {
    timeoutMs: 60_000,
  });
  const listOf = (plural: string) =>
    timedJsonRequests<{ items?: unknown[] }>(`${backend.url}${group}/${plural}`, sandboxUser('admin').token);
  const lists = { trainjobs: listOf('trainjobs'), trainingjobs: listOf('trainingjobs') };
  const trainJobs = JOB_KINDS.length ? Math.ceil(jobCount / JOB_KINDS.length) : 0;
  await waitFor(
    'every training job listed',
    async () =>
      ((await lists.trainjobs('GET')).answer.items?.length ?? 0) === trainJobs &&
      ((await lists.trainingjobs('GET')).answer.items?.length ?? 0) === jobCount - trainJobs,
    { timeoutMs: 60_000 },
  );
  let running = 0;
  const list = await sampleRequests(
    'list',
    () => timed('GET'),
    { warmups: 20, requests },
    (answer) => {
      running = answer.items!.filter((n) => n.status.phase === 'running').length;
    },
  );
  const jobLists: Record<string, number[]> = {};
  for (const [plural, request] of Object.entries(lists)) {
    jobLists[plural] = await sampleRequests(`${plural} list`, () => request('GET'), {
      warmups: 10,
      requests,
    });
  }
  const allLists = [...list, ...jobLists.trainjobs!, ...jobLists.trainingjobs!];

  const overQuota = {
    name: 'bench-refused',
    image: 'sandbox.local/jupyter:1',
    cpu: 1,
    memory: '1Gi',
    gpu: { resource: 'nvidia.com/gpu', count: 1 },
    workspaceVolume: { kind: 'none' },
  };
  const precheck = await sampleRequests('pre-check', () => timed('POST', '', overQuota), {
    warmups: 10,
    requests,
    status: 409,
  });

  // The pre-check reuses the placed-pods snapshot up to 2 s (ADR 0032): what a request that lists them costs.
  const uncached: number[] = [];
  for (let i = 0; i < 10; i++) {
    await new Promise((r) => setTimeout(r, 2_100));
    uncached.push((await timed('POST', '', overQuota)).ms);
  }

  await backend.stop();
  const render = await measureRender();
  const renderFigure =
    typeof render === 'string'
      ? []
      : [{ name: 'page_render_ms', value: percentile(render.runs, 50), unit: 'ms', target: '<= 1500' }];

  report(
    'ml-apps',
    [
      { name: 'list_p50_ms', value: percentile(allLists, 50), unit: 'ms', target: '<= 200' },
      { name: 'list_p99_ms', value: percentile(allLists, 99), unit: 'ms', target: '<= 600' },
      { name: 'precheck_p99_ms', value: percentile(precheck, 99), unit: 'ms', target: '<= 100' },
      ...renderFigure,
      { name: 'notebooks_list_p50_ms', value: percentile(list, 50), unit: 'ms' },
      { name: 'notebooks_list_p99_ms', value: percentile(list, 99), unit: 'ms' },
      { name: 'trainjobs_list_p50_ms', value: percentile(jobLists.trainjobs!, 50), unit: 'ms' },
      { name: 'trainjobs_list_p99_ms', value: percentile(jobLists.trainjobs!, 99), unit: 'ms' },
      { name: 'trainingjobs_list_p50_ms', value: percentile(jobLists.trainingjobs!, 50), unit: 'ms' },
      { name: 'trainingjobs_list_p99_ms', value: percentile(jobLists.trainingjobs!, 99), unit: 'ms' },
      { name: 'precheck_uncached_p50_ms', value: percentile(uncached, 50), unit: 'ms' },
    ],
    [
      `${count} notebooks (${running} running) and ${jobCount} training jobs (${trainJobs} TrainJobs, the rest PyTorchJob/TFJob/XGBoostJob) in one project, each with a pod; ${requests} sequential requests per list after warm-up, compiled backend`,
      "list_p50/p99: the three lists' samples together; the pre-check is a create the project quota refuses (409, nothing created)",
      typeof render === 'string'
        ? `page_render_ms ${render}`
        : `page_render_ms: page load (console boot included) to the first notebook row, median of ${render.runs.length} warm runs: ${render.runs.map((r) => r.toFixed(0)).join(', ')}`,
    ],
  );
} finally {
  await backend.stop().catch(() => undefined);
  await custom
    .deleteClusterCustomObject({
      group: 'trainer.kubeflow.org',
      version: 'v1alpha1',
      plural: 'clustertrainingruntimes',
      name: RUNTIME,
    })
    .catch(() => undefined);
  await namespace.remove();
  release();
}
