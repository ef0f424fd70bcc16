// The Models page as a project member uses it: models with their counts, a model's versions with stage and
// history, registering a model sends the contract's body (a bad storage URI refused before any request), and
// moving a version to production sends the stage change.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { mlAppsModelRoutes, mlAppsRoutes, type ModelCreate, type ModelDetail } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { SERVING_IDS } from '../serving-ids.js';
import { answerReview, review } from '../testing/review.js';
import { ModelsPage } from './ModelsPage.js';

const at = new Date(Date.now() - 3_600_000).toISOString();
const iris: ModelDetail = {
  name: 'iris',
  namespace: 'team-a',
  createdBy: 'alice',
  createdAt: at,
  versionCount: 2,
  latestVersion: 2,
  productionVersion: 1,
  versions: [
    {
      version: 2,
      format: 'sklearn',
      storageUri: 'pvc://models/iris/2',
      metrics: {},
      parameters: {},
      stage: 'none',
      createdBy: 'bob',
      createdAt: at,
      updatedBy: 'bob',
      updatedAt: at,
    },
    {
      version: 1,
      format: 'sklearn',
      storageUri: 's3://models/iris/1',
      frameworkVersion: 'scikit-learn 1.5',
      metrics: { accuracy: 0.97 },
      parameters: { C: '1.0' },
      trainJob: 'iris-train',
      stage: 'production',
      createdBy: 'alice',
      createdAt: at,
      updatedBy: 'carol',
      updatedAt: at,
    },
  ],
  history: [
    { at, by: 'carol', action: 'stage-changed', version: 1, from: 'staging', to: 'production' },
    { at, by: 'alice', action: 'model-created' },
  ],
};

// A project member who may edit: every self access review allowed, unless a test answers otherwise.
const server = serveEachTest(locales, (s) =>
  answerReview(s, true)
    .on(mlAppsRoutes.listOperators, () => ok({ items: [] }))
    .on(mlAppsModelRoutes.listModels, () =>
      ok({ items: [iris].map(({ versions: _v, history: _h, ...m }) => m) }),
    )
    .on(mlAppsModelRoutes.getModel, () => ok(iris)),
);

const openPage = () =>
  renderPage(<ModelsPage />, {
    path: '/workspaces/:workspace/ml-apps/projects/:namespace/models',
    at: '/workspaces/ws-a/ml-apps/projects/team-a/models',
  });

test("lists models; a model's versions show format, URI, metrics, TrainJob, stage and who changed what", async () => {
  openPage();
  const row = (await screen.findByTestId(SERVING_IDS.modelRow)).closest('tr')!;
  assert.match(row.textContent ?? '', /iris.*2.*v2.*v1.*alice/);
  fireEvent.click(screen.getByTestId(SERVING_IDS.modelRow));
  const versions = await screen.findByTestId(SERVING_IDS.versions);
  await waitFor(() => assert.equal(screen.getAllByTestId(SERVING_IDS.versionRow).length, 2));
  assert.match(versions.textContent ?? '', /s3:\/\/models\/iris\/1/);
  assert.match(versions.textContent ?? '', /accuracy=0\.97, C=1\.0/);
  assert.match(versions.textContent ?? '', /iris-train/);
  await waitFor(() =>
    assert.equal((screen.getByTestId(SERVING_IDS.stage(1)) as HTMLSelectElement).value, 'production'),
  );
  assert.match(
    screen.getByTestId(SERVING_IDS.history).textContent ?? '',
    /carol moved version 1 from Staging to Production/,
  );
});

test('moving a version to another stage sends the stage change', async () => {
  server.on(mlAppsModelRoutes.updateModelStage, () => ok(iris));
  openPage();
  fireEvent.click(await screen.findByTestId(SERVING_IDS.modelRow));
  // The select once the review allowed it (a plain stage text before).
  const select = await waitFor(() => {
    const el = screen.getByTestId(SERVING_IDS.stage(2));
    assert.equal(el.tagName, 'SELECT');
    return el;
  });
  fireEvent.change(select, { target: { value: 'staging' } });
  await waitFor(() => assert.equal(server.callsTo(mlAppsModelRoutes.updateModelStage).length, 1));
  const call = server.callsTo(mlAppsModelRoutes.updateModelStage)[0]!;
  assert.equal(call.params.name, 'iris');
  assert.deepEqual(call.body, { version: 2, stage: 'staging' });
});

test('registering a model refuses a bad storage URI locally, then sends the contract body', async () => {
  server.on(mlAppsModelRoutes.createModel, () => ok({ ...iris, name: 'digits' }));
  openPage();
  fireEvent.click(await screen.findByTestId(SERVING_IDS.newModel));
  fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'digits' } });
  fireEvent.change(screen.getByLabelText('Format'), { target: { value: 'onnx' } });
  fireEvent.change(screen.getByLabelText('Storage URI (s3://, gs://, pvc://, hf://)'), {
    target: { value: 'ftp://somewhere/model.onnx' },
  });
  fireEvent.click(screen.getByTestId(SERVING_IDS.modelSubmit));
  assert.match((await screen.findByRole('alert')).textContent ?? '', /must start with s3:\/\//);
  assert.equal(server.callsTo(mlAppsModelRoutes.createModel).length, 0);

  fireEvent.change(screen.getByLabelText('Storage URI (s3://, gs://, pvc://, hf://)'), {
    target: { value: 'gs://bucket/digits/1' },
  });
  fireEvent.change(screen.getByLabelText('Training job (TrainJob)'), { target: { value: 'digits-train' } });
  fireEvent.change(screen.getByLabelText('Metrics (name=number, one per line)'), {
    target: { value: 'f1=0.88\nloss = 0.1' },
  });
  fireEvent.click(screen.getByTestId(SERVING_IDS.modelSubmit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsModelRoutes.createModel).length, 1));
  assert.deepEqual(server.callsTo(mlAppsModelRoutes.createModel)[0]!.body as ModelCreate, {
    name: 'digits',
    firstVersion: {
      format: 'onnx',
      storageUri: 'gs://bucket/digits/1',
      metrics: { f1: 0.88, loss: 0.1 },
      trainJob: 'digits-train',
    },
  });
});

test('a model with more versions than a page shows the newest, and older ones on request', async () => {
  const [v2, v1] = iris.versions;
  server.on(mlAppsModelRoutes.getModel, (call) =>
    call.query.get('before') === '2'
      ? ok({ ...iris, versions: [v1!] })
      : ok({ ...iris, versions: [v2!], nextBefore: 2 }),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(SERVING_IDS.modelRow));
  await waitFor(() => assert.deepEqual(rows(), ['v2']));
  fireEvent.click(screen.getByTestId(SERVING_IDS.olderVersions));
  await waitFor(() => assert.deepEqual(rows(), ['v1']));
  assert.equal((screen.getByTestId(SERVING_IDS.olderVersions) as HTMLButtonElement).disabled, true);
  fireEvent.click(screen.getByTestId(SERVING_IDS.newerVersions));
  await waitFor(() => assert.deepEqual(rows(), ['v2']));
});

const rows = () => screen.queryAllByTestId(SERVING_IDS.versionRow).map((r) => r.textContent);

test('a viewer reads models, versions and stages but is offered no register, new version or stage change', async () => {
  answerReview(server, false);
  openPage();
  fireEvent.click(await screen.findByTestId(SERVING_IDS.modelRow));
  await waitFor(() => assert.equal(screen.getAllByTestId(SERVING_IDS.versionRow).length, 2));
  const asked = () =>
    server.callsTo(review).map((c) => {
      const b = c.body as { verb: string; resource: string; subresource?: string; scopeName: string };
      return `${b.verb} ${b.resource}${b.subresource ? `/${b.subresource}` : ''} ${b.scopeName}`;
    });
  await waitFor(() =>
    assert.deepEqual(asked().sort(), [
      'create models team-a',
      'create models/versions team-a',
      'update models/stage team-a',
    ]),
  );
  assert.equal(screen.getByTestId(SERVING_IDS.stage(1)).textContent, 'Production', 'the stage as text');
  assert.equal(screen.getByTestId(SERVING_IDS.stage(1)).tagName, 'SPAN');
  assert.equal(screen.queryByTestId(SERVING_IDS.newModel), null);
  assert.equal(screen.queryByTestId(SERVING_IDS.newVersion), null);
});

test('an editor is offered register, new version and the stage select', async () => {
  openPage();
  await screen.findByTestId(SERVING_IDS.newModel);
  fireEvent.click(await screen.findByTestId(SERVING_IDS.modelRow));
  await screen.findByTestId(SERVING_IDS.newVersion);
  await waitFor(() => assert.equal(screen.getByTestId(SERVING_IDS.stage(2)).tagName, 'SELECT'));
});
