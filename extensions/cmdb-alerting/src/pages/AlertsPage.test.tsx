// The cluster's alerts as a platform admin sees them: one row per alert (newest state), severity, status, project,
// business system, its escalation's state and who acknowledged, each row linking to the alert's page; an empty
// list and a failed list say so. In a workspace the page opens an alert by its key.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { cmdbAlertingRoutes as routes, type ReceivedAlert } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { UI_IDS } from '@ks-gpu-ml/ui';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { AlertLookup, AlertsPage } from './AlertsPage.js';

const state = (id: number, fingerprint: string, extra: Partial<ReceivedAlert> = {}): ReceivedAlert => ({
  id,
  fingerprint,
  status: 'firing',
  startsAt: '2026-12-06T01:00:00Z',
  labels: {
    alertname: 'KubePodCrashLooping',
    severity: 'critical',
    namespace: 'alpha-train',
    business: 'payments',
  },
  receivedAt: `2026-12-06T01:00:0${id}Z`,
  ...extra,
});

const server = serveEachTest(locales, (s) =>
  s
    .on(routes.listAlerts, () =>
      ok({
        items: [
          state(3, 'aaaa', { status: 'resolved' }),
          state(2, 'bbbb', { labels: { alertname: 'GpuXidError', severity: 'warning' } }),
          state(1, 'aaaa'),
        ],
      }),
    )
    .on(routes.getAlertEscalation, ({ params }) =>
      params.name?.startsWith('aaaa')
        ? ok({
            alertKey: params.name,
            policy: 'crit',
            workspace: '',
            state: 'acknowledged',
            stepsSent: 2,
            acknowledgedBy: ['ops-lead'],
            notified: ['robot', 'phone'],
          })
        : refusal(404, 'NotFound', 'no escalation'),
    ),
);

const openCluster = () =>
  renderPage(<AlertsPage />, {
    path: '/clusters/:cluster/cmdb-alerting',
    at: '/clusters/host/cmdb-alerting',
  });

const rowOf = async (name: string) =>
  (await screen.findAllByTestId(ALERTING_IDS.alertRow)).find((el) => el.textContent === name)!.closest('tr')!;

test('one row per alert with severity, status, project, business, escalation and who acknowledged', async () => {
  openCluster();
  const crash = await rowOf('KubePodCrashLooping');
  await waitFor(() => assert.match(crash.textContent ?? '', /ops-lead/));
  assert.match(
    crash.textContent ?? '',
    /critical.*Resolved.*alpha-train.*payments.*Acknowledged 2 step\(s\) sent · crit.*ops-lead/,
  );
  assert.equal(screen.getAllByTestId(ALERTING_IDS.alertRow).length, 2, 'the resolve is the same alert');
  const link = crash.querySelector(`[data-testid="${ALERTING_IDS.alertLink}"]`)!;
  assert.equal(link.getAttribute('href'), '/clusters/host/cmdb-alerting/alerts/aaaa-1796518800');
  assert.equal(
    crash.querySelector(`[data-testid="${ALERTING_IDS.silenceAlert}"]`),
    null,
    'resolved: nothing to silence',
  );
  const xid = await rowOf('GpuXidError');
  await waitFor(() => assert.match(xid.textContent ?? '', /No policy/));
  const silence = xid.querySelector(`[data-testid="${ALERTING_IDS.silenceAlert}"]`)!;
  assert.equal(
    silence.getAttribute('href'),
    `/clusters/host/cmdb-alerting/silences?${new URLSearchParams({ matchers: 'alertname="GpuXidError"' }).toString()}`,
  );
  assert.equal(server.callsTo(routes.listAlerts)[0]!.query.get('limit'), '500');
});

test('no alerts: an empty state; a failed list: the server`s message', async () => {
  server.on(routes.listAlerts, () => ok({ items: [] }));
  const view = openCluster();
  assert.match((await screen.findByTestId(UI_IDS.stateEmpty)).textContent ?? '', /No alerts received/);
  view.unmount();
  server.on(routes.listAlerts, () => refusal(503, 'ServiceUnavailable', 'the store is unavailable'));
  openCluster();
  assert.match(
    (await screen.findByTestId(UI_IDS.stateError)).textContent ?? '',
    /store is unavailable.*HTTP 503/,
  );
});

test('in a workspace an alert is opened by its key; a malformed key is refused before leaving', async () => {
  renderPage(<AlertLookup scope={{ kind: 'workspace', workspace: 'ws-a' }} />, {
    path: '/workspaces/:workspace/cmdb-alerting',
    at: '/workspaces/ws-a/cmdb-alerting',
  });
  const input = await screen.findByLabelText('Alert key');
  fireEvent.change(input, { target: { value: 'not a key' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.alertLookupGo));
  assert.match(screen.getByTestId(ALERTING_IDS.alertLookup).textContent ?? '', /looks like 0123456789abcdef/);
  assert.equal(server.callsTo(routes.listAlerts).length, 0, 'a workspace lists no cluster alerts');
});
