// The business systems page as a platform admin reads it: each system with its importance, owners, workloads and
// open alerts (linked to the alert's page), the unowned bucket last and named so. A system is silenced from here
// (the business silence POSTed as typed), its Alertmanager silences listed, and expired as one.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  cmdbBusinessRoutes as routes,
  type BusinessSilence,
  type BusinessSystemList,
} from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { BusinessSystemsPage } from './BusinessSystemsPage.js';

const rule = (r: string) => ({ source: 'workload', rule: r });
const list: BusinessSystemList = {
  truncated: false,
  items: [
    {
      name: 'unowned',
      unowned: true,
      owners: { value: [], provenance: { source: 'unowned', rule: 'no owners recorded' } },
      workloads: [{ kind: 'Deployment', namespace: 'scratch', name: 'stray', provenance: rule('none') }],
      openAlerts: [],
    },
    {
      name: 'payments',
      unowned: false,
      importance: { value: 'P1', provenance: rule('label business.kubesphere.io/importance on Deployment') },
      owners: {
        value: [{ name: 'Zhang Wei', wecomUserId: 'zhangwei', email: 'zw@example.com' }],
        provenance: { source: 'cmdb', rule: 'NetBox tenant 7' },
      },
      workloads: [
        { kind: 'Deployment', namespace: 'prod-pay', name: 'api', provenance: rule('label part-of') },
        { kind: 'Notebook', namespace: 'prod-pay', name: 'nb', provenance: rule('label part-of') },
      ],
      openAlerts: [
        {
          alertKey: 'a1b2c3d4e5f60718-1796518800',
          alertname: 'KubePodCrashLooping',
          severity: 'critical',
          namespace: 'prod-pay',
          state: 'escalating',
          startsAt: '2026-12-06T01:00:00Z',
        },
      ],
    },
  ],
};

const server = serveEachTest(locales, (s) =>
  s.on(routes.listBusinessSystems, () => ok(list)).on(routes.listBusinessSilences, () => ok({ items: [] })),
);

test('each system with importance, owners, workloads and open alerts linked to their page; unowned last', async () => {
  renderPage(<BusinessSystemsPage />, {
    path: '/clusters/:cluster/cmdb-alerting/businesses',
    at: '/clusters/host/cmdb-alerting/businesses',
  });
  const rows = await screen.findAllByTestId(ALERTING_IDS.businessSystemRow);
  assert.deepEqual(
    rows.map((r) => r.textContent),
    ['payments', 'unowned'],
  );
  const row = rows[0]!.closest('tr')!;
  assert.match(row.textContent ?? '', /P1.*Zhang Wei WeCom zhangwei zw@example\.com/);
  const [workloads] = screen.getAllByTestId(ALERTING_IDS.businessSystemWorkloads);
  assert.equal(workloads!.textContent, 'Deployment prod-pay/apiNotebook prod-pay/nb');
  const link = screen.getByRole('link', { name: 'KubePodCrashLooping' });
  assert.equal(link.getAttribute('href'), '/clusters/host/cmdb-alerting/alerts/a1b2c3d4e5f60718-1796518800');
});

const silence: BusinessSilence = {
  group: 'abcdef012345',
  system: 'payments',
  comment: 'upgrade',
  createdBy: 'admin',
  startsAt: '2026-12-06T01:00:00Z',
  endsAt: '2026-12-06T02:00:00Z',
  silences: [
    {
      id: 's1',
      matchers: [{ name: 'namespace', value: 'prod-pay', isRegex: false }],
      startsAt: '2026-12-06T01:00:00Z',
      endsAt: '2026-12-06T02:00:00Z',
      createdBy: 'admin',
      comment: '[business payments #abcdef012345] upgrade',
      state: 'active',
    },
  ],
};

test('an admin silences a system, sees the label sets it expanded to, and expires it as one', async () => {
  let active: BusinessSilence[] = [];
  server
    .on(routes.listBusinessSilences, () => ok({ items: active }))
    .on(routes.createBusinessSilence, () => {
      active = [silence];
      return ok(silence);
    })
    .on(routes.expireBusinessSilence, () => {
      active = [];
      return ok({ id: silence.group });
    });
  renderPage(<BusinessSystemsPage />, {
    path: '/clusters/:cluster/cmdb-alerting/businesses',
    at: '/clusters/host/cmdb-alerting/businesses',
  });
  await screen.findAllByTestId(ALERTING_IDS.businessSystemRow);
  fireEvent.change(screen.getByLabelText('Silence business system'), { target: { value: 'payments' } });
  fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'upgrade' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.businessSilenceCreate));
  const row = await screen.findByTestId(ALERTING_IDS.businessSilenceRow);
  assert.deepEqual(server.callsTo(routes.createBusinessSilence)[0]?.body, {
    system: 'payments',
    durationMinutes: 60,
    comment: 'upgrade',
  });
  assert.match(row.textContent ?? '', /payments.*namespace="prod-pay".*upgrade \(admin\)/);
  fireEvent.click(screen.getByTestId(ALERTING_IDS.expireBusinessSilence));
  fireEvent.click(screen.getByTestId(ALERTING_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(routes.expireBusinessSilence).length, 1), {
    timeout: 3000,
  });
  assert.deepEqual(server.callsTo(routes.expireBusinessSilence)[0]?.params, { name: 'abcdef012345' });
  await waitFor(() => assert.equal(screen.queryByTestId(ALERTING_IDS.businessSilenceRow), null), {
    timeout: 3000,
  });
});
