// The Serving page offers each button only to a caller the self access review of its route allows (docs/adr/0020):
// a project viewer reads both lists without deploy, canary, promote, roll back, test request or delete; an editor
// is offered them all.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screen, waitFor, within } from '@testing-library/react';
import { mlAppsServingRoutes } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { SERVING_IDS } from '../serving-ids.js';
import { inferenceService, llmService } from '../testing/fixtures.js';
import { openPage, rowFinder, servePage } from '../testing/pages.js';
import { answerReview, review } from '../testing/review.js';

const server = servePage('serving', (s) =>
  s.on(mlAppsServingRoutes.listInferenceServices, () =>
    ok({
      items: [
        inferenceService('plain'),
        inferenceService('rolling', { canary: { percent: 10, previous: { name: 'iris', version: 1 } } }),
      ],
      llmItems: [llmService('chat')],
    }),
  ),
);

const rowOf = rowFinder(SERVING_IDS.serviceRow);
const ACTIONS = [
  SERVING_IDS.newService,
  SERVING_IDS.canaryOpen,
  SERVING_IDS.promote,
  SERVING_IDS.rollback,
  SERVING_IDS.testOpen,
  SERVING_IDS.serviceDelete,
  SERVING_IDS.llmDelete,
];

test('a viewer reads both lists but is offered no deploy, canary, promote, roll back, test or delete', async () => {
  answerReview(server, false);
  openPage('serving');
  await rowOf('plain');
  await rowOf('rolling');
  await rowFinder(SERVING_IDS.llmRow)('chat');
  const asked = () =>
    server.callsTo(review).map((c) => {
      const b = c.body as { verb: string; resource: string; subresource?: string };
      return `${b.verb} ${b.resource}${b.subresource ? `/${b.subresource}` : ''}`;
    });
  await waitFor(() =>
    assert.deepEqual([...new Set(asked())].sort(), [
      'create inferenceservices',
      'create inferenceservices/predict',
      'create llminferenceservices',

      'delete inferenceservices',
      'delete llminferenceservices',
      'patch inferenceservices',
    ]),
  );
  for (const id of ACTIONS) assert.equal(screen.queryByTestId(id), null, id);
});

test('an editor is offered every action', async () => {
  openPage('serving');
  await screen.findByTestId(SERVING_IDS.newService);
  const plain = within(await rowOf('plain'));
  await plain.findByTestId(SERVING_IDS.canaryOpen);
  await plain.findByTestId(SERVING_IDS.testOpen);
  await plain.findByTestId(SERVING_IDS.serviceDelete);
  const rolling = within(await rowOf('rolling'));
  await rolling.findByTestId(SERVING_IDS.promote);
  await rolling.findByTestId(SERVING_IDS.rollback);
  await within(await rowFinder(SERVING_IDS.llmRow)('chat')).findByTestId(SERVING_IDS.llmDelete);
});
