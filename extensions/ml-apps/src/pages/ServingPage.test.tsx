// The Serving page as a project member uses it: a ready service with its URL, version, replicas and GPUs; a model
// that failed to load says why in the controller's words; without KServe the page says what to install; the deploy
// form sends the contract body and shows a pre-check refusal's numbers; a canary shows both revisions and promote
// sends one request; the test request shows the predictor's answer and latency.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  mlAppsModelRoutes,
  mlAppsRoutes,
  mlAppsServingRoutes,
  type InferenceServiceCreate,
  type InferenceServiceDetail,
} from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { SERVING_IDS } from '../serving-ids.js';
import { inferenceService } from '../testing/fixtures.js';
import { openPage, operatorOf, rowFinder, servePage } from '../testing/pages.js';

const LOAD_FAILURE =
  'Failed to load model iris-broken: [Errno 2] No such file or directory: /mnt/models/model.joblib';

const server = servePage('serving', (s) =>
  s
    .on(mlAppsServingRoutes.listInferenceServices, () =>
      ok({
        items: [
          inferenceService('iris', { url: 'http://iris.team-a.example.com', gpuHours: 12.5 }),
          inferenceService('iris-broken', {
            status: { phase: 'failed', reason: 'ModelLoadFailed', message: LOAD_FAILURE },
            replicas: { min: 1, max: 1, ready: 0, pods: 1 },
            gpus: [],
            traffic: [],
          }),
          inferenceService('iris-canary', {
            model: { name: 'iris', version: 3 },
            canary: { percent: 10, previous: { name: 'iris', version: 2 } },
            traffic: [
              {
                revisionName: 'iris-canary-predictor-00002',
                percent: 10,
                latest: true,
                tag: 'latest',
                model: { name: 'iris', version: 3 },
              },
              {
                revisionName: 'iris-canary-predictor-00001',
                percent: 90,
                latest: false,
                tag: 'prev',
                model: { name: 'iris', version: 2 },
              },
            ],
          }),
        ],
      }),
    )
    .on(mlAppsRoutes.getNotebookOptions, () =>
      ok({ images: [], gpus: [{ resource: 'nvidia.com/gpu', models: [], largestFree: 4 }], claims: [] }),
    )
    .on(mlAppsServingRoutes.getServingOptions, () =>
      ok({
        runtimes: [
          {
            kind: 'ClusterServingRuntime',
            name: 'kserve-sklearnserver',
            formats: [{ name: 'sklearn', autoSelect: true }],
            protocolVersions: ['v1', 'v2'],
            disabled: false,
          },
        ],
        llmInferenceService: false,
      }),
    )
    .on(mlAppsModelRoutes.listModels, () =>
      ok({
        items: [
          {
            name: 'iris',
            namespace: 'team-a',
            createdBy: 'alice',
            createdAt: new Date().toISOString(),
            versionCount: 2,
            latestVersion: 2,
          },
        ],
      }),
    ),
);

const rowOf = rowFinder(SERVING_IDS.serviceRow);

test('a ready service shows URL, version, replicas and GPUs; a failed model load says why verbatim', async () => {
  openPage('serving');
  const iris = await rowOf('iris');
  assert.match(
    iris.querySelector(`[data-testid="${SERVING_IDS.serviceStatus}"]`)?.textContent ?? '',
    /^Ready/,
  );
  assert.equal(
    iris.querySelector(`[data-testid="${SERVING_IDS.serviceUrl}"]`)?.textContent,
    'http://iris.team-a.example.com',
  );
  assert.match(iris.textContent ?? '', /iris v2.*1\/1 \(1–3\).*1 × nvidia\.com\/gpu.*12\.5/);
  const broken = await rowOf('iris-broken');
  const status = broken.querySelector(`[data-testid="${SERVING_IDS.serviceStatus}"]`)!;
  assert.match(status.textContent ?? '', /^Failed · ModelLoadFailed/);
  assert.equal(status.querySelector(`[data-testid="${ML_IDS.statusMessage}"]`)?.textContent, LOAD_FAILURE);
});

test('without KServe the page says what to install and lists nothing', async () => {
  server.on(mlAppsRoutes.listOperators, () => ok({ items: [operatorOf('serving', false)] }));
  openPage('serving');
  assert.match((await screen.findByTestId(ML_IDS.operatorMissing)).textContent ?? '', /Install KServe/);
  assert.equal(server.callsTo(mlAppsServingRoutes.listInferenceServices).length, 0);
});

test('the deploy form sends the contract body; a pre-check refusal is shown with its numbers', async () => {
  server.on(mlAppsServingRoutes.createInferenceService, () =>
    refusal(409, 'Conflict', 'The service asks for 2 of requests.nvidia.com/gpu …', {
      refusals: [
        { source: 'quota', resource: 'requests.nvidia.com/gpu', asked: 2, used: 0, max: 1, quota: 'gpus' },
      ],
    }),
  );
  openPage('serving');
  fireEvent.click(await screen.findByTestId(SERVING_IDS.newService));
  fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'iris-gpu' } });
  fireEvent.change(screen.getByLabelText('Runtime'), {
    target: { value: 'ClusterServingRuntime/kserve-sklearnserver' },
  });
  fireEvent.change(screen.getByLabelText('Inference protocol'), { target: { value: 'v2' } });
  fireEvent.change(screen.getByLabelText('GPU per replica'), { target: { value: 'nvidia.com/gpu' } });
  fireEvent.change(screen.getByLabelText('Minimum replicas'), { target: { value: '2' } });
  fireEvent.change(screen.getByLabelText('Maximum replicas'), { target: { value: '4' } });
  fireEvent.click(screen.getByTestId(SERVING_IDS.serviceSubmit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsServingRoutes.createInferenceService).length, 1));
  assert.deepEqual(
    server.callsTo(mlAppsServingRoutes.createInferenceService)[0]!.body as InferenceServiceCreate,
    {
      name: 'iris-gpu',
      model: 'iris',
      version: 2,
      runtime: { kind: 'ClusterServingRuntime', name: 'kserve-sklearnserver' },
      protocolVersion: 'v2',
      cpu: 1,
      memory: '2Gi',
      gpu: { resource: 'nvidia.com/gpu', count: 1 },
      minReplicas: 2,
      maxReplicas: 4,
    },
  );
  assert.match(
    (await screen.findByTestId(ML_IDS.refusal)).textContent ?? '',
    /requests\.nvidia\.com\/gpu: asked 2, 0 used of 1 allowed by quota gpus/,
  );
});

test('a canary shows both revisions with their versions, and promote sends one request', async () => {
  server.on(mlAppsServingRoutes.updateInferenceService, ({ params }) =>
    ok({
      ...inferenceService(params.name ?? ''),
      conditions: [],
      pods: [],
      events: [],
    } as InferenceServiceDetail),
  );
  openPage('serving');
  const row = await rowOf('iris-canary');
  const traffic = row.querySelector(`[data-testid="${SERVING_IDS.traffic}"]`)?.textContent ?? '';
  assert.match(traffic, /10% → iris-canary-predictor-00002 \(v3\)/);
  assert.match(traffic, /90% → iris-canary-predictor-00001 \(v2\)/);
  assert.match(traffic, /Canary: v3 takes 10%, v2 the rest/);
  fireEvent.click(row.querySelector(`[data-testid="${SERVING_IDS.promote}"]`)!);
  await waitFor(() => assert.equal(server.callsTo(mlAppsServingRoutes.updateInferenceService).length, 1));
  const call = server.callsTo(mlAppsServingRoutes.updateInferenceService)[0]!;
  assert.equal(call.params.name, 'iris-canary');
  assert.deepEqual(call.body, { action: 'promote' });
});

test("the test request sends the JSON body and shows the predictor's answer and latency", async () => {
  server.on(mlAppsServingRoutes.predict, () =>
    ok({
      status: 200,
      body: { predictions: [1] },
      latencyMs: 12.5,
      url: 'http://iris/v1/models/iris:predict',
    }),
  );
  openPage('serving');
  fireEvent.click((await rowOf('iris')).querySelector(`[data-testid="${SERVING_IDS.testOpen}"]`)!);
  fireEvent.change(await screen.findByLabelText('Request body (JSON)'), {
    target: { value: '{"instances": [[1, 2, 3, 4]]}' },
  });
  fireEvent.click(screen.getByTestId(SERVING_IDS.testSend));
  const answer = await screen.findByTestId(SERVING_IDS.testAnswer);
  assert.deepEqual(JSON.parse(answer.textContent ?? ''), { predictions: [1] });
  assert.match(screen.getByTestId(SERVING_IDS.testForm).textContent ?? '', /HTTP 200 in 12\.5 ms/);
  const call = server.callsTo(mlAppsServingRoutes.predict)[0]!;
  assert.equal(call.params.name, 'iris');
  assert.deepEqual(call.body, { protocol: 'v1', body: { instances: [[1, 2, 3, 4]] } });
});

test('the list follows the backend: it waits with the last revision and shows the change it answers with', async () => {
  let answered = false;
  server.on(mlAppsServingRoutes.listInferenceServices, async (call) => {
    const since = call.query.get('since');
    if (!since) return ok({ items: [inferenceService('iris')], revision: 'r1' });
    // The backend holds the request until something changes; the second wait is answered unchanged.
    await new Promise((resolve) => setTimeout(resolve, since === 'r1' ? 20 : 200));
    if (since === 'r1') answered = true;
    return ok({ items: [inferenceService('iris'), inferenceService('iris-new')], revision: 'r2' });
  });
  openPage('serving');
  await rowOf('iris');
  // Compared as values, not with a bare assert.ok: on each failed try node:assert would re-read and parse this
  // TypeScript file to word its message, synchronously, which starved the event loop for minutes.
  const names = () => screen.getAllByTestId(SERVING_IDS.serviceRow).map((el) => el.textContent);
  await waitFor(() => assert.deepEqual(names(), ['iris', 'iris-new']));
  assert.equal(answered, true, 'the change came as the answer to the wait from r1');
  const waits = server.callsTo(mlAppsServingRoutes.listInferenceServices).map((c) => c.query.get('since'));
  assert.deepEqual(waits.slice(0, 2), [null, 'r1'], 'the first list, then a wait from its revision');
});

test("the details show the predictor and transformer pods, and a pod's log on request", async () => {
  server
    .on(mlAppsServingRoutes.getInferenceService, ({ params }) =>
      ok({
        ...inferenceService(params.name ?? ''),
        conditions: [{ type: 'Ready', status: 'True' }],
        pods: [
          { name: 'iris-predictor-0', component: 'predictor', node: 'gpu-1', status: { phase: 'ready' } },
          { name: 'iris-transformer-0', component: 'transformer', status: { phase: 'ready' } },
        ],
        events: [],
      } as InferenceServiceDetail),
    )
    .on(mlAppsRoutes.getPodLog, ({ params }) =>
      ok({ pod: params.name ?? '', container: 'kserve-container', log: 'transformer ready on :8080\n' }),
    );
  openPage('serving');
  const row = await rowOf('iris');
  fireEvent.click(row.querySelector(`[data-testid="${SERVING_IDS.detailsOpen}"]`)!);
  const pods = await screen.findAllByTestId(SERVING_IDS.pod);
  assert.deepEqual(
    // Each pod's line starts with its component, name and node.
    pods.map((p) => /^(\w+) · ([\w-]+)/.exec(p.querySelector('span')?.textContent ?? '')?.slice(1)),
    [
      ['predictor', 'iris-predictor-0'],
      ['transformer', 'iris-transformer-0'],
    ],
  );
  fireEvent.click(pods[1]!.querySelector(`[data-testid="${SERVING_IDS.podLogOpen}"]`)!);
  assert.equal((await screen.findByTestId(SERVING_IDS.podLog)).textContent, 'transformer ready on :8080\n');
  assert.equal(server.callsTo(mlAppsRoutes.getPodLog)[0]?.params.name, 'iris-transformer-0');
});

test('the deploy form adds a transformer when an image is given, and refuses a bad amount before sending', async () => {
  server.on(mlAppsServingRoutes.createInferenceService, ({ body }) =>
    ok({ ...inferenceService((body as InferenceServiceCreate).name), conditions: [], pods: [], events: [] }),
  );
  openPage('serving');
  fireEvent.click(await screen.findByTestId(SERVING_IDS.newService));
  fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'iris-t' } });
  fireEvent.change(screen.getByLabelText('Transformer image (optional: pre- and post-processing)'), {
    target: { value: 'registry.local/iris-transformer:1' },
  });
  fireEvent.change(await screen.findByLabelText('Transformer memory per replica'), {
    target: { value: 'lots' },
  });
  fireEvent.click(screen.getByTestId(SERVING_IDS.serviceSubmit));
  await screen.findByText('Memory must be an amount such as 512Mi or 4Gi.');
  assert.equal(server.callsTo(mlAppsServingRoutes.createInferenceService).length, 0);
  fireEvent.change(screen.getByLabelText('Transformer memory per replica'), { target: { value: '1Gi' } });
  fireEvent.click(screen.getByTestId(SERVING_IDS.serviceSubmit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsServingRoutes.createInferenceService).length, 1));
  const body = server.callsTo(mlAppsServingRoutes.createInferenceService)[0]!.body as InferenceServiceCreate;
  assert.deepEqual(body.transformer, { image: 'registry.local/iris-transformer:1', cpu: 0.5, memory: '1Gi' });
  assert.equal(body.explainer, undefined);
});

test('where KServe serves LLMInferenceService, the form serves a version as one; without a GPU it refuses first', async () => {
  server
    .on(mlAppsServingRoutes.getServingOptions, () => ok({ runtimes: [], llmInferenceService: true }))
    .on(mlAppsServingRoutes.createLLMInferenceService, () => ok({ name: 'iris-llm' }));
  openPage('serving');
  fireEvent.click(await screen.findByTestId(SERVING_IDS.newService));
  fireEvent.change(await screen.findByTestId(SERVING_IDS.kind), { target: { value: 'llm' } });
  await screen.findByTestId(SERVING_IDS.llmForm);
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'iris-llm' } });
  fireEvent.click(screen.getByTestId(SERVING_IDS.llmSubmit));
  await screen.findByText('An LLMInferenceService needs GPUs: choose a GPU resource.');
  assert.equal(server.callsTo(mlAppsServingRoutes.createLLMInferenceService).length, 0);
  fireEvent.change(screen.getByLabelText('GPU per replica'), { target: { value: 'nvidia.com/gpu' } });
  fireEvent.click(screen.getByLabelText("KServe's managed router (scheduler, HTTPRoute and Gateway)"));
  fireEvent.click(screen.getByTestId(SERVING_IDS.llmSubmit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsServingRoutes.createLLMInferenceService).length, 1));
  assert.deepEqual(server.callsTo(mlAppsServingRoutes.createLLMInferenceService)[0]!.body, {
    name: 'iris-llm',
    model: 'iris',
    version: 2,
    replicas: 1,
    cpu: 4,
    memory: '16Gi',
    gpu: { resource: 'nvidia.com/gpu', count: 1 },
    router: true,
  });
});

test('without LLMInferenceService served, the form offers InferenceService only', async () => {
  openPage('serving');
  fireEvent.click(await screen.findByTestId(SERVING_IDS.newService));
  await screen.findByTestId(SERVING_IDS.serviceForm);
  assert.equal(screen.queryByTestId(SERVING_IDS.kind), null);
});
