// A pod's GPU tab on shared GPUs (ADR 0015): a container on a shared GPU never shows a utilization number that is
// the whole device's. Without HAMi's figure it reads "shared — per-pod utilization unavailable"; with it, HAMi's
// own figure marked as such; a container on a GPU of its own keeps its number.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { screen, waitFor, within } from '@testing-library/react';
import {
  gpuMonitoringRoutes,
  platformRoutesFor,
  type GpuSeries,
  type GpuWorkloadUsage,
} from '@ks-gpu-ml/contracts';
import { ContractServer, ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { cleanupPages, renderPage, speakEnglish } from '@ks-gpu-ml/ui/testing/render';
import { locales } from '../locales.js';
import { WorkloadPage } from './WorkloadPage.js';

const usage: GpuWorkloadUsage = {
  time: 1_700_000_000,
  namespace: 'team-a',
  pod: 'p',
  containers: [
    // dcgm-exporter said 0.9 for each of these, the device's figure; the API leaves it out
    { namespace: 'team-a', pod: 'p', container: 'sliced', devices: 1, shared: true },
    { namespace: 'team-a', pod: 'p', container: 'hami', devices: 0, shared: true, sharedUtilization: 0.25 },
    { namespace: 'team-a', pod: 'p', container: 'own', devices: 1, utilization: 0.375 },
  ],
  gpus: [],
};

function noSeries(): GpuSeries {
  return { metric: 'utilization', level: 'workload', start: 0, end: 1, step: 60, series: [] };
}

let server: ContractServer;
beforeEach(() => {
  speakEnglish(locales);
  server = new ContractServer()
    .on(gpuMonitoringRoutes.getWorkloadUsage, () => ok(usage))
    .on(gpuMonitoringRoutes.getProjectSeries, () => ok(noSeries()))
    // The GPU Monitoring crumb asks before it links (docs/adr/0020).
    .on(platformRoutesFor('gpu-monitoring').createSelfAccessReview, () => ok({ allowed: true }))
    .listen();
});
afterEach(() => {
  cleanupPages();
  server.close();
  server.verify();
});

test('containers on shared GPUs say so instead of showing the device’s utilization', async () => {
  renderPage(<WorkloadPage />, {
    path: '/workspaces/:workspace/gpu-monitoring/projects/:namespace/workloads/:pod',
    at: '/workspaces/ws-a/gpu-monitoring/projects/team-a/workloads/p',
  });
  const table = await screen.findByTestId('usage-table-workload');
  const rowOf = (container: string) =>
    within(table)
      .getAllByRole('row')
      .find((r) => within(r).queryByText(container, { exact: true }) !== null)!;
  assert.match(rowOf('sliced').textContent ?? '', /shared — per-pod utilization unavailable/);
  assert.doesNotMatch(rowOf('sliced').textContent ?? '', /90%/);
  assert.match(rowOf('hami').textContent ?? '', /25% \(HAMi, shared GPU\)/);
  assert.match(rowOf('own').textContent ?? '', /37\.5%/);
  assert.doesNotMatch(rowOf('own').textContent ?? '', /shared/);
});

test("a project member's crumbs lead to its project page, not to the workspace's GPU page it may not open", async () => {
  server.on(platformRoutesFor('gpu-monitoring').createSelfAccessReview, () => ok({ allowed: false }));
  renderPage(<WorkloadPage />, {
    path: '/workspaces/:workspace/gpu-monitoring/projects/:namespace/workloads/:pod',
    at: '/workspaces/ws-a/gpu-monitoring/projects/team-a/workloads/p',
  });
  await screen.findByTestId('usage-table-workload');
  await waitFor(() =>
    assert.equal(server.callsTo(platformRoutesFor('gpu-monitoring').createSelfAccessReview).length, 1),
  );
  const hrefs = [...document.querySelectorAll('nav a')].map((a) => a.getAttribute('href'));
  assert.ok(hrefs.includes('/workspaces/ws-a/gpu-monitoring/projects/team-a'), hrefs.join(', '));
  assert.ok(!hrefs.includes('/workspaces/ws-a/gpu-monitoring'), hrefs.join(', '));
});
