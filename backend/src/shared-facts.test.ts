// The facts several features read come from one source per process (docs/adr/0023): both features asked for
// workspace membership open one namespace watch between them, not one each.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { describe, it } from 'node:test';
import { createKubeClient } from './clients/kube.js';
import { liveWatchPaths } from './clients/kube-cache.js';
import type { PrometheusClient } from './clients/prometheus.js';
import { kubeconfigFor } from './clients/test-kubeconfig.js';
import { createWorkspaceMembership } from './clients/workspace-membership.js';
import { createMonitoringIo } from './features/gpu-monitoring/io.js';
import { createGpuQuotaKube } from './features/gpu-quota/kube-io.js';
import { kubeStateMetricsLabel, WORKSPACE_LABEL } from './shared/workspace-label.js';

/** An apiserver that hangs up on every connection: each list fails at once, so the caches exist but never fill. */
async function hangingUpServer(): Promise<Server> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('shared facts', () => {
  it('gpu-quota and gpu-monitoring share one namespace watch', async () => {
    const server = await hangingUpServer();
    const { port } = server.address() as { port: number };
    const kube = createKubeClient({
      kubeconfigPath: kubeconfigFor(`http://127.0.0.1:${port}`),
      timeoutMs: 500,
    });
    const maxBytes = 64 * 1024 * 1024;
    const membership = createWorkspaceMembership(kube, { maxBytes });
    const quotaKube = createGpuQuotaKube(kube, membership, { watchCacheMaxBytes: maxBytes });
    const io = createMonitoringIo({ baseUrl: 'http://prometheus' } as PrometheusClient, membership);
    try {
      // Together, so all wait on the first list (a later call would wait for the cache's next retry).
      await Promise.all(
        [quotaKube.clusterSnapshot(), io.workspaces(), io.namespacesOfWorkspace('ws-alpha')].map((call) =>
          assert.rejects(call),
        ),
      );
      const paths = liveWatchPaths();
      assert.equal(paths.filter((p) => p === '/api/v1/namespaces').length, 1, paths.join(', '));
      assert.equal(new Set(paths).size, paths.length, `a kind watched twice: ${paths.join(', ')}`);
    } finally {
      await Promise.all([quotaKube.stop(), membership.stop()]);
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('the workspace label has one definition; kube-state-metrics names it by its own rule', () => {
    assert.equal(kubeStateMetricsLabel(WORKSPACE_LABEL), 'label_kubesphere_io_workspace');
    assert.equal(kubeStateMetricsLabel('app.kubernetes.io/part-of'), 'label_app_kubernetes_io_part_of');
  });
});
