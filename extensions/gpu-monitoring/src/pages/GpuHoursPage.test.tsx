// The GPU-hours report's controls: a range the API would refuse is explained and never asked for, the grouping
// is sent as the contract's query, the CSV comes from the same route, and a refused download shows the reason.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { gpuMonitoringRoutes, platformRoutesFor, type GpuHoursReport } from '@ks-gpu-ml/contracts';
import { ok, okAs, refusal, type Call } from '@ks-gpu-ml/ui/testing/contract-server';
import { serveEachTest } from '@ks-gpu-ml/ui/testing/each-test';
import { UI_IDS } from '@ks-gpu-ml/ui';
import { renderPage } from '@ks-gpu-ml/ui/testing/render';
import { GpuHoursPage } from './GpuHoursPage.js';
import { locales } from '../locales.js';
import { HOURS_IDS } from '../test-ids.js';

const route = gpuMonitoringRoutes.getWorkspaceGpuHours;
const review = platformRoutesFor('gpu-monitoring').createSelfAccessReview;

/** The report the API would give for the asked range and grouping: one project with 3 of 4 GPU-hours worked. */
function report({ query }: Call): GpuHoursReport {
  const asked = query.get('groupBy');
  if (asked === 'app' || asked === 'user') return appReport(asked, query);
  const groupBy = asked === 'workspace' ? 'workspace' : 'namespace';
  return {
    start: Number(query.get('start')),
    end: Number(query.get('end')),
    groupBy,
    rows: [
      {
        workspace: 'ws-a',
        ...(groupBy === 'namespace' ? { namespace: 'team-a' } : {}),
        allocatedByResource: { 'nvidia.com/gpu': 4 },
        allocatedGpuHours: 4,
        utilizedGpuHours: 3,
      },
    ],
    totals: { allocatedGpuHours: 4, utilizedGpuHours: 3 },
    resources: ['nvidia.com/gpu'],
  };
}

/** By app: a notebook and a PyTorchJob; by user: alice, bob and the apps without a creator. */
function appReport(groupBy: 'app' | 'user', query: URLSearchParams): GpuHoursReport {
  const row = (fields: Partial<GpuHoursReport['rows'][number]>, hours: number) => ({
    ...fields,
    allocatedByResource: { 'nvidia.com/gpu': hours },
    allocatedGpuHours: hours,
    utilizedGpuHours: hours / 2,
  });
  const rows =
    groupBy === 'app'
      ? [
          row({ namespace: 'lab', appKind: 'Notebook', app: 'nb1' }, 0.5),
          row({ namespace: 'lab', appKind: 'PyTorchJob', app: 'j1' }, 1.5),
        ]
      : [row({}, 0.25), row({ user: 'alice' }, 0.5), row({ user: 'bob' }, 1.5)];
  const total = rows.reduce((sum, r) => sum + r.allocatedGpuHours, 0);
  return {
    start: Number(query.get('start')),
    end: Number(query.get('end')),
    groupBy,
    rows,
    totals: { allocatedGpuHours: total, utilizedGpuHours: total / 2 },
    resources: ['nvidia.com/gpu'],
  };
}

const server = serveEachTest(locales, (s) => {
  s.on(route, (call) =>
    call.query.get('format') === 'csv' ? okAs('text/csv', 'workspace\n') : ok(report(call)),
  );
  s.on(review, () => ok({ allowed: true }));
});

const openPage = () =>
  renderPage(<GpuHoursPage />, {
    path: '/workspaces/:workspace/gpu-monitoring/gpuhours',
    at: '/workspaces/ws-a/gpu-monitoring/gpuhours',
  });

test("the last 7 days by project are asked for and shown, in the contract's query", async () => {
  openPage();
  const shown = await screen.findByTestId(HOURS_IDS.report);
  const [call] = server.callsTo(route);
  assert.equal(call?.params.workspace, 'ws-a');
  assert.equal(call?.query.get('groupBy'), 'namespace');
  const days = (Number(call?.query.get('end')) - Number(call?.query.get('start'))) / 86400;
  assert.ok(days > 6 && days <= 7, `a 7-day range up to now, got ${days} days`);
  assert.match(within(shown).getByTestId(UI_IDS.dataTable).textContent ?? '', /team-a/);
});

test('an end before the start is explained, Download is off, and nothing is asked for', async () => {
  openPage();
  await screen.findByTestId(HOURS_IDS.report);
  const asked = server.callsTo(route).length;
  const start = screen.getByTestId<HTMLInputElement>(HOURS_IDS.start).value;
  fireEvent.change(screen.getByTestId(HOURS_IDS.end), { target: { value: '2020-01-01' } });
  assert.match(screen.getByTestId(HOURS_IDS.rangeProblem).textContent ?? '', /before the start date/);
  assert.equal(screen.getByTestId(HOURS_IDS.download).hasAttribute('disabled'), true);
  assert.equal(server.callsTo(route).length, asked, `no report asked for 2020-01-01 before ${start}`);
});

test('grouping by workspace asks again with groupBy=workspace', async () => {
  openPage();
  await screen.findByTestId(HOURS_IDS.report);
  fireEvent.change(screen.getByTestId(HOURS_IDS.groupBy), { target: { value: 'workspace' } });
  await waitFor(() => assert.equal(server.callsTo(route).at(-1)?.query.get('groupBy'), 'workspace'));
});

/**
 * Clicks Download and returns the file the page offered. jsdom saves no files, so the click on the page's
 * download link is caught; the page revokes the link's object URL 30 s later, a timer that must not hold the
 * test process open, so timers set meanwhile are unref'd.
 */
async function download(): Promise<{ name: string; text: string }> {
  const offered: HTMLAnchorElement[] = [];
  const catchLink = (e: Event) => {
    if (e.target instanceof HTMLAnchorElement && e.target.download) {
      e.preventDefault();
      offered.push(e.target);
    }
  };
  const setTimer = globalThis.setTimeout;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) =>
    setTimer(...args).unref()) as typeof setTimeout;
  document.addEventListener('click', catchLink, true);
  try {
    fireEvent.click(screen.getByTestId(HOURS_IDS.download));
    await waitFor(() => assert.equal(offered.length, 1, 'one file offered'));
  } finally {
    document.removeEventListener('click', catchLink, true);
    globalThis.setTimeout = setTimer;
  }
  const link = offered[0]!;
  const blob = await fetch(link.href).then((r) => r.text());
  return { name: link.download, text: blob };
}

test('Download CSV asks the same route for format=csv and offers its answer as a .csv file', async () => {
  openPage();
  await screen.findByTestId(HOURS_IDS.report);
  const file = await download();
  assert.equal(server.callsTo(route).at(-1)?.query.get('format'), 'csv');
  assert.match(file.name, /ws-a.*\.csv$/);
  assert.equal(file.text, 'workspace\n');
  await waitFor(() => assert.equal(screen.getByTestId(HOURS_IDS.download).hasAttribute('disabled'), false));
  assert.equal(screen.queryByTestId(UI_IDS.stateError), null, 'no error shown');
});

test("a refused download shows the server's reason", async () => {
  server.on(route, (call) =>
    call.query.get('format') === 'csv'
      ? refusal(403, 'Forbidden', 'you may not export GPU-hours of workspace ws-a')
      : ok(report(call)),
  );
  openPage();
  await screen.findByTestId(HOURS_IDS.report);
  fireEvent.click(screen.getByTestId(HOURS_IDS.download));
  const error = await screen.findByTestId(UI_IDS.stateError);
  assert.match(error.textContent ?? '', /you may not export GPU-hours of workspace ws-a/);
});

test('a caller the API would refuse is told so before asking, and offered no Download', async () => {
  server.on(review, () => ok({ allowed: false }));
  openPage();
  const note = await screen.findByTestId(HOURS_IDS.notAllowed);
  assert.match(note.textContent ?? '', /ws-a/);
  assert.equal(screen.queryByTestId(HOURS_IDS.download), null, 'no Download CSV button');
  assert.equal(server.callsTo(route).length, 0, 'no report asked for');
  const links = [...document.querySelectorAll('a')].map((a) => a.getAttribute('href'));
  assert.deepEqual(
    links,
    ['/workspaces/ws-a/gpu-monitoring/my-projects'],
    "only the way to the caller's projects",
  );
  assert.deepEqual(server.callsTo(review)[0]?.body, {
    scope: 'workspace',
    scopeName: 'ws-a',
    verb: route.verb,
    group: route.group,
    resource: route.resource,
  });
});

test('grouping by app shows each app with its project and kind; by user each creator, and the apps without one', async () => {
  openPage();
  await screen.findByTestId(HOURS_IDS.report);
  fireEvent.change(screen.getByTestId(HOURS_IDS.groupBy), { target: { value: 'app' } });
  await waitFor(() => assert.equal(server.callsTo(route).at(-1)?.query.get('groupBy'), 'app'));
  await waitFor(() =>
    assert.match(screen.getByTestId(UI_IDS.dataTable).textContent ?? '', /lab.*PyTorchJob.*j1/),
  );
  assert.match(screen.getByTestId(UI_IDS.dataTable).textContent ?? '', /Notebook.*nb1/);

  fireEvent.change(screen.getByTestId(HOURS_IDS.groupBy), { target: { value: 'user' } });
  await waitFor(() => assert.equal(server.callsTo(route).at(-1)?.query.get('groupBy'), 'user'));
  await waitFor(() => assert.match(screen.getByTestId(UI_IDS.dataTable).textContent ?? '', /bob/));
  const table = screen.getByTestId(UI_IDS.dataTable).textContent ?? '';
  assert.match(table, /alice/);
  assert.match(table, /no creator recorded/);
});
