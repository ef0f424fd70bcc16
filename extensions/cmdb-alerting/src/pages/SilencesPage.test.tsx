// The cluster's silences (Alertmanager's API v2 through the backend): matchers as Alertmanager writes them, state,
// who and why; a new silence sends matchers, duration and comment; a bad matcher is refused before any request;
// expire only after a confirmation and only for silences not yet expired.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { cmdbAlertingRoutes as routes, type Silence } from '@ks-gpu-ml/contracts';
import { ok, refusal } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { ALERTING_IDS } from '../test-ids.js';
import { SilencesPage } from './SilencesPage.js';

const silence = (id: string, state: string): Silence => ({
  id,
  matchers: [
    { name: 'alertname', value: 'KubePodCrashLooping', isRegex: false, isEqual: true },
    { name: 'namespace', value: 'alpha-.*', isRegex: true, isEqual: true },
  ],
  startsAt: '2026-12-06T01:00:00Z',
  endsAt: '2026-12-06T03:00:00Z',
  createdBy: 'admin',
  comment: `maintenance ${id}`,
  state,
});

const server = serveEachTest(locales, (s) =>
  s.on(routes.listSilences, () => ok({ items: [silence('s1', 'active'), silence('s0', 'expired')] })),
);

const openPage = () =>
  renderPage(<SilencesPage />, {
    path: '/clusters/:cluster/cmdb-alerting/silences',
    at: '/clusters/host/cmdb-alerting/silences',
  });

const rowOf = async (comment: string) =>
  (await screen.findAllByTestId(ALERTING_IDS.silenceRow))
    .map((el) => el.closest('tr')!)
    .find((tr) => tr.textContent?.includes(comment))!;

test('each silence: matchers as Alertmanager writes them, state, creator, comment; expired ones cannot be expired', async () => {
  openPage();
  const active = await rowOf('maintenance s1');
  assert.match(
    active.textContent ?? '',
    /alertname="KubePodCrashLooping", namespace=~"alpha-\.\*".*Active.*admin.*maintenance s1/,
  );
  assert.notEqual(
    active.querySelector(`[data-testid="${ALERTING_IDS.expireSilence}"]`),
    null,
    'the active silence offers Expire',
  );
  assert.equal(
    (await rowOf('maintenance s0')).querySelector(`[data-testid="${ALERTING_IDS.expireSilence}"]`),
    null,
  );
});

test('a new silence sends matchers, duration and comment; a bad matcher is refused first; Alertmanager`s 400 is shown', async () => {
  let answer: 'refuse' | 'ok' = 'refuse';
  server.on(routes.createSilence, () =>
    answer === 'refuse'
      ? refusal(400, 'BadRequest', 'silence invalid: invalid label matcher')
      : ok({ id: 's2' }),
  );
  openPage();
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.newSilence));
  fireEvent.change(screen.getByLabelText('Matchers'), { target: { value: 'severity critical' } });
  fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'upgrade' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '',
    /Line 1: write name=value/,
  );
  assert.equal(server.callsTo(routes.createSilence).length, 0);

  fireEvent.change(screen.getByLabelText('Matchers'), {
    target: { value: 'severity=critical\nnamespace!~kube-.*' },
  });
  fireEvent.change(screen.getByLabelText('Duration (minutes)'), { target: { value: '30' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  assert.match(
    (await screen.findByTestId(ALERTING_IDS.formError)).textContent ?? '',
    /invalid label matcher/,
  );
  assert.deepEqual(server.callsTo(routes.createSilence)[0]!.body, {
    matchers: [
      { name: 'severity', value: 'critical', isRegex: false, isEqual: true },
      { name: 'namespace', value: 'kube-.*', isRegex: true, isEqual: false },
    ],
    durationMinutes: 30,
    comment: 'upgrade',
  });
  answer = 'ok';
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.equal(server.callsTo(routes.createSilence).length, 2));
  await waitFor(() =>
    assert.ok(
      screen.queryByTestId(ALERTING_IDS.silenceForm) === null,
      screen.queryByTestId(ALERTING_IDS.formError)?.textContent ?? 'the form closes',
    ),
  );
});

test('expire only after the confirmation, for that silence', async () => {
  server.on(routes.expireSilence, ({ params }) => ok({ id: params.name ?? '' }));
  openPage();
  fireEvent.click(
    (await rowOf('maintenance s1')).querySelector(`[data-testid="${ALERTING_IDS.expireSilence}"]`)!,
  );
  assert.equal(server.callsTo(routes.expireSilence).length, 0);
  fireEvent.click(await screen.findByTestId(ALERTING_IDS.confirm));
  await waitFor(() => assert.equal(server.callsTo(routes.expireSilence).length, 1));
  assert.equal(server.callsTo(routes.expireSilence)[0]!.params.name, 's1');
});

test("an alert's Silence link opens the form with its matchers", async () => {
  server.on(routes.createSilence, () => ok({ id: 's3' }));
  renderPage(<SilencesPage />, {
    path: '/clusters/:cluster/cmdb-alerting/silences',
    at: `/clusters/host/cmdb-alerting/silences?${new URLSearchParams({ matchers: 'alertname="X"\nnamespace="alpha-train"' }).toString()}`,
  });
  const matchers = (await screen.findByLabelText('Matchers')) as HTMLTextAreaElement;
  assert.equal(matchers.value, 'alertname="X"\nnamespace="alpha-train"');
  fireEvent.change(screen.getByLabelText('Comment'), { target: { value: 'known issue' } });
  fireEvent.click(screen.getByTestId(ALERTING_IDS.submit));
  await waitFor(() => assert.equal(server.callsTo(routes.createSilence).length, 1));
  assert.deepEqual((server.callsTo(routes.createSilence)[0]!.body as { matchers: unknown[] }).matchers, [
    { name: 'alertname', value: 'X', isRegex: false, isEqual: true },
    { name: 'namespace', value: 'alpha-train', isRegex: false, isEqual: true },
  ]);
});
