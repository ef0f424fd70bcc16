// A workspace's alert list as its members see it: the alerts its policies escalate, asked for the workspace, each
// with its state, step, who acknowledged and business system, linking to the alert's page.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screen } from '@testing-library/react';
import { cmdbAlertingRoutes as routes, type WorkspaceAlert } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { WorkspaceAlerts } from './WorkspaceAlerts.js';

const alert: WorkspaceAlert = {
  alertKey: 'a1b2c3d4e5f60718-1796518800',
  fingerprint: 'a1b2c3d4e5f60718',
  startsAt: '2026-12-06T01:00:00Z',
  labels: { alertname: 'KubePodCrashLooping', namespace: 'alpha-train', severity: 'critical' },
  policy: 'crit',
  state: 'acknowledged',
  stepsSent: 2,
  acknowledgedBy: ['alice'],
  system: 'payments',
};

const server = serveEachTest(locales, (s) => s.on(routes.listWorkspaceAlerts, () => ok({ items: [alert] })));

const open = () =>
  renderPage(<WorkspaceAlerts workspace="ws-a" />, {
    path: '/workspaces/:workspace/cmdb-alerting',
    at: '/workspaces/ws-a/cmdb-alerting',
  });

test("lists the workspace's escalated alerts with state, step, who acknowledged and system", async () => {
  open();
  const link = await screen.findByTestId(ALERTING_IDS.workspaceAlertRow);
  assert.equal(link.getAttribute('href'), `/workspaces/ws-a/cmdb-alerting/alerts/${alert.alertKey}`);
  const row = link.closest('tr')!;
  assert.match(
    row.textContent ?? '',
    /KubePodCrashLooping.*critical.*alpha-train.*payments.*Acknowledged.*2 step\(s\) sent · crit.*alice/,
  );
  const [call] = server.callsTo(routes.listWorkspaceAlerts);
  assert.deepEqual(call?.params, { workspace: 'ws-a' });
});

test('a refused list says what the server said', async () => {
  server.on(routes.listWorkspaceAlerts, () => refusal(403, 'Forbidden', 'not a member of ws-a'));
  open();
  assert.match((await screen.findByText(/not a member of ws-a/)).textContent ?? '', /not a member/);
});
