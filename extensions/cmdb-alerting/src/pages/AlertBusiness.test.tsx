// The business system an alert hits, as the alerts list and the alert's page show it: the list's business,
// importance and owners columns come from the alert's escalation (the rule that set each as its tooltip), a label
// before an escalation exists; the alert's page shows the impact line in the console's language, each field with its
// source and rule, the last-known-mapping warning and each step of the resolution.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screen, waitFor } from '@testing-library/react';
import {
  cmdbAlertingRoutes as routes,
  type AlertBusiness,
  type AlertEscalation,
  type ReceivedAlert,
} from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { AlertPage } from './AlertPage.js';
import { AlertsPage } from './AlertsPage.js';

const KEY = 'aaaa-1796518800';
const business: AlertBusiness = {
  system: {
    value: 'payments',
    provenance: { source: 'workload', rule: 'label app.kubernetes.io/part-of on Deployment prod-pay/api' },
  },
  unowned: false,
  importance: { value: 'P1', provenance: { source: 'cmdb', rule: 'NetBox tenant 7 (last known)' } },
  owners: {
    value: [{ name: 'Zhang Wei', wecomUserId: 'zhangwei', mobile: '+8613800000000' }],
    provenance: { source: 'cmdb', rule: 'NetBox tenant 7 (last known)' },
  },
  workloads: {
    value: [{ kind: 'Deployment', namespace: 'prod-pay', name: 'api' }],
    provenance: { source: 'workload', rule: 'owner chain from the API' },
  },
  impact: {
    en: 'Business system payments (importance P1) is affected.',
    zh: '业务系统 payments（重要性 P1）受影响。',
    provenance: { source: 'template', rule: 'CMDB_ALERTING_BUSINESS_IMPACT' },
  },
  cmdb: { stale: true, error: 'CMDB_UNREACHABLE' },
  chain: [
    {
      source: 'workload',
      outcome: 'matched',
      rule: 'label app.kubernetes.io/part-of on Deployment prod-pay/api',
      detail: 'payments',
    },
  ],
};
const escalation: AlertEscalation = {
  alertKey: KEY,
  policy: 'crit',
  workspace: '',
  state: 'escalating',
  stepsSent: 1,
  acknowledgedBy: [],
  notified: ['robot'],
  business,
};
const received = (fingerprint: string, labels: Record<string, string>): ReceivedAlert => ({
  id: fingerprint === 'aaaa' ? 2 : 1,
  fingerprint,
  status: 'firing',
  startsAt: '2026-12-06T01:00:00Z',
  labels,
  receivedAt: '2027-01-01T00:00:01Z',
});

serveEachTest(locales, (s) =>
  s
    .on(routes.listAlerts, () =>
      ok({
        items: [
          received('aaaa', { alertname: 'KubePodCrashLooping', namespace: 'prod-pay' }),
          received('bbbb', { alertname: 'NoPolicy', business: 'from-label' }),
        ],
      }),
    )
    .on(routes.getAlertEscalation, ({ params }) =>
      params.name === KEY ? ok(escalation) : refusal(404, 'NotFound', 'no escalation'),
    )
    .on(routes.getClusterEscalationPolicy, () =>
      ok({
        name: 'crit',
        matchLabels: {},
        steps: [{ receivers: ['robot'], waitSeconds: 300 }],
        repeat: 0,
        updatedAt: '2027-01-01T00:00:00Z',
      }),
    )
    .on(routes.getAlertDeliveries, () => ok({ items: [] })),
);

test("the list's business, importance and owners come from the escalation, with each rule as the tooltip", async () => {
  renderPage(<AlertsPage />, {
    path: '/clusters/:cluster/cmdb-alerting',
    at: '/clusters/host/cmdb-alerting',
  });
  await waitFor(() =>
    assert.equal(screen.getAllByTestId(ALERTING_IDS.alertBusinessCell('system')).length, 1),
  );
  const system = screen.getByTestId(ALERTING_IDS.alertBusinessCell('system'));
  assert.equal(system.textContent, 'payments');
  assert.equal(
    system.getAttribute('title'),
    'Workload (owner chain): label app.kubernetes.io/part-of on Deployment prod-pay/api',
  );
  const importance = screen.getByTestId(ALERTING_IDS.alertBusinessCell('importance'));
  assert.deepEqual(
    [importance.textContent, importance.getAttribute('title')],
    ['P1', 'CMDB: NetBox tenant 7 (last known)'],
  );
  assert.equal(screen.getByTestId(ALERTING_IDS.alertBusinessCell('owners')).textContent, 'Zhang Wei');
  // The alert without an escalation shows the business label it carries.
  assert.ok(screen.getByText('from-label'), 'the text is shown');
});

test("the alert's page shows the impact, each field with its source and rule, the stale warning and the chain", async () => {
  renderPage(<AlertPage />, {
    path: '/clusters/:cluster/cmdb-alerting/alerts/:alertKey',
    at: `/clusters/host/cmdb-alerting/alerts/${KEY}`,
  });
  const card = await screen.findByTestId(ALERTING_IDS.alertBusiness);
  assert.equal(
    screen.getByTestId(ALERTING_IDS.alertImpact).textContent,
    'Business system payments (importance P1) is affected.',
  );
  assert.match(card.textContent ?? '', /last known one/);
  assert.match(
    screen.getByTestId(ALERTING_IDS.businessField('owners')).textContent ?? '',
    /Zhang Wei WeCom zhangwei \+8613800000000.*CMDB.*NetBox tenant 7 \(last known\)/,
  );
  assert.match(
    screen.getByTestId(ALERTING_IDS.businessField('system')).textContent ?? '',
    /payments.*Workload \(owner chain\).*part-of on Deployment prod-pay\/api/,
  );
  assert.equal(screen.getAllByTestId(ALERTING_IDS.resolutionStep).length, 1);
});
