// Benchmark `cmdb-alerting` (intake part): a storm of 10,000 alerts in 200 Alertmanager webhook batches POSTed to
// the compiled backend's intake, each answered only after its SQLite commit (WAL, synchronous=FULL: durable), from
// a few concurrent senders as Alertmanager flushes several groups at once. Then the HA peer's copies of the same
// batches, which must add no record. Figures: alerts/s over the storm, p99 latency of one batch, and the records in
// the store afterwards. Then delivery: the storm's 10,000 notifications in the outbox on a real PostgreSQL, sent by
// two replica processes (real store and dispatcher, recording test channel to a stand-in provider); one is SIGKILLed
// midway and started again. Figures: notifications never sent (lost) and sent twice (duplicates: what a provider
// without idempotency keys would show; the resends carry the same key). Then WeCom (wecomStorm below): the
// storm's notifications for one group robot through the real robot channel to the sandbox's WeCom stand-in:
// messages per minute and the alerts they represent.
//   BENCH_CMDB_ALERTS (default 10000), BENCH_CMDB_BATCHES (default 200), BENCH_CMDB_SENDERS (default 4),
//   BENCH_CMDB_PARTS=delivery (the delivery part alone, without the sandbox)
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALERTMANAGER_WEBHOOK_PATH, type AlertmanagerWebhookPayload } from '@ks-gpu-ml/contracts';
import { createAlertIntakeStore } from '../backend/src/clients/store/alert-intake.js';
import { createStore } from '../backend/src/clients/store/index.js';
import { alertFixture, batchFixture } from '../backend/src/features/cmdb-alerting/test-fixtures.js';
import { createOutboxStore } from '../backend/src/clients/store/outbox.js';
import { startPostgres } from '../tests/sandbox/src/databases.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import {
  exited,
  outboxEntries,
  startRecorder,
  startReplica,
} from '../tests/integration/cmdb-alerting/outbox-replicas.js';
import { loadNote, percentile, report, startCompiledBackend, useSandbox } from './lib.js';
import { Registry } from 'prom-client';
import { createWecomRobotChannel } from '../backend/src/clients/channels/wecom-robot.js';
import { SendWindows } from '../backend/src/clients/channels/wecom-send-window.js';
import { createDispatchMetrics } from '../backend/src/features/cmdb-alerting/dispatch-metrics.js';
import { defaultDispatchSettings, startDispatcher } from '../backend/src/features/cmdb-alerting/dispatch.js';

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

/** The outbox part: delivery by two replicas on one PostgreSQL, one SIGKILLed when half has reached the provider. */
async function deliveryStorm(total: number) {
  const postgres = await startPostgres();
  const store = createStore(postgres.url);
  const recorder = await startRecorder();
  const replicas: ChildProcess[] = [];
  try {
    await store.migrate();
    const outbox = createOutboxStore(store);
    await outbox.enqueue(outboxEntries(total, 20), Date.now());
    const { url } = recorder;
    const started = performance.now();
    replicas.push(startReplica('replica-a', postgres.url, url), startReplica('replica-b', postgres.url, url));
    await waitFor(
      'half the storm at the provider',
      async () => recorder.requests.size >= total / 2 || undefined,
      {
        timeoutMs: 120_000,
        intervalMs: 10,
      },
    );
    replicas[0]!.kill('SIGKILL');
    await exited(replicas[0]!);
    replicas.push(startReplica('replica-a2', postgres.url, url));
    await waitFor(
      'every notification delivered',
      async () => (await outbox.depth()).delivered === total || undefined,
      {
        timeoutMs: 300_000,
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const keys = outboxEntries(total, 1).map((e) => e.notification.idempotencyKey);
    // Sends that ran into their deadline may have reached the provider anyway (the trail says so): duplicates
    // that a busy machine makes, not the kill; counted apart so the kill's own figure is readable.
    const late = await store.db
      .selectFrom('outbox_attempt')
      .innerJoin('outbox_delivery', 'outbox_delivery.id', 'outbox_attempt.delivery_id')
      .select('outbox_delivery.idempotency_key')
      .distinct()
      .where('outbox_attempt.outcome', '=', 'retry')
      .where('outbox_attempt.error', 'like', '%aborted%')
      .execute();
    const timedOut = new Set(late.map((r) => r.idempotency_key));
    const twice = [...recorder.requests].filter(([, n]) => n > 1).map(([key]) => key);
    return {
      seconds,
      lost: keys.filter((k) => !recorder.requests.has(k)).length,
      duplicates: twice.length,
      duplicatesAfterTimeout: twice.filter((key) => timedOut.has(key)).length,
    };
  } finally {
    for (const child of replicas) child.kill('SIGTERM');
    await Promise.all(replicas.map(exited));
    await recorder.stop();
    await store.close();
    await postgres.stop();
  }
}

/**
 * The WeCom part of benchmark `cmdb-alerting`: the storm's notifications for one group robot in the outbox (SQLite),
 * sent by the real dispatcher through the real robot channel to the sandbox's WeCom stand-in, which enforces the
 * documented 20 messages a minute per key (45009 beyond) in real time. Read back from the stand-in's received log:
 * the most messages it accepted in any 60 s, the 45009 refusals, and how many alerts the accepted messages
 * represent (each alert's line, plus the "… +N" count of a summarised message), which must be the whole storm.
 */
interface Received {
  at: number;
  errcode: number;
  body: { msgtype?: string; markdown?: { content: string } } | null;
}

/** Alerts one message stands for: its alert lines (`**alert N**` in full, `🔥 **critical** alert N` compact) and "… +N". */
function alertsIn(content: string): number {
  const lines = content.split('\n');
  const shown = lines.filter((l) => /^\*\*alert \d+\*\*$|^(🔥|✅) \*\*\w+\*\* alert \d+$/.test(l)).length;
  const more = lines.reduce((n, l) => n + Number(/^… \+(\d+)$/.exec(l)?.[1] ?? 0), 0);
  return shown + more;
}

/** The most timestamps within any `windowMs` (a sliding window over sorted times). */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function wecomStorm(wecomUrl: string, total: number) {
  const key = randomUUID();
  const standIn = async (path: string, body?: object) => {
    const response = await fetch(new URL(path, wecomUrl), {
      method: body ? 'POST' : 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status !== 200) throw new Error(`WeCom stand-in ${path}: HTTP ${response.status}`);
    return response.json() as Promise<unknown>;
  };
  await standIn('/_stand-in/config', { robots: [key] });
  const store = createStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'bench-wecom-')), 'outbox.sqlite')}`);
  await store.migrate();
  const outbox = createOutboxStore(store);
  const channel = createWecomRobotChannel({
    key,
    baseUrl: wecomUrl,
    windows: new SendWindows(20, 60_000),
    timeoutMs: 10_000,
  });
  await outbox.enqueue(outboxEntries(total, 'ops-robot', { keyPrefix: 'wecom', recipients: [] }), Date.now());
  const started = performance.now();
  // The production settings (batches of 100, 1 s polls): only the store and the provider are the bench's.
  const dispatcher = startDispatcher({
    outbox,
    channelFor: () => channel,
    metrics: createDispatchMetrics(new Registry(), () => outbox.depth()),
    owner: 'bench',
    settings: defaultDispatchSettings,
    onError: (what, message) => console.error(`# wecom storm: ${what}: ${message}`),
  });
  try {
    await waitFor(
      'every notification of the WeCom storm delivered',
      async () => (await outbox.depth()).delivered === total || undefined,
      { timeoutMs: 15 * 60_000, intervalMs: 1_000 },
    );
  } finally {
    await dispatcher.stop();
    await store.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const received = (await standIn(`/_stand-in/received?target=${encodeURIComponent(key)}`)) as Received[];
  const accepted = received.filter((r) => r.errcode === 0);
  return {
    seconds,
    maxPerMinute: maxInWindow(
      accepted.map((r) => r.at),
      60_000,
    ),
    messages: accepted.length,
    refused45009: received.filter((r) => r.errcode === 45009).length,
    represented: accepted.reduce((n, r) => n + alertsIn(r.body?.markdown?.content ?? ''), 0),
  };
}

// BENCH_CMDB_PARTS=delivery runs the delivery part alone: it needs no sandbox (its PostgreSQL is its own), and it
// writes bench/out/cmdb-alerting-delivery.json, leaving the whole benchmark's figures alone.
const alerts = batchCount * perBatch;
const deliveryFigures = (delivery: Awaited<ReturnType<typeof deliveryStorm>>) => [
  { name: 'lost', value: delivery.lost, unit: 'alerts', target: '0' },
  { name: 'duplicates', value: delivery.duplicates, unit: 'alerts', target: '0' },
  { name: 'duplicates_after_timeout', value: delivery.duplicatesAfterTimeout, unit: 'alerts' },
  { name: 'delivery_rate', value: alerts / delivery.seconds, unit: 'notifications/s' },
];
const deliveryNote = `delivery: ${alerts} notifications over 20 receivers in the outbox on PostgreSQL, 2 replica processes (claims of 10 per receiver, 4 receivers at once per replica, one provider message per notification settled as soon as the provider acknowledged it, send deadline 2 s, lease 4 s), one SIGKILLed when half had reached the stand-in provider and restarted; duplicates = alerts the provider received twice (resends after the lease, same idempotency key; at most one per send the killed replica had under way), of which duplicates_after_timeout = those whose send also ran into its deadline (the trail shows it)`;

if (process.env.BENCH_CMDB_PARTS === 'delivery') {
  const delivery = await deliveryStorm(alerts);
  report('cmdb-alerting-delivery', deliveryFigures(delivery), [deliveryNote, loadNote()], 'cmdb-alerting');
  process.exit(0);
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

  const delivery = await deliveryStorm(alerts);
  const wecom = await wecomStorm(env.WECOM_API_URL!, alerts);
  report(
    'cmdb-alerting',
    [
      { name: 'intake_rate', value: alerts / first.seconds, unit: 'alerts/s', target: '≥ 2000 alerts/s' },
      { name: 'intake_p99_ms', value: percentile(first.latencies, 99), unit: 'ms', target: '≤ 50 ms' },
      { name: 'intake_p50_ms', value: percentile(first.latencies, 50), unit: 'ms' },
      { name: 'intake_failures', value: first.failures + peer.failures, unit: 'batches' },
      { name: 'intake_peer_copy_rate', value: alerts / peer.seconds, unit: 'alerts/s' },
      { name: 'intake_recorded', value: stored, unit: 'alerts', target: `${alerts}: each once` },
      ...deliveryFigures(delivery),
      { name: 'wecom_max_per_min', value: wecom.maxPerMinute, unit: 'messages/min', target: '≤ 20' },
      { name: 'alerts_represented', value: wecom.represented, unit: 'alerts', target: `${alerts}` },
      { name: 'wecom_messages', value: wecom.messages, unit: 'messages' },
      { name: 'wecom_refused_45009', value: wecom.refused45009, unit: 'messages', target: '0' },
      { name: 'wecom_storm_seconds', value: wecom.seconds, unit: 's' },
    ],
    [
      `${alerts} alerts in ${batchCount} batches of ${perBatch}, ${senders} concurrent senders, then the same batches again as the HA peer's copies`,
      `compiled backend, STORE_URL=sqlite (WAL, synchronous=FULL), each batch committed before its 200`,
      deliveryNote,
      `WeCom: the ${alerts} notifications for one group robot in the outbox (SQLite), sent by the dispatcher (production settings: batches of 100, 1 s polls) through the robot channel to the sandbox's WeCom stand-in (20 a minute per key in real time, 45009 beyond); wecom_max_per_min = most accepted messages in any 60 s, alerts_represented = alert lines plus "… +N" counts in the accepted messages`,
      loadNote(),
    ],
  );
} finally {
  await backend.stop();
  release();
}
