// The notebooks list's live GPU column (issue 16): where gpu-monitoring is installed and the caller may read the
// project's GPU figures, a notebook's row shows its pod's utilization and memory from gpu-monitoring's project
// view and links to gpu-monitoring's page of that pod; elsewhere there is no column and nothing is asked.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screen } from '@testing-library/react';
import {
  gpuMonitoringRoutes,
  mlAppsRoutes,
  platformRoutesOfGroup,
  type GpuScopeUsage,
  type Notebook,
} from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { openPage, rowFinder, servePage, withGpuMonitoring } from '../testing/pages.js';
import { answerReview } from '../testing/review.js';

const monitoring = platformRoutesOfGroup(gpuMonitoringRoutes.getProjectUsage.group);
const GiB = 2 ** 30;

const notebook = (name: string): Notebook => ({
  name,
  namespace: 'team-a',
  image: 'jupyter:1',
  status: { phase: 'running' },
  cpu: 1,
  memoryBytes: GiB,
  gpus: [{ resource: 'nvidia.com/gpu', count: 1 }],
  createdAt: new Date().toISOString(),
});

const usage: GpuScopeUsage = {
  time: 0,
  namespace: 'team-a',
  totals: { devices: 2 },
  rows: [
    {
      namespace: 'team-a',
      pod: 'train-0',
      container: 'notebook',
      devices: 1,
      utilization: 0.42,
      memoryUsedBytes: 20 * GiB,
      memoryTotalBytes: 80 * GiB,
    },
    { namespace: 'team-a', pod: 'somebody-else', container: 'main', devices: 1, utilization: 1 },
  ],
  gpus: [],
  idle: [],
  idleSettings: { windowSeconds: 1800, threshold: 0.05 },
};

// The buttons' reviews answered as for a viewer: this test is about the figures.
const server = servePage('notebooks', (s) =>
  answerReview(s, false)
    .on(mlAppsRoutes.listNotebooks, () => ok({ items: [notebook('train'), notebook('idle')] }))
    .on(gpuMonitoringRoutes.getProjectUsage, () => ok(usage)),
);

const rowOf = rowFinder(ML_IDS.notebookRow);

test("a notebook's row shows its pod's live GPU utilization and memory, linking to gpu-monitoring's pod page", async () => {
  await withGpuMonitoring(server, async () => {
    openPage('notebooks');
    const row = await rowOf('train');
    const cell = await screen.findByText('42% · 20 Gi / 80 Gi');
    assert.ok(row.contains(cell), 'in the notebook whose pod (train-0) holds the GPU');
    assert.equal(
      cell.closest('a')?.getAttribute('href'),
      '/workspaces/ws-a/gpu-monitoring/projects/team-a/workloads/train-0',
    );
    const idle = (await rowOf('idle')).querySelector(`[data-testid="${ML_IDS.gpuUse}"]`);
    assert.equal(idle?.textContent, '-', "another pod's figures are not this notebook's");
    const review = server.callsTo(monitoring.createSelfAccessReview)[0]?.body as { resource?: string };
    assert.equal(review.resource, 'gpuusage');
  });
});

test('no GPU use column where gpu-monitoring is not installed, and nothing asked of it', async () => {
  openPage('notebooks');
  await rowOf('train');
  assert.equal(screen.queryByTestId(ML_IDS.gpuUse), null);
  assert.equal(server.callsTo(gpuMonitoringRoutes.getProjectUsage).length, 0);
  assert.equal(server.callsTo(monitoring.createSelfAccessReview).length, 0);
});
