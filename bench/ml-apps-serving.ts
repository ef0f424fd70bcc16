// Benchmark `ml-apps` (model serving slice, issue 17): one project with 300 InferenceServices (status written as
// the KServe controller would: half Ready with a URL and traffic, half waiting on a model load failure) and one
// model with 1,000 registered versions in the backend's store (SQLite, as one replica ships), served by the
// compiled backend in Kubernetes auth mode against the sandbox. Figures (the ml-apps.serving_list_p50_ms,
// serving_list_p99_ms, versions_list_p99_ms): p50 / p99 of sequential requests after warm-up. The services list
// reads the backend's watch; the versions list is the page the console asks for (the newest 100 of 1,000), and
// versions_all_p99_ms, for comparison, asks for all 1,000 at once (no target).
//   BENCH_ML_SERVICES (default 300), BENCH_ML_VERSIONS (default 1000), BENCH_ML_REQUESTS (default 200),
//   BENCH_ML_CONCURRENCY (default 16), BENCH_ML_KEEP=1 keeps the project for the next run.
import { performance } from 'node:perf_hooks';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { sandboxUser } from '../tests/sandbox/src/env.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import {
  ignoreConflict,
  loadNote,
  mlAppsBench,
  percentile,
  pool,
  report,
  sampleRequests,
  startCompiledBackend,
  timedJsonRequests,
} from './lib.js';

const services = Number(process.env.BENCH_ML_SERVICES ?? 300);
const versions = Number(process.env.BENCH_ML_VERSIONS ?? 1000);
const NAMESPACE = 'bench-ml-serving';
const KSERVE = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
const base = `/kapis/ml-apps.ks-gpu-ml.io/v1alpha1/namespaces/${NAMESPACE}`;
const nameOf = (i: number) => `isvc-${String(i).padStart(4, '0')}`;

const note = loadNote();
const { requests, concurrency, env, release, custom, namespace } = mlAppsBench(NAMESPACE, 'ml-apps-serving');

async function prepare(): Promise<void> {
  const started = performance.now();
  await namespace.create();
  const all = Array.from({ length: services }, (_, i) => i);
  await pool(all, concurrency, async (i) => {
    const name = nameOf(i);
    await custom
      .createNamespacedCustomObject({
        ...KSERVE,
        namespace: NAMESPACE,
        body: {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: {
            name,
            labels: {
              'ml-apps.ks-gpu-ml.io/model': 'bench-model',
              'ml-apps.ks-gpu-ml.io/model-version': '1',
            },
          },
          spec: {
            predictor: {
              minReplicas: 1,
              maxReplicas: 2,
              model: {
                modelFormat: { name: 'sklearn' },
                storageUri: `s3://bench/models/${name}`,
                resources: { limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': '1' } },
              },
            },
          },
        },
      })
      .catch(ignoreConflict);
    const ready = i % 2 === 0;
    await custom.patchNamespacedCustomObjectStatus(
      {
        ...KSERVE,
        namespace: NAMESPACE,
        name,
        body: {
          status: ready
            ? {
                url: `http://${name}.${NAMESPACE}.example.com`,
                conditions: [{ type: 'Ready', status: 'True' }],
                components: {
                  predictor: {
                    traffic: [
                      { revisionName: `${name}-predictor-00001`, percent: 100, latestRevision: true },
                    ],
                  },
                },
              }
            : {
                conditions: [{ type: 'Ready', status: 'False', reason: 'RevisionFailed' }],
                modelStatus: {
                  transitionStatus: 'BlockedByFailedLoad',
                  states: { targetModelState: 'FailedToLoad' },
                  lastFailureInfo: { reason: 'ModelLoadFailed', message: `model file for ${name} not found` },
                },
              },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  });
  console.log(
    `# ml-apps: ${services} InferenceServices with status in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}

await prepare();
const backend = await startCompiledBackend(env.KUBECONFIG, { env: { FEATURES: 'ml-apps' } });

try {
  const timed = timedJsonRequests<Record<string, unknown>>(backend.url + base, sandboxUser('admin').token);

  // The registry: one model and its versions, registered through the API (the store as it ships).
  const started = performance.now();
  const first = { format: 'sklearn', storageUri: 's3://bench/models/v1', metrics: { accuracy: 0.9 } };
  const created = await timed('POST', '/models', { name: 'bench-model', firstVersion: first });
  if (created.status !== 200)
    throw new Error(`register answered ${created.status}: ${JSON.stringify(created.answer)}`);
  await pool(
    Array.from({ length: versions - 1 }, (_, i) => i + 2),
    8,
    async (v) => {
      const r = await timed('POST', '/models/bench-model/versions', {
        format: 'sklearn',
        storageUri: `s3://bench/models/v${v}`,
        metrics: { accuracy: 0.9 },
        parameters: { seed: String(v) },
      });
      if (r.status !== 200) throw new Error(`version answered ${r.status}: ${JSON.stringify(r.answer)}`);
    },
  );
  console.log(
    `# ml-apps: ${versions} versions registered in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  await waitFor(
    'every service listed',
    async () =>
      ((await timed('GET', '/inferenceservices')).answer.items as unknown[] | undefined)?.length === services,
    { timeoutMs: 60_000 },
  );
  let ready = 0;
  const list = await sampleRequests(
    'list',
    () => timed('GET', '/inferenceservices'),
    { warmups: 20, requests },
    (answer) => {
      ready = (answer.items as { status: { phase: string } }[]).filter(
        (s) => s.status.phase === 'ready',
      ).length;
    },
  );

  const versionPages = async (path: string) => {
    let listed = 0;
    const times = await sampleRequests(
      'versions',
      () => timed('GET', path),
      { warmups: 10, requests },
      (answer) => {
        listed = (answer.versions as unknown[]).length;
      },
    );
    return { times, listed };
  };
  const { times: versionList, listed } = await versionPages('/models/bench-model');
  const { times: allVersions, listed: all } = await versionPages('/models/bench-model?limit=1000');

  report(
    'ml-apps-serving',
    [
      { name: 'serving_list_p50_ms', value: percentile(list, 50), unit: 'ms', target: '<= 200' },
      { name: 'serving_list_p99_ms', value: percentile(list, 99), unit: 'ms', target: '<= 600' },
      { name: 'versions_list_p99_ms', value: percentile(versionList, 99), unit: 'ms', target: '<= 200' },
      { name: 'versions_all_p99_ms', value: percentile(allVersions, 99), unit: 'ms' },
    ],
    [
      `${services} InferenceServices in one project (${ready} ready, the rest failed model loads), ${versions} versions of one model in SQLite (a page lists ${listed}; versions_all lists ${all}), ${requests} sequential requests each after warm-up, compiled backend`,
      "printed under the issue's names ml-apps.serving_list_p50_ms, ml-apps.serving_list_p99_ms and ml-apps.versions_list_p99_ms",
      note,
    ],
    'ml-apps',
  );
} finally {
  await backend.stop();
  await namespace.remove();
  release();
}
