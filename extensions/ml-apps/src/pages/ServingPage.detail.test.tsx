// The serving detail follows the backend on its own: once open it waits with its revision (`since`), and a new
// warning about one of the service's pods shows in the panel though the list did not change.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  mlAppsServingRoutes,
  type InferenceServiceDetail,
  type InferenceServiceSummary,
} from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { SERVING_IDS } from '../serving-ids.js';
import { openPage, servePage } from '../testing/pages.js';

const iris: InferenceServiceSummary = {
  name: 'iris',
  namespace: 'team-a',
  status: { phase: 'waiting' },
  replicas: { ready: 0, pods: 1 },
  gpus: [],
  traffic: [],
  createdAt: new Date().toISOString(),
};

const detail = (revision: string, events: InferenceServiceDetail['events']): InferenceServiceDetail => ({
  ...iris,
  revision,
  conditions: [],
  pods: [{ name: 'iris-predictor-0', component: 'predictor', status: { phase: 'waiting' } }],
  events,
});

const WARNING = {
  object: 'Pod/iris-predictor-0',
  reason: 'FailedScheduling',
  message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.',
};

const server = servePage('serving', (s) =>
  s
    // The list never changes: only the detail's own wait can bring the warning.
    .on(mlAppsServingRoutes.listInferenceServices, async (call) => {
      if (call.query.get('since')) await new Promise((resolve) => setTimeout(resolve, 5_000));
      return ok({ items: [iris], revision: 'l1' });
    })
    .on(mlAppsServingRoutes.getInferenceService, async (call) => {
      const since = call.query.get('since');
      if (!since) return ok(detail('d1', []));
      await new Promise((resolve) => setTimeout(resolve, 20));
      return ok(detail('d2', [WARNING]));
    }),
);

test('an open detail waits with its revision and shows a new warning about its pod', async () => {
  openPage('serving');
  fireEvent.click(await screen.findByTestId(SERVING_IDS.detailsOpen));
  const panel = await screen.findByTestId(SERVING_IDS.details);
  await waitFor(() => assert.match(panel.textContent ?? '', /Insufficient nvidia\.com\/gpu/));
  const waits = server.callsTo(mlAppsServingRoutes.getInferenceService).map((c) => c.query.get('since'));
  assert.deepEqual(waits.slice(0, 2), [null, 'd1'], 'the detail, then a wait from its revision');
});
