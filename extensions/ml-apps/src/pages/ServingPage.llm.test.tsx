// The Serving page's LLMInferenceServices: listed beside the InferenceServices from the same watched list when the
// cluster serves the CRD (readiness in the controller's words, URL, version, replicas, GPUs), deleted after the
// confirmation; no such table where the backend says the CRD is not served.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mlAppsServingRoutes } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { SERVING_IDS } from '../serving-ids.js';
import { llmService } from '../testing/fixtures.js';
import { openPage, rowFinder, servePage } from '../testing/pages.js';

const server = servePage('serving', (s) =>
  s
    .on(mlAppsServingRoutes.listInferenceServices, () =>
      ok({
        items: [],
        llmItems: [
          llmService('chat', { url: 'http://chat.team-a.svc.cluster.local', gpuHours: 4 }),
          llmService('chat-broken', {
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
    .on(mlAppsServingRoutes.deleteLLMInferenceService, (call) => ok({ name: call.params.name! }))
    .on(mlAppsServingRoutes.getLLMInferenceService, (call) =>
      ok({
        ...llmService(call.params.name!),
        conditions: [
          { type: 'Ready', status: 'False', reason: 'WorkloadsNotReady' },
          {
            type: 'MainWorkloadReady',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
        ],
        pods: [
          {
            name: 'chat-broken-kserve-0',
            component: 'workload',
            status: { phase: 'waiting', reason: 'FailedScheduling' },
          },
        ],
        events: [
          {
            object: 'Pod/chat-broken-kserve-0',
            reason: 'FailedScheduling',
            message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
          },
        ],
      }),
    ),
);

const rowOf = rowFinder(SERVING_IDS.llmRow);

test('LLMInferenceServices are listed with readiness, URL, version, replicas and GPUs', async () => {
  openPage('serving');
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
  // Both kinds listed: each table is named.
  assert.deepEqual(
    screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent),
    ['InferenceServices', 'LLMInferenceServices'],
  );
});

test('the details of an LLMInferenceService show its conditions, its pods by part and the warnings, without a log button', async () => {
  openPage('serving');
  const broken = await rowOf('chat-broken');
  fireEvent.click(within(broken).getByTestId(SERVING_IDS.llmDetailsOpen));
  const panel = await screen.findByTestId(SERVING_IDS.llmDetails);
  assert.equal(server.callsTo(mlAppsServingRoutes.getLLMInferenceService)[0]?.params.name, 'chat-broken');
  assert.match(
    panel.textContent ?? '',
    /MainWorkloadReady=False · MinimumReplicasUnavailable: Deployment does not/,
  );
  const pod = within(panel).getByTestId(SERVING_IDS.pod);
  assert.match(pod.textContent ?? '', /^workload · chat-broken-kserve-0/);
  assert.equal(within(pod).queryByTestId(SERVING_IDS.podLogOpen), null);
  assert.match(
    panel.textContent ?? '',
    /Pod\/chat-broken-kserve-0 · FailedScheduling: 0\/3 nodes are available/,
  );
});

test('an LLMInferenceService is deleted only after the confirmation', async () => {
  openPage('serving');
  const chat = await rowOf('chat');
  fireEvent.click(within(chat).getByTestId(SERVING_IDS.llmDelete));
  assert.equal(server.callsTo(mlAppsServingRoutes.deleteLLMInferenceService).length, 0);
  fireEvent.click(await screen.findByTestId(ML_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(mlAppsServingRoutes.deleteLLMInferenceService).length, 1));
  assert.equal(server.callsTo(mlAppsServingRoutes.deleteLLMInferenceService)[0]?.params.name, 'chat');
});

test('without LLMInferenceService served (no llmItems) there is no LLM table', async () => {
  server.on(mlAppsServingRoutes.listInferenceServices, () => ok({ items: [] }));
  openPage('serving');
  await screen.findByTestId(SERVING_IDS.newService);
  assert.equal(screen.queryByTestId(SERVING_IDS.llmServices), null);
  assert.equal(screen.queryByRole('heading', { level: 3 }), null);
});
