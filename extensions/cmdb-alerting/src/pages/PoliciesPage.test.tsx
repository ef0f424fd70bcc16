// Escalation policies as a platform admin manages the cluster's: the chain reads "receivers → wait → receivers",
// the editor builds the steps (after N minutes → receivers) and sends the contract's body, a bad step is refused
// before any request, delete only after a confirmation.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { cmdbAlertingRoutes as routes, type EscalationPolicy } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { PoliciesPage } from './PoliciesPage.js';

const crit: EscalationPolicy = {
  name: 'crit',
  matchLabels: { severity: 'critical' },
  steps: [
    { receivers: ['ops-robot'], waitSeconds: 300 },
    { receivers: ['owner', 'backup'], waitSeconds: 600 },
  ],
  repeat: 2,
  updatedAt: '2026-12-06T00:00:00Z',
};

const server = serveEachTest(locales, (s) =>
  s
    .on(routes.listClusterEscalationPolicies, () => ok({ items: [crit] }))
    .on(routes.listClusterReceivers, () => ok({ items: [] })),
);

const openPage = () =>
  renderPage(<PoliciesPage />, {
    path: '/clusters/:cluster/cmdb-alerting/policies',
    at: '/clusters/host/cmdb-alerting/policies',
  });

test('a policy reads as its labels, its chain and its repeats', async () => {
  openPage();
  const row = (await screen.findByTestId(ALERTING_IDS.policyRow)).closest('tr')!;
  assert.match(row.textContent ?? '', /severity=critical.*ops-robot → 5 min → owner, backup.*2/);
});

test('a new policy: two steps, the wait in minutes, sent as the contract`s body; a step without receivers is refused first', async () => {
  server.on(routes.createClusterEscalationPolicy, ({ body }) =>
    ok({ ...(body as EscalationPolicy), updatedAt: 'now' }),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.newPolicy));
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'night' } });
  fireEvent.change(screen.getByLabelText('Alerts with labels'), { target: { value: 'team=payments' } });
  fireEvent.change(screen.getByLabelText('Step 1: receivers'), { target: { value: 'ops-robot' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.addStep));
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '',
    /Step 2: name 1 to 10 receivers/,
  );
  assert.equal(server.callsTo(routes.createClusterEscalationPolicy).length, 0);

  fireEvent.change(screen.getByLabelText('Step 2: receivers'), { target: { value: 'owner, backup' } });
  fireEvent.change(screen.getAllByLabelText('then wait (minutes)')[0]!, { target: { value: '10' } });
  fireEvent.change(screen.getAllByLabelText('acknowledgements')[1]!, { target: { value: '2' } });
  fireEvent.change(screen.getByLabelText('Repeat the chain (times)'), { target: { value: '1' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.equal(server.callsTo(routes.createClusterEscalationPolicy).length, 1));
  assert.deepEqual(server.callsTo(routes.createClusterEscalationPolicy)[0]!.body, {
    name: 'night',
    matchLabels: { team: 'payments' },
    steps: [
      { receivers: ['ops-robot'], waitSeconds: 600 },
      { receivers: ['owner', 'backup'], waitSeconds: 300, acksRequired: 2 },
    ],
    repeat: 1,
  });
});

test('edit keeps the name and sends the whole policy; delete only after the confirmation', async () => {
  server
    .on(routes.updateClusterEscalationPolicy, ({ body }) =>
      ok({ ...(body as EscalationPolicy), updatedAt: 'now' }),
    )
    .on(routes.deleteClusterEscalationPolicy, ({ params }) => ok({ name: params.name ?? '' }));
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.editPolicy));
  fireEvent.click(screen.getAllByTestId(ALERTING_IDS.removeStep)[0]!);
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.equal(server.callsTo(routes.updateClusterEscalationPolicy).length, 1));
  const [update] = server.callsTo(routes.updateClusterEscalationPolicy);
  assert.equal(update!.params.name, 'crit');
  assert.deepEqual((update!.body as EscalationPolicy).steps, [
    { receivers: ['owner', 'backup'], waitSeconds: 600 },
  ]);

  await waitFor(() => assert.equal(screen.queryByTestId(ALERTING_IDS.policyForm), null));
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.deletePolicy));
  assert.equal(server.callsTo(routes.deleteClusterEscalationPolicy).length, 0, 'not before the confirmation');
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(routes.deleteClusterEscalationPolicy).length, 1));
});
