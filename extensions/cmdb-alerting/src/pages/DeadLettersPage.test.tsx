// The dead letters page: a workspace admin sees their receivers' dead letters and retries one (POSTed for the
// workspace, then the list is read again); a refused retry shows what the server said; a member without the admin
// grant is not offered the tab.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { cmdbAlertingRoutes as routes, platformRoutesFor, type DeadLetter } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { DeadLettersPage } from './DeadLettersPage.js';

const review = platformRoutesFor('cmdb-alerting').createSelfAccessReview;

const dead: DeadLetter = {
  id: 42,
  receiver: 'ws-a/ops-robot',
  alertKey: 'a1b2c3d4e5f60718-1796518800',
  attempts: 8,
  lastError: 'errcode 93000: invalid webhook url',
  updatedAt: '2026-12-06T01:00:00Z',
};

const server = serveEachTest(locales, (s) =>
  s.on(review, () => ok({ allowed: true })).on(routes.listWorkspaceDeadLetters, () => ok({ items: [dead] })),
);

const openPage = () =>
  renderPage(<DeadLettersPage />, {
    path: '/workspaces/:workspace/cmdb-alerting/deadletters',
    at: '/workspaces/ws-a/cmdb-alerting/deadletters',
  });

test('an admin retries a dead letter: POSTed for the workspace by id, then the list is read again', async () => {
  let retried = false;
  server
    .on(routes.listWorkspaceDeadLetters, () => ok({ items: retried ? [] : [dead] }))
    .on(routes.retryWorkspaceDeadLetter, () => {
      retried = true;
      return ok({ id: 42, state: 'pending' as const });
    });
  openPage();
  const row = await screen.findByTestId(ALERTING_IDS.deadLetterRow);
  assert.equal(row.textContent, 'ws-a/ops-robot');
  assert.match(screen.getByTestId(ALERTING_IDS.deadLettersPage).textContent ?? '', /errcode 93000/);
  fireEvent.click(screen.getByTestId(ALERTING_IDS.retryDeadLetter));
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(routes.retryWorkspaceDeadLetter).length, 1));
  await waitFor(() => assert.equal(screen.queryByTestId(ALERTING_IDS.deadLetterRow), null));
  const [call] = server.callsTo(routes.retryWorkspaceDeadLetter);
  assert.deepEqual(call?.params, { workspace: 'ws-a', name: '42' });
  assert.ok(screen.getByTestId(ALERTING_IDS.tab('deadletters')), 'the part is shown');
});

test('a refused retry shows what the server said', async () => {
  server.on(routes.retryWorkspaceDeadLetter, () =>
    refusal(404, 'NotFound', 'There is no dead letter 42 here'),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.retryDeadLetter));
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.confirm));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.actionError)).textContent ?? '',
    /no dead letter 42.*HTTP 404/,
  );
});

test('a member who may not list dead letters is not offered the tab', async () => {
  server.on(review, () => ok({ allowed: false }));
  openPage();
  await waitFor(() => assert.notEqual(server.callsTo(review).length, 0, 'the page asked the access review'));
  await screen.findByTestId(ALERTING_IDS.tab('alerts'));
  assert.equal(screen.queryByTestId(ALERTING_IDS.tab('deadletters')), null);
});
