// Model versions and KServe InferenceServices through our backend against the sandbox. No KServe controller runs
// here, so the test plays it: it writes the InferenceService's status (URL, conditions, modelStatus, traffic)
// through the status subresource as the controller would; a loopback stand-in predictor answers test requests.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import {
  ApiextensionsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  loadYaml,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { installCrds } from '../../sandbox/src/crds.js';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { call, type BackendProcess } from '../backend/backend-process.js';
import { undoAfterTests } from '../backend/undo.js';
import { GROUP_PATH, gpuQuota, startMlAppsBackend } from './ml-apps-backend.js';
import { startStandInPredictor, type StandInPredictor } from './serving-stand-in-predictor.js';

const kc = adminKubeConfig();
const custom = kc.makeApiClient(CustomObjectsApi);
const core = kc.makeApiClient(CoreV1Api);
const KSERVE = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
const TRAINJOBS = { group: 'trainer.kubeflow.org', version: 'v1alpha1', plural: 'trainjobs' } as const;
const runtime = uniqueName('sklearn-rt');

let backend: BackendProcess;
let predictor: StandInPredictor;
const cleanups = undoAfterTests(); // registered before the after() that stops the backend, so it runs first

const api = (method: string, ns: string, path: string, body?: unknown, user = 'admin') =>
  call(backend, method, `${GROUP_PATH}/namespaces/${ns}/${path}`, {
    token: sandboxUser(user).token,
    ...(body !== undefined ? { body } : {}),
  });

const ok = <T = Record<string, unknown>>(res: { status: number; body: unknown }): T => {
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as T;
};

/** Writes the InferenceService's status as KServe's controller would (merge patch of /status). */
const setStatus = (namespace: string, name: string, status: Record<string, unknown>) =>
  custom.patchNamespacedCustomObjectStatus(
    { ...KSERVE, namespace, name, body: { status } },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );

const stored = async (namespace: string, name: string) =>
  (await custom.getNamespacedCustomObject({ ...KSERVE, namespace, name })) as {
    metadata: { labels: Record<string, string> };
    spec: {
      predictor: {
        canaryTrafficPercent?: number;
        minReplicas: number;
        maxReplicas: number;
        model: {
          storageUri: string;
          modelFormat: { name: string };
          resources: { limits: Record<string, string> };
        };
      };
    };
  };

const deployBody = (name: string, version: number, extra: Record<string, unknown> = {}) => ({
  name,
  model: 'iris',
  version,
  cpu: 0.5,
  memory: '1Gi',
  minReplicas: 1,
  maxReplicas: 2,
  ...extra,
});

type Summary = {
  name: string;
  url?: string;
  model?: { name: string; version: number };
  status: { phase: string; reason?: string; message?: string };
  gpus: { resource: string; count: number }[];
  replicas: { min?: number; max?: number };
  gpuHours?: number;
  canary?: { percent: number; previous?: { version: number } };
  traffic: { revisionName: string; percent: number; model?: { version: number } }[];
};

type LlmSummary = {
  name: string;
  url?: string;
  model?: { name: string; version: number };
  status: { phase: string; reason?: string; message?: string };
  replicas: { desired?: number; ready: number; pods: number };
  gpus: { resource: string; count: number }[];
  router: boolean;
};

type List = { items: Summary[]; llmItems?: LlmSummary[]; revision?: string };

const LLM = { group: 'serving.kserve.io', version: 'v1alpha1', plural: 'llminferenceservices' } as const;

/**
 * Our test CRD of KServe's LLMInferenceService, served before the backend starts (it discovers it once) and
 * removed after this file, so the shared sandbox serves none otherwise.
 */
async function installLlmCrd(): Promise<void> {
  const crds = kc.makeApiClient(ApiextensionsV1Api);
  // loadYaml maps YAML's `x-kubernetes-*` keys to the client's model (a plain object would lose them).
  const body = loadYaml<V1CustomResourceDefinition>(
    readFileSync(new URL('./crds/llminferenceservices.serving.kserve.io.yaml', import.meta.url), 'utf8'),
  );
  const name = body.metadata!.name!;
  await crds.createCustomResourceDefinition({ body }).catch((err: { code?: number }) => {
    if (err.code !== 409) throw err;
  });
  cleanups.push(async () => void (await crds.deleteCustomResourceDefinition({ name })));
  await waitFor('LLMInferenceService served', async () => {
    const served = await custom.getAPIResources({ group: 'serving.kserve.io', version: 'v1alpha1' });
    return served.resources.some((r) => r.name === 'llminferenceservices');
  });
}

/** The services list once `done` holds: first at once, then each time the backend's watch sees a change. */
async function listUntil(
  ns: string,
  done: (items: Summary[], list: List) => boolean,
  rounds = 10,
): Promise<List> {
  let list = ok<List>(await api('GET', ns, 'inferenceservices'));
  for (let i = 0; i < rounds && !done(list.items, list); i++) {
    list = ok<List>(await api('GET', ns, `inferenceservices?since=${list.revision}&waitSeconds=5`));
  }
  return list;
}

before(async () => {
  // The ServingRuntime CRDs are newer than a sandbox started before them: install (or replace) the KServe group.
  await installCrds(kc, ['kserve']);
  await custom.createClusterCustomObject({
    group: 'serving.kserve.io',
    version: 'v1alpha1',
    plural: 'clusterservingruntimes',
    body: {
      apiVersion: 'serving.kserve.io/v1alpha1',
      kind: 'ClusterServingRuntime',
      metadata: { name: runtime },
      spec: {
        supportedModelFormats: [{ name: 'sklearn', version: '1', autoSelect: true }],
        protocolVersions: ['v1', 'v2'],
        containers: [{ name: 'kserve-container', image: 'sandbox.local/sklearnserver:1' }],
      },
    },
  });
  cleanups.push(async () => {
    await custom.deleteClusterCustomObject({
      group: 'serving.kserve.io',
      version: 'v1alpha1',
      plural: 'clusterservingruntimes',
      name: runtime,
    });
  });
  predictor = await startStandInPredictor();
  cleanups.push(() => predictor.close());
  await installLlmCrd();
  backend = await startMlAppsBackend();
});
after(async () => {
  assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0');
});

describe('model versions and serving', () => {
  let ns: string;
  before(async () => {
    const created = await createTestNamespace('ml-sv');
    cleanups.push(created.remove);
    ns = created.name;
  });

  it('registers version 1 from a TrainJob only once it finished; version 2 by hand; bad URIs are 400s', async () => {
    await custom.createNamespacedCustomObject({
      ...TRAINJOBS,
      namespace: ns,
      body: {
        apiVersion: 'trainer.kubeflow.org/v1alpha1',
        kind: 'TrainJob',
        metadata: { name: 'iris-train' },
        spec: { runtimeRef: { name: 'torch-distributed', kind: 'ClusterTrainingRuntime' } },
      },
    });
    const first = {
      format: 'sklearn',
      storageUri: 's3://models/iris/1',
      trainJob: 'iris-train',
      metrics: { accuracy: 0.97 },
    };
    const early = await api('POST', ns, 'models', { name: 'iris', firstVersion: first });
    assert.equal(early.status, 409, JSON.stringify(early.body));
    assert.match(String(early.body.message), /iris-train/);

    // Trainer would write this when the job ends.
    await custom.patchNamespacedCustomObjectStatus(
      {
        ...TRAINJOBS,
        namespace: ns,
        name: 'iris-train',
        body: {
          status: {
            conditions: [
              {
                type: 'Complete',
                status: 'True',
                reason: 'JobSetCompleted',
                message: 'done',
                lastTransitionTime: new Date().toISOString(),
              },
            ],
          },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    const model = ok<{ versions: { version: number; trainJob?: string; createdBy: string }[] }>(
      await api('POST', ns, 'models', { name: 'iris', description: 'flowers', firstVersion: first }),
    );
    assert.deepEqual(
      model.versions.map((v) => [v.version, v.trainJob, v.createdBy]),
      [[1, 'iris-train', 'admin']],
    );

    const bad = await api('POST', ns, 'models/iris/versions', { format: 'sklearn', storageUri: 'ftp://x/y' });
    assert.equal(bad.status, 400);
    assert.equal((bad.body.details as { field?: string }).field, 'body.storageUri');
    const badFormat = await api('POST', ns, 'models/iris/versions', {
      format: 'caffe',
      storageUri: 's3://a/b',
    });
    assert.equal(badFormat.status, 400);
    assert.equal((badFormat.body.details as { field?: string }).field, 'body.format');

    const v2 = ok<{ latestVersion: number }>(
      await api('POST', ns, 'models/iris/versions', { format: 'sklearn', storageUri: 'pvc://models/iris/2' }),
    );
    assert.equal(v2.latestVersion, 2);
    const staged = ok<{ history: { action: string; by: string; to?: string }[] }>(
      await api('PUT', ns, 'models/iris/stage', { version: 1, stage: 'production' }),
    );
    assert.deepEqual(staged.history[0], {
      ...staged.history[0],
      action: 'stage-changed',
      by: 'admin',
      to: 'production',
    });

    // Versions come a page at a time, newest first; `nextBefore` asks for the older ones.
    type Page = { versions: { version: number }[]; nextBefore?: number; versionCount: number };
    const newest = ok<Page>(await api('GET', ns, 'models/iris?limit=1'));
    assert.deepEqual([newest.versions.map((v) => v.version), newest.nextBefore], [[2], 2]);
    const older = ok<Page>(await api('GET', ns, `models/iris?limit=1&before=${newest.nextBefore}`));
    assert.deepEqual([older.versions.map((v) => v.version), older.nextBefore], [[1], undefined]);
    assert.equal(older.versionCount, 2);
    assert.equal((await api('GET', ns, 'models/iris?limit=0')).status, 400);

    // A member of another project may not read this one's registry.
    assert.equal((await api('GET', ns, 'models', undefined, 'bob')).status, 403);
  });

  it('offers the cluster runtimes; deploys version 1 with 1 GPU; Ready with its URL once status says so', async () => {
    const options = ok<{ runtimes: { kind: string; name: string }[] }>(
      await api('GET', ns, 'servingoptions'),
    );
    assert.ok(options.runtimes.some((r) => r.kind === 'ClusterServingRuntime' && r.name === runtime));

    const created = ok<Summary>(
      await api(
        'POST',
        ns,
        'inferenceservices',
        deployBody('iris', 1, { gpu: { resource: 'nvidia.com/gpu', count: 1 } }),
      ),
    );
    assert.equal(created.status.phase, 'waiting');
    assert.deepEqual(created.gpus, [{ resource: 'nvidia.com/gpu', count: 1 }]);
    const spec = await stored(ns, 'iris');
    assert.equal(spec.spec.predictor.model.storageUri, 's3://models/iris/1');
    assert.equal(spec.spec.predictor.model.modelFormat.name, 'sklearn');
    assert.equal(spec.spec.predictor.model.resources.limits['nvidia.com/gpu'], '1');
    assert.equal(
      (await api('POST', ns, 'inferenceservices', deployBody('iris', 1))).status,
      409,
      'same name',
    );

    await setStatus(ns, 'iris', {
      url: predictor.url,
      conditions: [
        { type: 'PredictorReady', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
      components: {
        predictor: {
          latestReadyRevision: 'iris-predictor-00001',
          traffic: [{ revisionName: 'iris-predictor-00001', percent: 100, latestRevision: true }],
        },
      },
      modelStatus: {
        transitionStatus: 'UpToDate',
        states: { activeModelState: 'Loaded', targetModelState: 'Loaded' },
      },
    });
    // The list reads the backend's watch: it follows the status just written, answering a waiting `since`.
    const list = await listUntil(
      ns,
      (items) => items.find((s) => s.name === 'iris')?.status.phase === 'ready',
    );
    const iris = list.items.find((s) => s.name === 'iris');
    assert.equal(iris?.status.phase, 'ready');
    assert.equal(iris?.url, predictor.url);
    assert.deepEqual(iris?.model, { name: 'iris', version: 1 });
    assert.deepEqual(iris?.replicas, { min: 1, max: 2, ready: 0, pods: 0 });
  });

  it('answers a list waiting with `since` when a service changes, and after waitSeconds when nothing does', async () => {
    const first = ok<List>(await api('GET', ns, 'inferenceservices'));
    assert.ok(first.revision);
    const quiet = ok<List>(await api('GET', ns, `inferenceservices?since=${first.revision}&waitSeconds=1`));
    assert.equal(quiet.revision, first.revision, 'nothing changed');
    const waiting = api('GET', ns, `inferenceservices?since=${first.revision}&waitSeconds=20`);
    await setStatus(ns, 'iris', {
      conditions: [
        { type: 'PredictorReady', status: 'True' },
        { type: 'Ready', status: 'False', reason: 'Sandbox', message: 'a change the list must follow' },
      ],
    });
    const changed = ok<List>(await waiting);
    assert.notEqual(changed.revision, first.revision);
    assert.equal(
      changed.items.find((s) => s.name === 'iris')?.status.message,
      'a change the list must follow',
    );
    await setStatus(ns, 'iris', {
      conditions: [
        { type: 'PredictorReady', status: 'True' },
        { type: 'Ready', status: 'True' },
      ],
    });
    const bad = await api('GET', ns, 'inferenceservices?waitSeconds=31');
    assert.equal(bad.status, 400);
  });

  it("counts the GPU-hours of the service's running predictor pod (KWOK runs it), followed by the watch", async () => {
    const testStart = Date.now();
    // Playing KServe: the predictor pod it would make, with the service's label and 1 GPU; the real scheduler
    // places it on a KWOK GPU node, which runs it.
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: {
          name: 'iris-predictor-0',
          labels: { 'serving.kserve.io/inferenceservice': 'iris', component: 'predictor' },
        },
        spec: {
          containers: [
            {
              name: 'kserve-container',
              image: 'sandbox.local/sklearnserver:1',
              resources: { limits: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' } },
            },
          ],
        },
      },
    });
    const list = await listUntil(ns, (items) => items.find((s) => s.name === 'iris')?.gpuHours !== undefined);
    const hours = list.items.find((s) => s.name === 'iris')?.gpuHours;
    assert.ok(
      hours !== undefined && hours >= 0 && hours <= (Date.now() - testStart) / 3_600_000 + 0.001,
      `${hours}`,
    );
    await core.deleteNamespacedPod({ namespace: ns, name: 'iris-predictor-0', gracePeriodSeconds: 0 });
  });

  it("an open detail's wait is answered by a new warning about one of the service's pods", async () => {
    type Detail = { revision?: string; events: { object: string; reason?: string; message?: string }[] };
    const first = ok<Detail>(await api('GET', ns, 'inferenceservices/iris'));
    assert.ok(first.revision);
    // The console's wait from that revision; nothing about the service or its pods changes meanwhile.
    const waiting = api('GET', ns, `inferenceservices/iris?since=${first.revision}&waitSeconds=25`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const message = `0/4 nodes are available: 4 Insufficient nvidia.com/gpu. (${Date.now()})`;
    const at = new Date();
    await core.createNamespacedEvent({
      namespace: ns,
      body: {
        metadata: { name: uniqueName('iris-predictor-warn') },
        involvedObject: { kind: 'Pod', name: 'iris-predictor-00001-deployment-x', namespace: ns },
        type: 'Warning',
        reason: 'FailedScheduling',
        message,
        firstTimestamp: at,
        lastTimestamp: at,
        count: 1,
        source: { component: 'default-scheduler' },
      },
    });
    const woke = ok<Detail>(await waiting);
    assert.notEqual(woke.revision, first.revision);
    assert.ok(
      woke.events.some((e) => e.reason === 'FailedScheduling' && e.message === message),
      JSON.stringify(woke.events),
    );
    // Unchanged since: the wait ends after its time with the same revision.
    const quiet = ok<Detail>(
      await api('GET', ns, `inferenceservices/iris?since=${woke.revision}&waitSeconds=1`),
    );
    assert.equal(quiet.revision, woke.revision);
  });

  it('sends a V1 and a V2 test request to the stand-in predictor and shows its answer', async () => {
    const v1 = ok<{ status: number; body: { predictions: number[] }; latencyMs: number; url: string }>(
      await api('POST', ns, 'inferenceservices/iris/predict', {
        protocol: 'v1',
        body: {
          instances: [
            [6.8, 2.8, 4.8, 1.4],
            [0.1, 0.2, 9, 0.3],
          ],
        },
      }),
    );
    assert.equal(v1.status, 200);
    assert.deepEqual(v1.body, { predictions: [0, 2] });
    assert.equal(v1.url, `${predictor.url}/v1/models/iris:predict`);
    assert.ok(v1.latencyMs >= 0);
    const v2 = ok<{ status: number; body: { model_name: string; outputs: { data: number[] }[] } }>(
      await api('POST', ns, 'inferenceservices/iris/predict', {
        protocol: 'v2',
        body: { inputs: [{ name: 'input-0', shape: [1, 3], datatype: 'FP32', data: [1, 5, 2] }] },
      }),
    );
    assert.equal(v2.body.model_name, 'iris');
    assert.deepEqual(v2.body.outputs[0]?.data, [1]);
    // The predictor's own refusal is an answer the form shows, not a backend error.
    const refused = ok<{ status: number; body: { error: string } }>(
      await api('POST', ns, 'inferenceservices/iris/predict', { protocol: 'v1', body: { inputs: [] } }),
    );
    assert.equal(refused.status, 400);
    assert.match(refused.body.error, /instances/);
    assert.equal(predictor.requests.length, 3);
  });

  it("refuses a test request to an address outside the project that someone wrote into the service's status", async () => {
    await setStatus(ns, 'iris', {
      url: 'http://iris.team-a.example.com',
      address: { url: 'http://kubernetes.default.svc.cluster.local' },
    });
    const res = await api('POST', ns, 'inferenceservices/iris/predict', {
      protocol: 'v1',
      body: { instances: [[1, 2]] },
    });
    assert.equal(res.status, 409, JSON.stringify(res.body));
    const body = res.body as { message: string; details: { other?: string } };
    assert.equal(body.details.other, 'default');
    assert.match(body.message, /default/);
    assert.equal(predictor.requests.length, 3, 'nothing was sent');
    await setStatus(ns, 'iris', { url: predictor.url, address: null });
  });

  it('rolls out version 2 as a 10 % canary with both revisions shown, then promotes it', async () => {
    const canary = ok<Summary>(
      await api('PATCH', ns, 'inferenceservices/iris', { action: 'canary', version: 2, percent: 10 }),
    );
    assert.deepEqual(canary.canary, { percent: 10, previous: { name: 'iris', version: 1 } });
    let spec = await stored(ns, 'iris');
    assert.equal(spec.spec.predictor.canaryTrafficPercent, 10);
    assert.equal(spec.spec.predictor.model.storageUri, 'pvc://models/iris/2');
    assert.equal(spec.spec.predictor.model.resources.limits['nvidia.com/gpu'], '1', 'resources kept');
    assert.equal(
      (await api('PATCH', ns, 'inferenceservices/iris', { action: 'canary', version: 2, percent: 20 }))
        .status,
      409,
      'one canary at a time',
    );

    await setStatus(ns, 'iris', {
      components: {
        predictor: {
          latestReadyRevision: 'iris-predictor-00002',
          previousRolledoutRevision: 'iris-predictor-00001',
          traffic: [
            { revisionName: 'iris-predictor-00002', percent: 10, latestRevision: true, tag: 'latest' },
            { revisionName: 'iris-predictor-00001', percent: 90, latestRevision: false, tag: 'prev' },
          ],
        },
      },
    });
    const both = ok<Summary>(await api('GET', ns, 'inferenceservices/iris'));
    assert.deepEqual(
      both.traffic.map((t) => [t.revisionName, t.percent, t.model?.version]),
      [
        ['iris-predictor-00002', 10, 2],
        ['iris-predictor-00001', 90, 1],
      ],
    );

    const promoted = ok<Summary>(await api('PATCH', ns, 'inferenceservices/iris', { action: 'promote' }));
    assert.equal(promoted.canary, undefined);
    assert.deepEqual(promoted.model, { name: 'iris', version: 2 });
    spec = await stored(ns, 'iris');
    assert.equal(spec.spec.predictor.canaryTrafficPercent, undefined, 'all traffic to the latest revision');
    await setStatus(ns, 'iris', {
      components: {
        predictor: {
          latestReadyRevision: 'iris-predictor-00002',
          traffic: [{ revisionName: 'iris-predictor-00002', percent: 100, latestRevision: true }],
        },
      },
    });
    const after = ok<Summary>(await api('GET', ns, 'inferenceservices/iris'));
    assert.deepEqual(
      after.traffic.map((t) => [t.percent, t.model?.version]),
      [[100, 2]],
    );
  });

  it('rolls a canary back: the previous version serves everything again', async () => {
    const canary = ok<Summary>(
      await api('PATCH', ns, 'inferenceservices/iris', { action: 'canary', version: 1, percent: 20 }),
    );
    assert.deepEqual(canary.canary, { percent: 20, previous: { name: 'iris', version: 2 } });
    const back = ok<Summary>(await api('PATCH', ns, 'inferenceservices/iris', { action: 'rollback' }));
    assert.equal(back.canary, undefined);
    assert.deepEqual(back.model, { name: 'iris', version: 2 });
    const spec = await stored(ns, 'iris');
    assert.equal(spec.spec.predictor.canaryTrafficPercent, undefined);
    assert.equal(spec.spec.predictor.model.storageUri, 'pvc://models/iris/2');
    assert.equal(spec.metadata.labels['ml-apps.ks-gpu-ml.io/model-version'], '2');
    const again = await api('PATCH', ns, 'inferenceservices/iris', { action: 'rollback' });
    assert.equal(again.status, 409, 'no canary to roll back');
  });

  it("shows a model load failure with the controller's own message", async () => {
    ok(await api('POST', ns, 'inferenceservices', deployBody('iris-broken', 2)));
    const message =
      'Failed to load model iris-broken: model file /mnt/models/model.joblib not found (storage initializer copied 0 files)';
    await setStatus(ns, 'iris-broken', {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'RevisionFailed',
          message: 'Revision "iris-broken-predictor-00001" failed',
        },
      ],
      modelStatus: {
        transitionStatus: 'BlockedByFailedLoad',
        states: { activeModelState: '', targetModelState: 'FailedToLoad' },
        lastFailureInfo: { reason: 'ModelLoadFailed', message, location: 'iris-broken-predictor-abc' },
      },
    });
    const detail = ok<Summary & { modelStatus: { lastFailureInfo: { message: string } } }>(
      await api('GET', ns, 'inferenceservices/iris-broken'),
    );
    assert.deepEqual(detail.status, { phase: 'failed', reason: 'ModelLoadFailed', message });
    assert.equal(detail.modelStatus.lastFailureInfo.message, message);
    ok(await api('DELETE', ns, 'inferenceservices/iris-broken'));
    assert.equal((await api('GET', ns, 'inferenceservices/iris-broken')).status, 404);
  });

  it('serves a version as an LLMInferenceService with its GPUs and the managed router', async () => {
    const options = ok<{ llmInferenceService: boolean }>(await api('GET', ns, 'servingoptions'));
    assert.equal(options.llmInferenceService, true);
    const body = {
      name: 'iris-llm',
      model: 'iris',
      version: 2,
      replicas: 1,
      cpu: 2,
      memory: '8Gi',
      gpu: { resource: 'nvidia.com/gpu', count: 1 },
      router: true,
    };
    assert.deepEqual(ok(await api('POST', ns, 'llminferenceservices', body)), { name: 'iris-llm' });
    const llm = (await custom.getNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1alpha1',
      plural: 'llminferenceservices',
      namespace: ns,
      name: 'iris-llm',
    })) as {
      metadata: { labels: Record<string, string> };
      spec: {
        model: { uri: string; name: string };
        replicas: number;
        template: { containers: { name: string; resources: { limits: Record<string, string> } }[] };
        router?: Record<string, unknown>;
      };
    };
    assert.deepEqual(llm.spec.model, { uri: 'pvc://models/iris/2', name: 'iris' });
    assert.equal(llm.spec.replicas, 1);
    assert.equal(llm.spec.template.containers[0]?.resources.limits['nvidia.com/gpu'], '1');
    assert.deepEqual(llm.spec.router, { scheduler: {}, route: {}, gateway: {} });
    assert.equal(llm.metadata.labels['ml-apps.ks-gpu-ml.io/model-version'], '2');
    const again = await api('POST', ns, 'llminferenceservices', body);
    assert.equal(again.status, 409, 'the name is taken');
    const noVersion = await api('POST', ns, 'llminferenceservices', { ...body, name: 'x', version: 99 });
    assert.equal(noVersion.status, 404);
  });

  it('lists the LLMInferenceService from the watch: waiting, then Ready with its URL and workload pod', async () => {
    const llmOf = (list: List) => list.llmItems?.find((s) => s.name === 'iris-llm');
    const first = await listUntil(ns, (_items, list) => llmOf(list) !== undefined);
    const waiting = llmOf(first)!;
    assert.equal(waiting.status.phase, 'waiting');
    assert.deepEqual(waiting.model, { name: 'iris', version: 2 });
    assert.deepEqual(waiting.replicas, { desired: 1, ready: 0, pods: 0 });
    assert.deepEqual(waiting.gpus, [{ resource: 'nvidia.com/gpu', count: 1 }]);
    assert.equal(waiting.router, true);

    // Playing KServe's llmisvc controller: a sub-condition saying which part is not ready, verbatim.
    const status = (body: Record<string, unknown>) =>
      custom.patchNamespacedCustomObjectStatus(
        { ...LLM, namespace: ns, name: 'iris-llm', body: { status: body } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    await status({
      conditions: [
        { type: 'Ready', status: 'False', reason: 'WorkloadsNotReady', message: 'workloads are not ready' },
        {
          type: 'MainWorkloadReady',
          status: 'False',
          reason: 'MinimumReplicasUnavailable',
          message: 'Deployment does not have minimum availability.',
        },
      ],
    });
    const said = await listUntil(
      ns,
      (_i, list) => llmOf(list)?.status.reason === 'MinimumReplicasUnavailable',
    );
    assert.deepEqual(llmOf(said)?.status, {
      phase: 'waiting',
      reason: 'MinimumReplicasUnavailable',
      message: 'Deployment does not have minimum availability.',
    });

    // Its workload pod as the controller labels it; the scheduler places it on a KWOK GPU node, which runs it.
    await core.createNamespacedPod({
      namespace: ns,
      body: {
        metadata: {
          name: 'iris-llm-kserve-0',
          labels: {
            'app.kubernetes.io/name': 'iris-llm',
            'app.kubernetes.io/part-of': 'llminferenceservice',
            'app.kubernetes.io/component': 'llminferenceservice-workload',
          },
        },
        spec: {
          containers: [
            {
              name: 'main',
              image: 'sandbox.local/vllm:1',
              resources: { limits: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': '1' } },
            },
          ],
        },
      },
    });
    await status({
      url: `http://iris-llm.${ns}.svc.cluster.local`,
      conditions: [{ type: 'Ready', status: 'True' }],
    });
    const ready = await listUntil(
      ns,
      (_i, list) => llmOf(list)?.status.phase === 'ready' && llmOf(list)?.replicas.ready === 1,
      20,
    );
    const served = llmOf(ready)!;
    assert.equal(served.url, `http://iris-llm.${ns}.svc.cluster.local`);
    assert.deepEqual(served.replicas, { desired: 1, ready: 1, pods: 1 });
    assert.ok(!ready.items.some((s) => s.name === 'iris-llm'), 'not among the InferenceServices');

    type LlmDetail = LlmSummary & {
      conditions: { type: string; status: string }[];
      pods: { name: string; component?: string; status: { phase: string } }[];
    };
    const detail = ok<LlmDetail>(await api('GET', ns, 'llminferenceservices/iris-llm'));
    assert.deepEqual(detail.conditions, [{ type: 'Ready', status: 'True' }]);
    assert.deepEqual(
      detail.pods.map((p) => [p.name, p.component, p.status.phase]),
      [['iris-llm-kserve-0', 'workload', 'ready']],
    );
    assert.equal((await api('GET', ns, 'llminferenceservices/no-such')).status, 404);

    await core.deleteNamespacedPod({ namespace: ns, name: 'iris-llm-kserve-0', gracePeriodSeconds: 0 });
    ok(await api('DELETE', ns, 'llminferenceservices/iris-llm'));
    const gone = await listUntil(ns, (_i, list) => llmOf(list) === undefined);
    assert.equal(llmOf(gone), undefined);
    assert.equal((await api('DELETE', ns, 'llminferenceservices/iris-llm')).status, 404);
  });

  it('deploys a transformer beside the predictor when the form names one', async () => {
    const transformer = { image: 'sandbox.local/iris-transformer:1', cpu: 0.5, memory: '512Mi' };
    ok(await api('POST', ns, 'inferenceservices', deployBody('iris-tr', 2, { transformer })));
    const isvc = (await custom.getNamespacedCustomObject({ ...KSERVE, namespace: ns, name: 'iris-tr' })) as {
      spec: { transformer?: { containers: { name: string; image: string }[]; maxReplicas: number } };
    };
    assert.deepEqual(
      isvc.spec.transformer?.containers.map((c) => [c.name, c.image]),
      [['kserve-container', transformer.image]],
    );
    assert.equal(isvc.spec.transformer?.maxReplicas, 2);
    ok(await api('DELETE', ns, 'inferenceservices/iris-tr'));
  });

  it('refuses an over-quota deploy before creating anything, and a runtime that does not serve the format', async () => {
    await gpuQuota(ns, 1);
    const refused = await api(
      'POST',
      ns,
      'inferenceservices',
      deployBody('iris-big', 1, {
        gpu: { resource: 'nvidia.com/gpu', count: 1 },
        minReplicas: 2,
        maxReplicas: 2,
      }),
    );
    assert.equal(refused.status, 409, JSON.stringify(refused.body));
    assert.equal(refused.body.reason, 'Conflict');
    const refusals = (refused.body.details as { refusals: { source: string; asked: number; max?: number }[] })
      .refusals;
    assert.deepEqual(
      refusals.filter((r) => r.source === 'quota').map((r) => [r.asked, r.max]),
      [[2, 1]],
    );
    await assert.rejects(
      custom.getNamespacedCustomObject({ ...KSERVE, namespace: ns, name: 'iris-big' }),
      'nothing created',
    );

    const wrongRuntime = await api(
      'POST',
      ns,
      'inferenceservices',
      deployBody('iris-x', 1, { runtime: { kind: 'ClusterServingRuntime', name: 'no-such-runtime' } }),
    );
    assert.equal(wrongRuntime.status, 400);
    assert.equal((wrongRuntime.body.details as { field?: string }).field, 'body.runtime.name');
  });
});
