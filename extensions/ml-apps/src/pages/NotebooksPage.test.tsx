// The notebooks page as a project member uses it: a waiting notebook says why in the scheduler's words, a missing
// operator says what to install, the create form sends the contract's body and shows a pre-check refusal with its
// numbers, and stop / delete happen only after a confirmation.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { mlAppsRoutes, type Notebook, type NotebookCreate } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { openPage, operatorOf, rowFinder, servePage } from '../testing/pages.js';
import { answerReview, review } from '../testing/review.js';

const SCHEDULER = '0/6 nodes are available: 6 Insufficient nvidia.com/gpu.';

const notebook = (name: string, status: Notebook['status'], extra: Partial<Notebook> = {}): Notebook => ({
  name,
  namespace: 'team-a',
  image: 'jupyter:1',
  status,
  cpu: 0.5,
  memoryBytes: 2 ** 30,
  gpus: [],
  createdAt: new Date(Date.now() - 3 * 3_600_000).toISOString(),
  ...extra,
});

const server = servePage('notebooks', (s) =>
  s
    .on(mlAppsRoutes.listNotebooks, () =>
      ok({
        items: [
          notebook(
            'busy',
            { phase: 'waiting', reason: 'Unschedulable', message: SCHEDULER },
            {
              gpus: [{ resource: 'nvidia.com/gpu', count: 2 }],
            },
          ),
          notebook(
            'ready',
            { phase: 'running' },
            { lastActivity: new Date(Date.now() - 20 * 60_000).toISOString() },
          ),
        ],
      }),
    )
    .on(mlAppsRoutes.getNotebookOptions, () =>
      ok({
        images: ['jupyter:1', 'pytorch:1'],
        gpus: [{ resource: 'nvidia.com/gpu', models: ['A100', 'H100'], largestFree: 8 }],
        claims: ['datasets'],
      }),
    ),
);

const rowOf = rowFinder(ML_IDS.notebookRow);

test('a waiting notebook shows the scheduler message verbatim, never Running; figures and last activity per row', async () => {
  openPage('notebooks');
  const busy = await rowOf('busy');
  assert.match(busy.textContent ?? '', /Waiting · Unschedulable/);
  assert.equal(busy.querySelector(`[data-testid="${ML_IDS.statusMessage}"]`)?.textContent, SCHEDULER);
  assert.doesNotMatch(busy.textContent ?? '', /Running/);
  assert.match(busy.textContent ?? '', /2 × nvidia\.com\/gpu/);
  assert.match(busy.textContent ?? '', /500 m.*1 Gi.*3h/);
  assert.match((await rowOf('ready')).textContent ?? '', /Running.*20m.*3h/, 'last activity, then age');
});

test('without the Notebook operator the page says what to install and asks for no notebooks', async () => {
  server.on(mlAppsRoutes.listOperators, () => ok({ items: [operatorOf('notebooks', false)] }));
  openPage('notebooks');
  const missing = await screen.findByTestId(ML_IDS.operatorMissing);
  assert.match(missing.textContent ?? '', /Install Kubeflow Notebooks/);
  assert.equal(server.callsTo(mlAppsRoutes.listNotebooks).length, 0);
  assert.equal(screen.queryByTestId(ML_IDS.newNotebook), null);
});

test('the create form sends the contract body; a pre-check refusal is shown with its numbers', async () => {
  server.on(mlAppsRoutes.createNotebook, () =>
    refusal(409, 'Conflict', 'The notebook asks for 2 of requests.nvidia.com/gpu …', {
      refusals: [
        { source: 'quota', resource: 'requests.nvidia.com/gpu', asked: 2, used: 1, max: 2, quota: 'gpus' },
      ],
    }),
  );
  openPage('notebooks');
  fireEvent.click(await screen.findByTestId(ML_IDS.newNotebook));
  fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'Bad Name' } });
  fireEvent.click(screen.getByTestId(ML_IDS.submit));
  assert.match((await screen.findByTestId(ML_IDS.formError)).textContent ?? '', /lowercase letters/);
  assert.equal(server.callsTo(mlAppsRoutes.createNotebook).length, 0, 'bad text sends nothing');

  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'nb-1' } });
  fireEvent.change(screen.getByLabelText('GPU'), { target: { value: 'nvidia.com/gpu' } });
  fireEvent.change(await screen.findByLabelText('Number of GPUs'), { target: { value: '2' } });
  fireEvent.change(screen.getByLabelText('GPU model'), { target: { value: 'H100' } });
  fireEvent.click(screen.getByTestId(ML_IDS.submit));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.createNotebook).length, 1));
  const body = server.callsTo(mlAppsRoutes.createNotebook)[0]!.body as NotebookCreate;
  assert.deepEqual(body, {
    name: 'nb-1',
    image: 'jupyter:1',
    cpu: 0.5,
    memory: '1Gi',
    gpu: { resource: 'nvidia.com/gpu', count: 2, model: 'H100' },
    workspaceVolume: { kind: 'new', size: '5Gi' },
  });
  const refusalText = (await screen.findByTestId(ML_IDS.refusal)).textContent ?? '';
  assert.match(refusalText, /requests\.nvidia\.com\/gpu: asked 2, 1 used of 2 allowed by quota gpus/);
});

test('stop and delete are sent only after a confirmation', async () => {
  server
    .on(mlAppsRoutes.updateNotebook, ({ params }) => ok(notebook(params.name ?? '', { phase: 'stopped' })))
    .on(mlAppsRoutes.deleteNotebook, ({ params }) => ok({ name: params.name ?? '' }));
  openPage('notebooks');
  fireEvent.click(await within(await rowOf('ready')).findByTestId(ML_IDS.remove));
  fireEvent.click(await screen.findByTestId(ML_IDS.cancel));
  assert.equal(server.callsTo(mlAppsRoutes.deleteNotebook).length, 0, 'cancelled: nothing sent');

  fireEvent.click((await rowOf('ready')).querySelector(`[data-testid="${ML_IDS.stop}"]`)!);
  assert.equal(server.callsTo(mlAppsRoutes.updateNotebook).length, 0, 'not before the confirmation');
  fireEvent.click(await screen.findByTestId(ML_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(mlAppsRoutes.updateNotebook).length, 1));
  const [patch] = server.callsTo(mlAppsRoutes.updateNotebook);
  assert.equal(patch?.params.name, 'ready');
  assert.deepEqual(patch?.body, { stopped: true });
});

test('a viewer sees the notebooks but no New notebook, stop, start or delete; the reviews name those routes', async () => {
  answerReview(server, false);
  openPage('notebooks');
  assert.match((await rowOf('ready')).textContent ?? '', /Running/, 'the list is still shown');
  await rowOf('busy');
  const wanted = ['create notebooks team-a', 'delete notebooks team-a', 'patch notebooks team-a'];
  await waitFor(() => {
    const asked = server
      .callsTo(review)
      .map((c) => c.body as { verb: string; resource: string; scopeName: string });
    const said = new Set(asked.map((a) => `${a.verb} ${a.resource} ${a.scopeName}`));
    assert.deepEqual(
      wanted.filter((w) => !said.has(w)),
      [],
    );
  });
  for (const id of [ML_IDS.newNotebook, ML_IDS.stop, ML_IDS.start, ML_IDS.remove, ML_IDS.open])
    assert.equal(screen.queryByTestId(id), null, id);
});

test('an editor sees New notebook, and stop and delete on each row', async () => {
  openPage('notebooks');
  await screen.findByTestId(ML_IDS.newNotebook);
  const ready = within(await rowOf('ready'));
  await ready.findByTestId(ML_IDS.stop);
  await ready.findByTestId(ML_IDS.remove);
  assert.equal((await screen.findAllByTestId(ML_IDS.remove)).length, 2, 'one delete per notebook');
});

test("the image, workspace and claim selects set the draft's fields; the claim is offered only for an existing volume", async () => {
  server.on(mlAppsRoutes.createNotebook, () => ok(notebook('nb-2', { phase: 'waiting' })));
  openPage('notebooks');
  fireEvent.click(await screen.findByTestId(ML_IDS.newNotebook));
  fireEvent.change(await screen.findByLabelText('Name'), { target: { value: 'nb-2' } });
  fireEvent.change(screen.getByLabelText('Image'), { target: { value: 'pytorch:1' } });
  assert.equal(screen.queryByLabelText('Volume claim'), null, 'no claim to choose for a new volume');
  fireEvent.change(screen.getByLabelText('Workspace volume'), { target: { value: 'existing' } });
  fireEvent.change(await screen.findByLabelText('Volume claim'), { target: { value: 'datasets' } });
  fireEvent.click(screen.getByTestId(ML_IDS.submit));
  await waitFor(() =>
    assert.equal(
      server.callsTo(mlAppsRoutes.createNotebook).length,
      1,
      screen.queryByTestId(ML_IDS.formError)?.textContent ?? '',
    ),
  );
  const body = server.callsTo(mlAppsRoutes.createNotebook)[0]!.body as NotebookCreate;
  assert.equal(body.image, 'pytorch:1');
  assert.deepEqual(body.workspaceVolume, { kind: 'existing', claimName: 'datasets' });
});
