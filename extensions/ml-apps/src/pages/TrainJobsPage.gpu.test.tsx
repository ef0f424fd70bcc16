// A TrainJob's live GPU use (issue 16): where gpu-monitoring is readable, the job's row sums its node pods' GPU
// figures and each node's pod says how many GPUs it holds and how busy they are.
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screen } from '@testing-library/react';
import { gpuMonitoringRoutes, mlAppsRoutes, type GpuScopeUsage } from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { ML_IDS } from '../test-ids.js';
import { trainJob } from '../testing/fixtures.js';
import { openPage, servePage, withGpuMonitoring } from '../testing/pages.js';
import { answerReview } from '../testing/review.js';

const GiB = 2 ** 30;

const job = trainJob('mnist', {
  gpusPerNode: [{ resource: 'nvidia.com/gpu', count: 2 }],
  replicas: [
    { pod: 'mnist-node-0-0', node: 'gpu-a', status: { phase: 'running' } },
    { pod: 'mnist-node-0-1', node: 'gpu-b', status: { phase: 'running' } },
  ],
});

const row = (pod: string, utilization: number) => ({
  namespace: 'team-a',
  pod,
  container: 'node',
  devices: 2,
  utilization,
  memoryUsedBytes: 30 * GiB,
  memoryTotalBytes: 160 * GiB,
});
const usage: GpuScopeUsage = {
  time: 0,
  namespace: 'team-a',
  totals: { devices: 4 },
  rows: [row('mnist-node-0-0', 0.9), row('mnist-node-0-1', 0.5)],
  gpus: [],
  idle: [],
  idleSettings: { windowSeconds: 1800, threshold: 0.05 },
};

// The buttons' reviews answered as for a viewer: this test is about the figures.
const server = servePage('trainjobs', (s) =>
  answerReview(s, false)
    .on(mlAppsRoutes.listTrainJobs, () => ok({ items: [job] }))
    .on(mlAppsRoutes.listTrainingJobs, () => ok({ kinds: [], items: [] }))
    .on(gpuMonitoringRoutes.getProjectUsage, () => ok(usage)),
);

test("a TrainJob's row sums its nodes' GPU use, and each node's pod shows its own", async () => {
  await withGpuMonitoring(server, async () => {
    openPage('trainjobs');
    const total = await screen.findByText('70% · 60 Gi / 320 Gi');
    assert.equal(total.getAttribute('data-testid'), ML_IDS.gpuUse);
    const perPod = (await screen.findAllByTestId(ML_IDS.replicaGpus)).map((el) => el.textContent);
    assert.deepEqual(perPod, [' · 2 GPU 90% · 30 Gi / 160 Gi', ' · 2 GPU 50% · 30 Gi / 160 Gi']);
  });
});
