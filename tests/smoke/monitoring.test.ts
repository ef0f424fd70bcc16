// Smoke tests: Prometheus scrapes the dcgm-exporter simulator for running GPU pods, and
// Alertmanager delivers to a webhook.
import { CoreV1Api } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { readSandboxEnv } from '../sandbox/src/env.js';
import { currentAlertWebhook, routeAlertsTo } from '../sandbox/src/monitoring.js';
import { adminKubeConfig, createTestNamespace, gpuPod, waitFor } from '../sandbox/src/testing.js';

const env = readSandboxEnv();

interface PromSample {
  metric: Record<string, string>;
  value: [number, string];
}

async function instantQuery(query: string): Promise<PromSample[]> {
  const response = await fetch(`${env.PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; data: { result: PromSample[] } };
  assert.equal(body.status, 'success');
  return body.data.result;
}

describe('Prometheus with the dcgm-exporter simulator', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  before(async () => {
    ns = await createTestNamespace('smoke-prom');
  });
  after(async () => ns.remove());

  it('returns DCGM_FI_DEV_GPU_UTIL for a Running GPU pod, labelled with its namespace and pod', async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: ns.name, body: gpuPod('busy', ns.name, 1) });
    const samples = await waitFor(
      'DCGM_FI_DEV_GPU_UTIL for the pod',
      async () => {
        const result = await instantQuery(`DCGM_FI_DEV_GPU_UTIL{namespace="${ns.name}",pod="busy"}`);
        return result.length > 0 ? result : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 1000 },
    );
    assert.equal(samples.length, 1, 'one GPU for a one-GPU pod');
    const [sample] = samples;
    const pod = await core.readNamespacedPod({ name: 'busy', namespace: ns.name });
    assert.equal(sample!.metric.Hostname, pod.spec?.nodeName);
    assert.ok(Number(sample!.value[1]) > 0, 'a busy pod shows utilization');
  });

  it('scrapes kube-state-metrics-style GPU requests from the real API', async () => {
    const result = await waitFor(
      'kube_pod_container_resource_requests for the pod',
      async () => {
        const r = await instantQuery(
          `kube_pod_container_resource_requests{namespace="${ns.name}",pod="busy",resource="nvidia_com_gpu"}`,
        );
        return r.length > 0 ? r : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 1000 },
    );
    assert.equal(result[0]!.value[1], '1');
  });
});

describe('Alertmanager', () => {
  let previous: string | undefined;
  before(() => {
    previous = currentAlertWebhook();
  });
  after(async () => {
    await routeAlertsTo(env.ALERTMANAGER_URL, previous);
  });

  it('delivers an alert to a local webhook', async () => {
    const received: unknown[] = [];
    const server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      await routeAlertsTo(env.ALERTMANAGER_URL, `http://127.0.0.1:${port}/alerts`);
      const alertname = `SmokeTest${Date.now()}`;
      const post = await fetch(`${env.ALERTMANAGER_URL}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([
          { labels: { alertname, severity: 'info' }, annotations: { summary: 'smoke' } },
        ]),
      });
      assert.equal(post.status, 200);
      // The sandbox's own rules fire real alerts too (the simulator has a GPU with an XID error) and
      // they reach the same webhook: look for the call that carries ours.
      type Payload = { version: string; alerts: { labels: Record<string, string>; status: string }[] };
      const payload = await waitFor(
        `the webhook call with ${alertname}`,
        async () =>
          (received as Payload[]).find((p) => p.alerts.some((a) => a.labels.alertname === alertname)),
        { timeoutMs: 30_000 },
      );
      assert.equal(payload.version, '4');
      const ours = payload.alerts.find((a) => a.labels.alertname === alertname);
      assert.equal(ours?.status, 'firing');
    } finally {
      server.close();
    }
  });
});
