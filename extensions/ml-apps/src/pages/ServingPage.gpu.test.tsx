// The Serving page's live GPU figures of a service's pod (utilisation and memory, gpu-monitoring's per-workload
// answer) and its link to gpu-monitoring's workload page: offered where gpu-monitoring is installed and the caller
// may read the pod's GPU figures (ADR 0020).
import '@ks-gpu-ml/ui/testing/dom';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import {
  gpuMonitoringRoutes,
  mlAppsServingRoutes,
  platformRoutesOfGroup,
  type InferenceServiceDetail,
  type InferenceServiceSummary,
} from '@ks-gpu-ml/contracts';
import { ok } from '@ks-gpu-ml/ui/testing/contract-server';
import { SERVING_IDS } from '../serving-ids.js';
import { openPage, servePage, withGpuMonitoring } from '../testing/pages.js';

const monitoring = platformRoutesOfGroup(gpuMonitoringRoutes.getWorkloadUsage.group);

const iris: InferenceServiceSummary = {
  name: 'iris',
  namespace: 'team-a',
  status: { phase: 'ready' },
  replicas: { ready: 1, pods: 1 },
  gpus: [{ resource: 'nvidia.com/gpu', count: 1 }],
  traffic: [],
  createdAt: new Date().toISOString(),
};

const server = servePage('serving', (s) =>
  s
    .on(mlAppsServingRoutes.listInferenceServices, () => ok({ items: [iris] }))
    .on(mlAppsServingRoutes.getInferenceService, () =>
      ok({
        ...iris,
        conditions: [],
        pods: [{ name: 'iris-predictor-0', component: 'predictor', status: { phase: 'ready' } }],
        events: [],
      } as InferenceServiceDetail),
    ),
);

const openDetails = async () => {
  openPage('serving');
  fireEvent.click(await screen.findByTestId(SERVING_IDS.detailsOpen));
  await screen.findByTestId(SERVING_IDS.pod);
};

test("a pod links to gpu-monitoring's live GPU view where it is installed and the caller may read it", async () => {
  server.on(gpuMonitoringRoutes.getWorkloadUsage, () =>
    ok({
      time: 1_767_000_000,
      namespace: 'team-a',
      pod: 'iris-predictor-0',
      containers: [
        {
          container: 'kserve-container',
          devices: 1,
          utilization: 0.375,
          memoryUsedBytes: 12 * 2 ** 30,
          memoryTotalBytes: 80 * 2 ** 30,
        },
        // A container without GPUs has no figures to show.
        { container: 'queue-proxy', devices: 0 },
      ],
      gpus: [],
    }),
  );
  await withGpuMonitoring(server, async () => {
    await openDetails();
    const link = await screen.findByTestId(SERVING_IDS.podGpu);
    assert.equal(
      link.getAttribute('href'),
      '/workspaces/ws-a/gpu-monitoring/projects/team-a/workloads/iris-predictor-0',
    );
    const review = server.callsTo(monitoring.createSelfAccessReview)[0]?.body as { resource?: string };
    assert.equal(review.resource, 'gpuworkloads');
    // gpu-monitoring's own answer for the pod, shown in the detail.
    const live = await screen.findByTestId(SERVING_IDS.podGpuLive);
    await waitFor(() =>
      assert.equal(live.textContent, 'kserve-container (1 GPU): 37.5% utilization, 12 GiB / 80 GiB memory'),
    );
    assert.equal(server.callsTo(gpuMonitoringRoutes.getWorkloadUsage)[0]?.params.name, 'iris-predictor-0');
  });
});

test('no link where gpu-monitoring is not installed (nothing asked)', async () => {
  await openDetails();
  assert.equal(screen.queryByTestId(SERVING_IDS.podGpu), null);
  assert.equal(screen.queryByTestId(SERVING_IDS.podGpuLive), null);
  assert.equal(server.callsTo(monitoring.createSelfAccessReview).length, 0);
  assert.equal(server.callsTo(gpuMonitoringRoutes.getWorkloadUsage).length, 0);
});
