// A workspace's receivers as its admin manages them: the list shows Secret references (project/name[key]), never a
// value; the editor asks per type for its settings, references and recipients, refuses a half reference before
// any request, shows the backend's 400 as it says it and marks the field it names; delete only after a confirmation.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { cmdbAlertingRoutes as routes, platformRoutesFor, type Receiver } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { ReceiversPage } from './ReceiversPage.js';

const phones: Receiver = {
  name: 'phones',
  type: 'voice',
  settings: {},
  secretRefs: {},
  recipients: [{ name: 'Owner', mobile: '+8613800000001' }],
  updatedAt: '2026-12-06T00:00:00Z',
};
const robot: Receiver = {
  name: 'ops-robot',
  type: 'wecom-robot',
  settings: {},
  secretRefs: { webhookKey: { namespace: 'alerting', name: 'wecom', key: 'robot-key' } },
  recipients: [],
  updatedAt: '2026-12-06T00:00:00Z',
};

const server = serveEachTest(locales, (s) =>
  s
    .on(platformRoutesFor('cmdb-alerting').createSelfAccessReview, () => ok({ allowed: true }))
    .on(routes.listWorkspaceReceivers, () => ok({ items: [phones, robot] })),
);

const openPage = () =>
  renderPage(<ReceiversPage />, {
    path: '/workspaces/:workspace/cmdb-alerting/receivers',
    at: '/workspaces/ws-a/cmdb-alerting/receivers',
  });

const rowOf = async (name: string) =>
  (await screen.findAllByTestId(ALERTING_IDS.receiverRow))
    .find((el) => el.textContent === name)!
    .closest('tr')!;

test('the list shows each type, its Secret references by name and its recipients', async () => {
  openPage();
  assert.match(
    (await rowOf('ops-robot')).textContent ?? '',
    /WeCom group robot.*Robot webhook key: alerting\/wecom\[robot-key\]/,
  );
  assert.match((await rowOf('phones')).textContent ?? '', /Phone call.*Owner \(\+8613800000001\)/);
});

test('a WeCom robot is created with its key as a Secret reference; a half reference is refused first', async () => {
  server.on(routes.createWorkspaceReceiver, ({ body }) => ok({ ...(body as Receiver), updatedAt: 'now' }));
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.newReceiver));
  fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'team-robot' } });
  fireEvent.change(screen.getByLabelText("Robot webhook key: Secret's project"), {
    target: { value: 'alerting' },
  });
  fireEvent.change(screen.getByLabelText("Robot webhook key: Secret's name"), { target: { value: 'wecom' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '',
    /project, name and key/,
  );
  assert.equal(server.callsTo(routes.createWorkspaceReceiver).length, 0, 'nothing sent');

  fireEvent.change(screen.getByLabelText('Robot webhook key: key in the Secret'), {
    target: { value: 'team' },
  });
  fireEvent.change(screen.getByLabelText('Message language'), { target: { value: 'zh' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.equal(server.callsTo(routes.createWorkspaceReceiver).length, 1));
  const [call] = server.callsTo(routes.createWorkspaceReceiver);
  assert.equal(call!.params.workspace, 'ws-a');
  assert.deepEqual(call!.body, {
    name: 'team-robot',
    type: 'wecom-robot',
    settings: { language: 'zh' },
    secretRefs: { webhookKey: { namespace: 'alerting', name: 'wecom', key: 'team' } },
    recipients: [],
  });
  await waitFor(() => assert.equal(screen.queryByTestId(ALERTING_IDS.receiverForm), null));
});

test('the type decides the fields: an app asks corp ID, agent ID, its secret and WeCom user IDs', async () => {
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.newReceiver));
  fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'wecom-app' } });
  assert.ok(screen.getByLabelText('Corp ID *'), 'the field is shown');
  assert.ok(screen.getByLabelText('Agent ID *'), 'the field is shown');
  assert.ok(screen.getByLabelText("App secret: Secret's name"), 'the field is shown');
  assert.ok(screen.getByLabelText('Recipients (WeCom user IDs)'), 'the field is shown');
  assert.equal(screen.queryByLabelText("Robot webhook key: Secret's name"), null);
  fireEvent.change(screen.getByLabelText('Type'), { target: { value: 'webhook' } });
  assert.ok(screen.getByLabelText('URL *'), 'the field is shown');
  assert.ok(screen.getByLabelText("HMAC signing key: Secret's name"), 'the field is shown');
  assert.equal(screen.queryByLabelText('Recipients (WeCom user IDs)'), null);
});

test('the backend`s 400 is shown as it says it, and the field it names is marked', async () => {
  server.on(routes.updateWorkspaceReceiver, () =>
    refusal(400, 'BadRequest', 'body.settings.url must be an https URL'),
  );
  server.on(routes.listWorkspaceReceivers, () =>
    ok({
      items: [{ ...phones, name: 'hook', type: 'webhook', settings: { url: 'http://x' }, recipients: [] }],
    }),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.editReceiver));
  assert.equal((screen.getByLabelText('Name') as HTMLInputElement).disabled, true, 'a name is not renamed');
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '',
    /body\.settings\.url must be an https URL/,
  );
  assert.equal(screen.getByLabelText('URL *').getAttribute('aria-invalid'), 'true');
  assert.equal(server.callsTo(routes.updateWorkspaceReceiver)[0]!.params.name, 'hook');
});

test('delete only after the confirmation; a refusal (still used by a policy) is shown', async () => {
  server.on(routes.deleteWorkspaceReceiver, () =>
    refusal(409, 'Conflict', 'receiver phones is used by escalation policy crit'),
  );
  openPage();
  fireEvent.click((await rowOf('phones')).querySelector(`[data-testid="${ALERTING_IDS.deleteReceiver}"]`)!);
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.cancel));
  assert.equal(server.callsTo(routes.deleteWorkspaceReceiver).length, 0, 'cancelled: nothing sent');
  fireEvent.click((await rowOf('phones')).querySelector(`[data-testid="${ALERTING_IDS.deleteReceiver}"]`)!);
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.confirm));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.actionError)).textContent ?? '',
    /used by escalation policy crit.*HTTP 409/,
  );
  assert.equal(server.callsTo(routes.deleteWorkspaceReceiver)[0]!.params.name, 'phones');
});

test("Send test shows the provider's answer, and a refused test what the server said", async () => {
  server.on(routes.testWorkspaceReceiver, (call) =>
    (call.params as { name: string }).name === 'ops-robot'
      ? ok({
          outcome: 'failed' as const,
          message: "WeCom does not know this group robot's key (errcode 93000)",
          providerAnswer: 'errcode 93000: invalid webhook url',
          sentAt: '2026-12-06T01:00:00Z',
        })
      : refusal(429, 'TooManyRequests', 'This receiver was tested moments ago; test it again in 20 s'),
  );
  openPage();
  const robotRow = await rowOf('ops-robot');
  fireEvent.click(robotRow.querySelector(`[data-testid="${ALERTING_IDS.testReceiver}"]`)!);
  await waitFor(() =>
    assert.match(
      robotRow.querySelector(`[data-testid="${ALERTING_IDS.receiverTestResult}"]`)?.textContent ?? '',
      /Failed.*errcode 93000.*errcode 93000: invalid webhook url/,
    ),
  );
  const [call] = server.callsTo(routes.testWorkspaceReceiver);
  assert.deepEqual(call?.params, { workspace: 'ws-a', name: 'ops-robot' });
  const phonesRow = await rowOf('phones');
  fireEvent.click(phonesRow.querySelector(`[data-testid="${ALERTING_IDS.testReceiver}"]`)!);
  await waitFor(() =>
    assert.match(
      phonesRow.querySelector(`[data-testid="${ALERTING_IDS.receiverTestResult}"]`)?.textContent ?? '',
      /not sent.*again in 20 s.*HTTP 429/,
    ),
  );
});
