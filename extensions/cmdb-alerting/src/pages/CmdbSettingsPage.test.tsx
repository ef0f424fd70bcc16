// The CMDB connection page as a platform admin uses it: the saved settings fill the form (the Secret as a reference,
// never a value), a save sends the contract's body, and "test connection" sends what the form holds and shows what
// the CMDB answered — the mapping, or its failure with its own words.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  cmdbRoutingRoutes as routes,
  type CmdbConnectionTestInput,
  type CmdbSettingsInput,
} from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ROUTING_IDS } from '../routing-test-ids.js';
import { netboxSettings as saved } from '../testing/fixtures.js';
import { ALERTING_IDS } from '../test-ids.js';
import { CmdbSettingsPage } from './CmdbSettingsPage.js';

const server = serveEachTest(locales, (s) =>
  s.on(routes.getCmdbSettings, () =>
    ok({ configured: true, settings: saved, updatedAt: '2026-12-06T05:00:00.000Z' }),
  ),
);

const openPage = () =>
  renderPage(<CmdbSettingsPage />, {
    path: '/clusters/:cluster/cmdb-alerting/cmdb',
    at: '/clusters/host/cmdb-alerting/cmdb',
  });

test('the saved connection fills the form; a save sends the contract body with the changed deadline', async () => {
  let sent: CmdbSettingsInput | undefined;
  server.on(routes.updateCmdbSettings, ({ body }) => {
    sent = body as CmdbSettingsInput;
    return ok({ configured: true, settings: sent, updatedAt: '2026-12-06T05:10:00.000Z' });
  });
  openPage();
  assert.equal(
    ((await screen.findByLabelText('URL')) as HTMLInputElement).value,
    'https://netbox.example.com',
  );
  assert.equal((screen.getByLabelText('Secret: name') as HTMLInputElement).value, 'cmdb');
  fireEvent.change(screen.getByLabelText('Deadline of one lookup (ms)'), { target: { value: '1500' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.notEqual(sent, undefined, 'the form sent its body'));
  assert.deepEqual(sent, { ...saved, timeoutMs: 1500 });
});

test('test connection sends the form settings and shows the mapping the CMDB gave', async () => {
  let asked: CmdbConnectionTestInput | undefined;
  server.on(routes.testCmdbConnection, ({ body }) => {
    asked = body as CmdbConnectionTestInput;
    return ok({
      ok: true,
      status: 200,
      latencyMs: 12,
      query: 'namespace prod-pay',
      sample: {
        name: 'payments',
        importance: 'P1',
        owners: [{ name: 'Zhang San', wecomUserId: 'zhangsan' }],
        rule: 'NetBox tenant 1 (custom field k8s_namespaces holds prod-pay)',
      },
    });
  });
  openPage();
  fireEvent.change(await screen.findByTestId(ROUTING_IDS.testQuery), { target: { value: 'prod-pay' } });
  fireEvent.click(screen.getByTestId(ROUTING_IDS.testRun));
  const result = await screen.findByTestId(ROUTING_IDS.testResult);
  assert.match(result.textContent ?? '', /HTTP 200 in 12 ms/);
  assert.match(result.textContent ?? '', /Business system: payments/);
  assert.match(result.textContent ?? '', /Zhang San \/ zhangsan/);
  assert.deepEqual(asked, { settings: saved, namespace: 'prod-pay' });
});

test("a failed test shows the failure and the CMDB's own answer", async () => {
  server.on(routes.testCmdbConnection, () =>
    ok({
      ok: false,
      status: 403,
      latencyMs: 8,
      query: 'system payments',
      error: {
        key: 'CMDB_UNAUTHORIZED',
        detail: 'GET /api/tenancy/tenants/: HTTP 403',
        answer: '{"detail":"Invalid token"}',
      },
    }),
  );
  openPage();
  fireEvent.change(await screen.findByTestId(ROUTING_IDS.testQuery), {
    target: { value: 'Payments System' },
  });
  fireEvent.click(screen.getByTestId(ROUTING_IDS.testRun));
  const result = await screen.findByTestId(ROUTING_IDS.testResult);
  assert.match(result.textContent ?? '', /refused the credentials/);
  assert.equal(screen.getByTestId(ROUTING_IDS.testAnswer).textContent, '{"detail":"Invalid token"}');
});

test('a deadline that is not a number is refused before any request', async () => {
  openPage();
  fireEvent.change(await screen.findByLabelText('Deadline of one lookup (ms)'), {
    target: { value: 'soon' },
  });
  fireEvent.click(screen.getByTestId(ROUTING_IDS.testRun));
  assert.match(
    (await screen.findByTestId(ROUTING_IDS.testResult)).textContent ?? '',
    /whole number of milliseconds/,
  );
});

test('with no CMDB connected the page says so, and the form starts from NetBox defaults', async () => {
  server.on(routes.getCmdbSettings, () => ok({ configured: false }));
  openPage();
  assert.match(
    (await screen.findByTestId(ROUTING_IDS.cmdbNone)).textContent ?? '',
    /No CMDB is connected yet/,
  );
  assert.equal((screen.getByLabelText('CMDB') as HTMLSelectElement).value, 'netbox');
  assert.equal((screen.getByLabelText('Answers fresh for (seconds)') as HTMLInputElement).value, '300');
});
