// Benchmark `cmdb-alerting` (intake part): a storm of 10,000 alerts in 200 Alertmanager webhook batches POSTed to
// the compiled backend's intake, each answered only after its SQLite commit (WAL, synchronous=FULL: durable), from
// a few concurrent senders as Alertmanager flushes several groups at once. Then the HA peer's copies of the same
// batches, which must add no record. Figures: alerts/s over the storm, p99 latency of one batch, and the records in
// the store afterwards. The delivery figures of issue 14 (WeCom per minute, lost/duplicated under SIGKILL) come
// with the delivery stage.
//   BENCH_CMDB_ALERTS (default 10000), BENCH_CMDB_BATCHES (default 200), BENCH_CMDB_SENDERS (default 4)
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTMANAGER_WEBHOOK_PATH, type AlertmanagerWebhookPayload } from '@ks-gpu-ml/contracts';
import { createAlertIntakeStore } from '../backend/src/clients/store/alert-intake.js';
import { createStore } from '../backend/src/clients/store/index.js';
import { alertFixture, batchFixture } from '../backend/src/features/cmdb-alerting/test-fixtures.js';
import { loadNote, percentile, report, startCompiledBackend, useSandbox } from './lib.js';

const totalAlerts = Number(process.env.BENCH_CMDB_ALERTS ?? 10_000);
const batchCount = Number(process.env.BENCH_CMDB_BATCHES ?? 200);
const senders = Number(process.env.BENCH_CMDB_SENDERS ?? 4);
const perBatch = Math.ceil(totalAlerts / batchCount);

const dir = mkdtempSync(join(tmpdir(), 'bench-cmdb-'));
const tokenFile = join(dir, 'token');
const token = randomUUID();
writeFileSync(tokenFile, token);
const storeUrl = `sqlite:${join(dir, 'backend.sqlite')}`;

/** One group per batch (its own groupKey), each alert its own fingerprint, as a crash-looping fleet produces. */
const batches: AlertmanagerWebhookPayload[] = Array.from({ length: batchCount }, (_, b) =>
  batchFixture(
    Array.from({ length: perBatch }, (_, i) => alertFixture(b * perBatch + i)),
    { groupKey: `{}:{alertname="KubePodCrashLooping", namespace="ns-${b}"}` },
  ),
);

/** Sends every batch through `senders` concurrent loops; returns each batch's latency in ms and the wall time. */
async function storm(url: string): Promise<{ latencies: number[]; seconds: number; failures: number }> {
  const bodies = batches.map((b) => JSON.stringify(b));
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: senders }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const t0 = performance.now();
        const response = await fetch(url + ALERTMANAGER_WEBHOOK_PATH, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body,
        });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== 200) failures++;
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000, failures };
}

const { env, release } = useSandbox();
const backend = await startCompiledBackend(env.KUBECONFIG, {
  env: { FEATURES: 'cmdb-alerting', STORE_URL: storeUrl, ALERT_INTAKE_TOKEN_FILE: tokenFile },
});
try {
  // Warm-up on other groups: JIT, connection, the store's first pages.
  const warm = batchFixture([alertFixture(10_000_000)], { groupKey: '{}:{warm-up}' });
  await fetch(backend.url + ALERTMANAGER_WEBHOOK_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(warm),
  });

  const first = await storm(backend.url);
  const peer = await storm(backend.url); // the second Alertmanager's copies
  const store = createStore(storeUrl);
  const stored = (await createAlertIntakeStore(store).countAlerts()) - 1; // minus the warm-up alert
  await store.close();

  const alerts = batchCount * perBatch;
  report(
    'cmdb-alerting',
    [
      { name: 'intake_rate', value: alerts / first.seconds, unit: 'alerts/s', target: '≥ 2000 alerts/s' },
      { name: 'intake_p99_ms', value: percentile(first.latencies, 99), unit: 'ms', target: '≤ 50 ms' },
      { name: 'intake_p50_ms', value: percentile(first.latencies, 50), unit: 'ms' },
      { name: 'intake_failures', value: first.failures + peer.failures, unit: 'batches' },
      { name: 'intake_peer_copy_rate', value: alerts / peer.seconds, unit: 'alerts/s' },
      { name: 'intake_recorded', value: stored, unit: 'alerts', target: `${alerts}: each once` },
    ],
    [
      `${alerts} alerts in ${batchCount} batches of ${perBatch}, ${senders} concurrent senders, then the same batches again as the HA peer's copies`,
      `compiled backend, STORE_URL=sqlite (WAL, synchronous=FULL), each batch committed before its 200`,
      loadNote(),
    ],
  );
} finally {
  await backend.stop();
  release();
}
