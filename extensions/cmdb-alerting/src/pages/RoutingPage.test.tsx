// Routing policies as a platform admin edits them: each row reads as what it takes, when and whom it notifies; the
// editor builds the contract's body (systems, the unowned bucket, a night window with holidays), a bad time is
// refused before any request, and the backend's 400 is shown as it says it.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  cmdbAlertingRoutes,
  cmdbRoutingRoutes as routes,
  type RoutingPolicy,
  type RoutingPolicyInput,
} from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ROUTING_IDS } from '../routing-test-ids.js';
import { ALERTING_IDS } from '../test-ids.js';
import { RoutingPage } from './RoutingPage.js';

const payments: RoutingPolicy = {
  name: 'payments-night',
  priority: 10,
  match: { systems: ['payments'], severities: ['critical'] },
  window: {
    timeZone: 'Asia/Shanghai',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '09:00',
    end: '18:00',
    outside: true,
  },
  receivers: ['pay-phone'],
  escalationPolicy: 'oncall',
  updatedAt: '2026-12-06T00:00:00Z',
};
const unowned: RoutingPolicy = {
  name: 'unowned',
  priority: 0,
  default: true,
  match: { unowned: true },
  receivers: ['platform-inbox'],
  updatedAt: '2026-12-06T00:00:00Z',
};

const server = serveEachTest(locales, (s) =>
  s
    .on(routes.listRoutingPolicies, () => ok({ items: [payments, unowned] }))
    .on(cmdbAlertingRoutes.listClusterReceivers, () => ok({ items: [] }))
    .on(cmdbAlertingRoutes.listClusterEscalationPolicies, () => ok({ items: [] })),
);

const openPage = () =>
  renderPage(<RoutingPage />, {
    path: '/clusters/:cluster/cmdb-alerting/routing',
    at: '/clusters/host/cmdb-alerting/routing',
  });

test('a policy reads as what it takes, when, and whom it notifies; the default says so', async () => {
  openPage();
  const rows = (await screen.findAllByTestId(ROUTING_IDS.routingRow)).map(
    (c) => c.closest('tr')!.textContent,
  );
  assert.match(
    rows[0] ?? '',
    /payments-night.*10.*payments · critical.*Outside Mon Tue Wed Thu Fri 09:00–18:00 \(Asia\/Shanghai\).*pay-phone → oncall/,
  );
  assert.match(rows[1] ?? '', /unowned.*Default.*Unowned.*Always.*platform-inbox/);
});

test('a new policy: systems, the unowned bucket off, a night window with a holiday, sent as the contract body', async () => {
  let sent: RoutingPolicyInput | undefined;
  server.on(routes.createRoutingPolicy, ({ body }) => {
    sent = body as RoutingPolicyInput;
    return ok({ ...sent, updatedAt: 'now' });
  });
  openPage();
  fireEvent.click(await screen.findByTestId(ROUTING_IDS.newRouting));
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'orders' } });
  fireEvent.change(screen.getByLabelText('Business systems'), { target: { value: 'orders, checkout' } });
  fireEvent.change(screen.getByLabelText('Unowned bucket'), { target: { value: 'no' } });
  fireEvent.change(screen.getByLabelText('Receivers notified at once'), {
    target: { value: 'orders-group' },
  });
  fireEvent.click(screen.getByLabelText('Only at certain times'));
  fireEvent.change(screen.getByLabelText('Until'), { target: { value: '25:00' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match((await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '', /HH:MM/);
  assert.equal(sent, undefined);
  fireEvent.change(screen.getByLabelText('Until'), { target: { value: '08:00' } });
  fireEvent.change(screen.getByLabelText('From'), { target: { value: '20:00' } });
  fireEvent.change(screen.getByLabelText('Holidays'), { target: { value: '2027-01-01' } });
  fireEvent.click(screen.getByLabelText('Sat'));
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.notEqual(sent, undefined, 'the form sent its body'));
  assert.deepEqual(sent, {
    name: 'orders',
    priority: 100,
    match: { systems: ['orders', 'checkout'], unowned: false },
    window: {
      timeZone: 'Asia/Shanghai',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
      start: '20:00',
      end: '08:00',
      holidays: ['2027-01-01'],
    },
    receivers: ['orders-group'],
  });
});

test("the backend's refusal is shown as it says it", async () => {
  server.on(routes.createRoutingPolicy, () =>
    refusal(
      400,
      'BadRequest',
      'The field "body.receivers.0" is invalid: names receiver "gone", which the cluster does not have',
    ),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(ROUTING_IDS.newRouting));
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'x' } });
  fireEvent.change(screen.getByLabelText('Receivers notified at once'), { target: { value: 'gone' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '',
    /which the cluster does not have/,
  );
});
