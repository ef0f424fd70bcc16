// The mapping page as a platform admin uses it: they name a project and a pod, the page asks the explanation for
// exactly that pod and shows the system, each field with its source and rule, each step tried and the objects read
// with the mapping keys they carry; a pod that does not exist shows the backend's message; bad names ask nothing.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { cmdbBusinessRoutes as routes, type PodMapping } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { MappingPage } from './MappingPage.js';

const rule = 'label app.kubernetes.io/part-of on Deployment prod-pay/api';
const mapping: PodMapping = {
  namespace: 'prod-pay',
  pod: 'api-7d9-x2',
  order: ['workload', 'namespace', 'cmdb', 'workspace'],
  objects: [
    { kind: 'Pod', namespace: 'prod-pay', name: 'api-7d9-x2', keys: [] },
    { kind: 'ReplicaSet', namespace: 'prod-pay', name: 'api-7d9', keys: [] },
    {
      kind: 'Deployment',
      namespace: 'prod-pay',
      name: 'api',
      keys: [{ key: 'app.kubernetes.io/part-of', where: 'label', value: 'payments' }],
    },
    { kind: 'Namespace', name: 'prod-pay', keys: [] },
  ],
  business: {
    system: { value: 'payments', provenance: { source: 'workload', rule } },
    unowned: false,
    importance: { value: 'P1', provenance: { source: 'cmdb', rule: 'NetBox tenant 7' } },
    owners: {
      value: [{ name: 'Zhang Wei', wecomUserId: 'zhangwei', role: 'primary' }],
      provenance: { source: 'cmdb', rule: 'NetBox tenant 7' },
    },
    workloads: {
      value: [{ kind: 'Pod', namespace: 'prod-pay', name: 'api-7d9-x2' }],
      provenance: { source: 'workload', rule: 'owner chain from the API' },
    },
    impact: { en: 'x', zh: 'x', provenance: { source: 'template', rule: 'K' } },
    cmdb: { stale: false },
    chain: [{ source: 'workload', outcome: 'matched', rule, detail: 'payments' }],
  },
};

const server = serveEachTest(locales, (s) => s.on(routes.explainPodMapping, () => ok(mapping)));

const openPage = (at = '/clusters/host/cmdb-alerting/mapping') =>
  renderPage(<MappingPage />, { path: '/clusters/:cluster/cmdb-alerting/mapping', at });

test('an admin names a pod and sees its system, the rule behind each field, the steps and the objects read', async () => {
  openPage();
  assert.equal(server.callsTo(routes.explainPodMapping).length, 0, 'nothing asked before a pod is named');
  fireEvent.change(screen.getByLabelText('Project'), { target: { value: 'prod-pay' } });
  fireEvent.change(screen.getByLabelText('Pod'), { target: { value: 'api-7d9-x2' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.mappingExplain));
  assert.equal((await screen.findByTestId(ALERTING_IDS.mappingSystem)).textContent, 'payments');
  const [call] = server.callsTo(routes.explainPodMapping);
  assert.deepEqual(call?.params, { name: 'api-7d9-x2' });
  assert.equal(call?.query.get('namespace'), 'prod-pay');
  assert.match(
    screen.getByTestId(ALERTING_IDS.businessField('system')).textContent ?? '',
    /payments.*Workload \(owner chain\).*label app\.kubernetes\.io\/part-of on Deployment prod-pay\/api/,
  );
  assert.match(
    screen.getByTestId(ALERTING_IDS.businessField('owners')).textContent ?? '',
    /Zhang Wei \(primary\) WeCom zhangwei.*CMDB.*NetBox tenant 7/,
  );
  const steps = screen.getAllByTestId(ALERTING_IDS.resolutionStep);
  assert.equal(steps.length, 1);
  assert.match(steps[0]!.textContent ?? '', /Matched/);
  const objects = screen.getAllByTestId(ALERTING_IDS.mappingObject).map((o) => o.textContent);
  assert.deepEqual(objects, [
    'Pod prod-pay/api-7d9-x2-',
    'ReplicaSet prod-pay/api-7d9-',
    'Deployment prod-pay/apilabel app.kubernetes.io/part-of=payments',
    'Namespace prod-pay-',
  ]);
});

test('an unowned pod shows every step tried and the unowned bucket; the pod comes from the URL', async () => {
  server.on(routes.explainPodMapping, () =>
    ok({
      ...mapping,
      business: {
        ...mapping.business,
        system: { value: 'unowned', provenance: { source: 'unowned', rule: 'no source named a system' } },
        unowned: true,
        chain: [
          { source: 'workload', outcome: 'no-match', rule: 'keys on Deployment' },
          { source: 'namespace', outcome: 'no-match', rule: 'keys on Namespace' },
          { source: 'cmdb', outcome: 'error', rule: 'CMDB namespace mapping', detail: 'CMDB_UNREACHABLE' },
          { source: 'workspace', outcome: 'no-match', rule: 'label kubesphere.io/workspace' },
        ],
      },
    }),
  );
  openPage('/clusters/host/cmdb-alerting/mapping?namespace=prod-pay&pod=api-7d9-x2');
  assert.equal((await screen.findByTestId(ALERTING_IDS.mappingSystem)).textContent, 'unowned');
  const steps = screen.getAllByTestId(ALERTING_IDS.resolutionStep).map((s) => s.textContent ?? '');
  assert.equal(steps.length, 5);
  assert.match(steps[2]!, /CMDB.*Failed.*CMDB unreachable/);
  assert.match(steps[4]!, /Unowned bucket/);
});

test("a pod that does not exist shows the backend's message; a bad name asks nothing", async () => {
  server.on(routes.explainPodMapping, () =>
    refusal(404, 'NotFound', 'There is no pod gone in project prod-pay.'),
  );
  openPage();
  fireEvent.change(screen.getByLabelText('Project'), { target: { value: 'Prod Pay' } });
  fireEvent.change(screen.getByLabelText('Pod'), { target: { value: 'gone' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.mappingExplain));
  await screen.findByText(/lowercase letters/);
  assert.equal(server.callsTo(routes.explainPodMapping).length, 0);
  fireEvent.change(screen.getByLabelText('Project'), { target: { value: 'prod-pay' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.mappingExplain));
  await screen.findByText('There is no pod gone in project prod-pay.');
  await waitFor(() => assert.equal(server.callsTo(routes.explainPodMapping).length, 1));
});
