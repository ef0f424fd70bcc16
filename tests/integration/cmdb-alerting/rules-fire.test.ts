// What fires, end to end with the sandbox's real parts: KWOK's fault stages drive annotated pods into a crash loop,
// an OOM kill and never ready; the kube-state-metrics stand-in reports that status; the real Prometheus evaluates
// cmdb-alerting's container rules (loaded with the sandbox's short `for:`, ADR 0029) and sends the alerts to both
// Alertmanagers of the pair. Waits for evaluations, never for a fixed time, and fakes no clock.
import { CoreV1Api } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { labelOf, parseExposition, type ParsedSample } from '../../sandbox/dcgm-sim/prom-text.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { faultyPod, type Fault } from '../../sandbox/src/pod-faults.js';
import { adminKubeConfig, createTestNamespace, waitFor } from '../../sandbox/src/testing.js';

const env = readSandboxEnv();
const PODS: Record<Fault, string> = { 'crash-loop': 'crash', 'oom-kill': 'oom', 'never-ready': 'unready' };
/** Scrape + evaluation every 5 s, for: 10 s, a KWOK round of 13 s: a minute or two on a loaded machine. */
const ALERT_TIMEOUT_MS = 150_000;

interface PromAlert {
  metric: Record<string, string>;
}
interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
}

async function firing(namespace: string): Promise<PromAlert[]> {
  const query = `ALERTS{alertstate="firing", namespace="${namespace}"}`;
  const response = await fetch(`${env.PROMETHEUS_URL}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await response.json()) as { status: string; data: { result: PromAlert[] } };
  assert.equal(body.status, 'success');
  return body.data.result;
}

async function alertmanagerAlerts(url: string, namespace: string): Promise<AmAlert[]> {
  const filter = encodeURIComponent(`namespace="${namespace}"`);
  const response = await fetch(`${url}/api/v2/alerts?filter=${filter}`);
  assert.equal(response.status, 200);
  return (await response.json()) as AmAlert[];
}

async function ksmSamples(family: string, namespace: string): Promise<ParsedSample[]> {
  const text = await (await fetch(`${env.DCGM_SIM_URL}/ksm/metrics`)).text();
  return (parseExposition(text).get(family)?.samples ?? []).filter(
    (s) => labelOf(s, 'namespace') === namespace,
  );
}

const valueFor = (samples: ParsedSample[], pod: string, labels: Record<string, string> = {}) =>
  samples.find(
    (s) => labelOf(s, 'pod') === pod && Object.entries(labels).every(([k, v]) => labelOf(s, k) === v),
  )?.value;

describe('container alert rules fire from KWOK pods in trouble (sandbox)', () => {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;

  before(async () => {
    ns = await createTestNamespace('rules-fire');
    for (const [fault, name] of Object.entries(PODS) as [Fault, string][]) {
      await core.createNamespacedPod({ namespace: ns.name, body: faultyPod(name, ns.name, fault) });
    }
  });
  after(async () => {
    await ns?.remove();
  });

  it('the kube-state-metrics stand-in reports the status the fault stages set', async () => {
    await waitFor(
      'crash: CrashLoopBackOff and 2+ restarts; oom: last terminated OOMKilled, 1 restart; unready: Ready=false',
      async () => {
        const restarts = await ksmSamples('kube_pod_container_status_restarts_total', ns.name);
        const waiting = await ksmSamples('kube_pod_container_status_waiting_reason', ns.name);
        const last = await ksmSamples('kube_pod_container_status_last_terminated_reason', ns.name);
        const ready = await ksmSamples('kube_pod_status_ready', ns.name);
        return (
          (valueFor(restarts, PODS['crash-loop']) ?? 0) >= 2 &&
          valueFor(waiting, PODS['crash-loop'], { reason: 'CrashLoopBackOff' }) === 1 &&
          valueFor(last, PODS['oom-kill'], { reason: 'OOMKilled' }) === 1 &&
          valueFor(restarts, PODS['oom-kill']) === 1 &&
          valueFor(ready, PODS['never-ready'], { condition: 'false' }) === 1
        );
      },
      { timeoutMs: 90_000, intervalMs: 1000 },
    );
  });

  it('Prometheus fires ContainerCrashLooping, ContainerOOMKilled and PodNotReady for the right pods', async () => {
    const want = [
      ['ContainerCrashLooping', PODS['crash-loop']],
      ['ContainerOOMKilled', PODS['oom-kill']],
      ['PodNotReady', PODS['never-ready']],
    ];
    const seen = new Set<string>();
    await waitFor(
      `firing in ${ns.name}: ${want.map((w) => w.join('/')).join(', ')}`,
      async () => {
        for (const a of await firing(ns.name)) seen.add(`${a.metric.alertname}/${a.metric.pod}`);
        return want.every((w) => seen.has(w.join('/')));
      },
      { timeoutMs: ALERT_TIMEOUT_MS, intervalMs: 2000 },
    );
    // The crash-looping pod is not ready too, but ContainerCrashLooping speaks for it.
    assert.ok(!seen.has(`PodNotReady/${PODS['crash-loop']}`), [...seen].join(', '));
  });

  it('both Alertmanagers of the pair hold the crash-loop alert, with its labels and Chinese texts', async () => {
    for (const url of [env.ALERTMANAGER_URL, env.ALERTMANAGER_PEER_URL!]) {
      const alert = await waitFor(
        `ContainerCrashLooping for ${ns.name}/${PODS['crash-loop']} in Alertmanager ${url}`,
        async () =>
          (await alertmanagerAlerts(url, ns.name)).find(
            (a) => a.labels.alertname === 'ContainerCrashLooping',
          ),
        { timeoutMs: 60_000, intervalMs: 1000 },
      );
      assert.equal(alert.status.state, 'active');
      assert.equal(alert.labels.severity, 'critical');
      assert.equal(alert.labels.pod, PODS['crash-loop']);
      assert.equal(alert.labels.container, 'main');
      assert.match(alert.annotations.summary_zh ?? '', new RegExp(`${ns.name}/${PODS['crash-loop']}`));
      assert.match(alert.annotations.summary ?? '', /crash looping/);
    }
  });
});
