// The Serving page's LLMInferenceServices: listed beside the InferenceServices from the same watched list when the
// cluster serves the CRD (readiness in the controller's words, URL, version, replicas, GPUs), deleted after the
// confirmation; no such table where the backend says the CRD is not served.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mlAppsRoutes, mlAppsServingRoutes, type LLMInferenceServiceSummary } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ML_IDS } from '../test-ids.js';
import { SERVING_IDS } from '../serving-ids.js';
import { ServingPage } from './ServingPage.js';

const llm = (name: string, extra: Partial<LLMInferenceServiceSummary> = {}): LLMInferenceServiceSummary => ({
  name,
  namespace: 'team-a',
  model: { name: 'llama', version: 3 },
  modelUri: 'hf://org/llama',
  modelName: 'llama',
  status: { phase: 'ready' },
  replicas: { desired: 2, ready: 2, pods: 2 },
  gpus: [{ resource: 'nvidia.com/gpu', count: 2 }],
  router: true,
  createdAt: new Date(Date.now() - 600_000).toISOString(),
  ...extra,
});

const server = serveEachTest(locales, (s) =>
  s
    .on(mlAppsRoutes.listOperators, () =>
      ok({
        items: [
          {
            id: 'inferenceservices',
            group: 'serving.kserve.io',
            version: 'v1beta1',
            kind: 'InferenceService',
            resource: 'inferenceservices',
            installed: true,
          },
        ],
      }),
    )
    .on(mlAppsServingRoutes.listInferenceServices, () =>
      ok({
        items: [],
        llmItems: [
          llm('chat', { url: 'http://chat.team-a.svc.cluster.local', gpuHours: 4 }),
          llm('chat-broken', {
            status: {
              phase: 'waiting',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            },
            replicas: { desired: 1, ready: 0, pods: 1 },
            router: false,
          }),
        ],
      }),
    )
    .on(mlAppsServingRoutes.deleteLLMInferenceService, (call) => ok({ name: call.params.name! })),
);

const openPage = () =>
  renderPage(<ServingPage />, {
    path: '/workspaces/:workspace/ml-apps/projects/:namespace/serving',
    at: '/workspaces/ws-a/ml-apps/projects/team-a/serving',
  });

const rowOf = async (name: string) =>
  (await screen.findAllByTestId(SERVING_IDS.llmRow)).find((el) => el.textContent === name)!.closest('tr')!;

test('LLMInferenceServices are listed with readiness, URL, version, replicas and GPUs', async () => {
  openPage();
  const chat = await rowOf('chat');
  assert.match(chat.querySelector(`[data-testid="${SERVING_IDS.llmStatus}"]`)?.textContent ?? '', /^Ready/);
  assert.match(
    chat.textContent ?? '',
    /http:\/\/chat\.team-a\.svc\.cluster\.local.*llama v3.*2\/2.*2 × nvidia\.com\/gpu.*4.*KServe-managed/,
  );
  const broken = await rowOf('chat-broken');
  const status = broken.querySelector(`[data-testid="${SERVING_IDS.llmStatus}"]`)!;
  assert.match(status.textContent ?? '', /^Waiting · MinimumReplicasUnavailable/);
  assert.equal(
    status.querySelector(`[data-testid="${ML_IDS.statusMessage}"]`)?.textContent,
    'Deployment does not have minimum availability.',
  );
  assert.match(broken.textContent ?? '', /0\/1/);
});

test('an LLMInferenceService is deleted only after the confirmation', async () => {
  openPage();
  const chat = await rowOf('chat');
  fireEvent.click(within(chat).getByTestId(SERVING_IDS.llmDelete));
  assert.equal(server.callsTo(mlAppsServingRoutes.deleteLLMInferenceService).length, 0);
  fireEvent.click(await screen.findByTestId(ML_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(mlAppsServingRoutes.deleteLLMInferenceService).length, 1));
  assert.equal(server.callsTo(mlAppsServingRoutes.deleteLLMInferenceService)[0]?.params.name, 'chat');
});

test('without LLMInferenceService served (no llmItems) there is no LLM table', async () => {
  server.on(mlAppsServingRoutes.listInferenceServices, () => ok({ items: [] }));
  openPage();
  await screen.findByTestId(SERVING_IDS.newService);
  assert.equal(screen.queryByTestId(SERVING_IDS.llmServices), null);
});
