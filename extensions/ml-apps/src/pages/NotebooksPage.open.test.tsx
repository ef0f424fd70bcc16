// The notebook list's Open (issue 16, docs/adr/0046): a running notebook made here opens its path under the
// console's ReverseProxy in a new tab, offered only to a caller who may stop or start notebooks in the project
// (what the backend's proxy checks); never for a stopped notebook or one made elsewhere (no openPath).
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { mlAppsRoutes, type Notebook } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { openPage, rowFinder, servePage } from '../testing/pages.js';
import { review } from '../testing/review.js';

const PATH = '/proxy/ml-apps.ks-gpu-ml.io/notebook/team-a';

const notebook = (name: string, phase: Notebook['status']['phase'], made: boolean): Notebook => ({
  name,
  namespace: 'team-a',
  image: 'jupyter:1',
  status: { phase },
  cpu: 1,
  memoryBytes: 2 ** 30,
  gpus: [],
  createdAt: new Date().toISOString(),
  ...(made ? { openPath: `${PATH}/${name}/` } : {}),
});

/** The caller may update notebooks in team-a (and nothing else) when `mayUpdate`. */
const server = servePage('notebooks', (s) =>
  s.on(mlAppsRoutes.listNotebooks, () =>
    ok({
      items: [
        notebook('mine', 'running', true),
        notebook('from-kubeflow', 'running', false),
        notebook('asleep', 'stopped', true),
      ],
    }),
  ),
);

const allowUpdate = (allowed: boolean) =>
  server.on(review, (call) => {
    const asked = call.body as { verb: string; resource: string; scopeName: string };
    return ok({
      allowed:
        allowed && asked.verb === 'patch' && asked.resource === 'notebooks' && asked.scopeName === 'team-a',
    });
  });

const rowOf = rowFinder(ML_IDS.notebookRow);

test('Open is offered for the running notebook made here only, and opens its proxy path in a new tab', async () => {
  allowUpdate(true);
  const opened: unknown[][] = [];
  const original = window.open;
  window.open = ((...args: unknown[]) => {
    opened.push(args);
    return null;
  }) as typeof window.open;
  try {
    openPage('notebooks');
    const mine = await rowOf('mine');
    await waitFor(() =>
      assert.notEqual(mine.querySelector(`[data-testid="${ML_IDS.open}"]`), null, 'mine offers Open'),
    );
    assert.equal((await rowOf('from-kubeflow')).querySelector(`[data-testid="${ML_IDS.open}"]`), null);
    assert.equal((await rowOf('asleep')).querySelector(`[data-testid="${ML_IDS.open}"]`), null);
    fireEvent.click(mine.querySelector(`[data-testid="${ML_IDS.open}"]`)!);
    assert.deepEqual(opened, [[`${PATH}/mine/`, '_blank', 'noopener,noreferrer']]);
  } finally {
    window.open = original;
  }
});

test('a caller who may not stop or start notebooks is offered no Open', async () => {
  allowUpdate(false);
  openPage('notebooks');
  await rowOf('mine');
  await waitFor(() => assert.notEqual(server.callsTo(review).length, 0, 'the page asked the access review'));
  assert.equal(screen.queryByTestId(ML_IDS.open), null);
});
