// Enrichment part of benchmark `cmdb-alerting` (issue 15): the 10,000-alert storm through the business resolver with
// the NetBox adapter behind its cache, against the CMDB stand-in (in-process, its generated estate: 60 systems,
// 5,000 workloads). Each alert is a pod of an estate workload in its namespace; one in ten is in a namespace no
// system owns. The owner chain answers from memory (pod → ReplicaSet → Deployment, no part-of label), so the
// figures measure the resolver and the CMDB path, not kube-apiserver reads (those are cached 30 s in production).
// Cold pass (CMDB asked once per namespace), then the warm pass, which gives the per-alert figures. Then the same
// storm end to end with enrichment on (chainStorm below): recorded by the intake's store in 200 webhook batches
// (SQLite, WAL, synchronous=FULL, as the intake commits before its 200), read by the escalation engine, which enriches
// each alert (CMDB answers cached), routes it by business and renders its first message into the outbox: the
// storm's alerts/s to its last message and how many messages name their business system or "unowned". The HTTP
// part of the intake is measured by benchmark cmdb-alerting (intake_rate).
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AlertBusiness } from '@ks-gpu-ml/contracts';
import { createCachedCmdb } from '../backend/src/clients/cmdb/cached.js';
import type { KubeOwners } from '../backend/src/clients/cmdb/kube-owners.js';
import { createNetboxAdapter } from '../backend/src/clients/cmdb/netbox.js';
import { defaultBusinessMapping } from '../backend/src/features/cmdb-alerting/business-resolve.js';
import { createEnricher } from '../backend/src/features/cmdb-alerting/enrich.js';
import { createAlertIntakeStore } from '../backend/src/clients/store/alert-intake.js';
import { toIntakeBatch } from '../backend/src/features/cmdb-alerting/service.js';
import { escalationRig } from '../backend/src/features/cmdb-alerting/test-escalation.js';
import { alertFixture, batchFixture } from '../backend/src/features/cmdb-alerting/test-fixtures.js';
import { createTranslator, shippedCatalogues } from '../backend/src/core/i18n.js';
import { createCmdbStandIn } from '../tests/sandbox/stand-ins/cmdb/server.js';
import { CmdbState, standInCredentials } from '../tests/sandbox/stand-ins/cmdb/state.js';
import { loadNote, percentile, report } from './lib.js';

const ALERTS = 10_000;
const state = new CmdbState();
const server = createCmdbStandIn(state);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const owners: KubeOwners = {
  async ownerChain({ namespace, name }) {
    return [
      { kind: 'Pod', namespace, name, labels: {}, annotations: {} },
      { kind: 'ReplicaSet', namespace, name: `${name}-rs`, labels: {}, annotations: {} },
      { kind: 'Deployment', namespace, name: `${name}-deploy`, labels: {}, annotations: {} },
    ];
  },
  namespace: async (name) => ({ kind: 'Namespace', name, labels: {}, annotations: {} }),
};
const cmdb = createCachedCmdb(
  createNetboxAdapter({ baseUrl: base, token: () => standInCredentials.netboxToken }),
  {
    ttlMs: 10 * 60_000,
    lastKnownMs: 24 * 3_600_000,
    maxBytes: 16 * 1024 * 1024,
    deadlineMs: 5_000,
  },
);
const enrich = createEnricher({
  owners,
  cmdb,
  config: defaultBusinessMapping,
  translate: createTranslator(shippedCatalogues()),
});

const workloads = state.estate.workloads;
const alerts = Array.from({ length: ALERTS }, (_, i) => {
  const w = workloads[i % workloads.length]!;
  const namespace = i % 10 === 9 ? `unmapped-${i % 50}` : w.namespace;
  return { alertname: 'ContainerCrashLooping', severity: 'critical', namespace, pod: `${w.name}-${i}` };
});

async function pass(): Promise<{ ms: number[]; named: number; wallMs: number }> {
  const ms: number[] = [];
  let named = 0;
  const start = performance.now();
  for (const labels of alerts) {
    const t = performance.now();
    const e = await enrich(labels);
    ms.push(performance.now() - t);
    const expected = e.unowned ? 'unowned' : e.system.value;
    if (e.impact.en.includes(expected) && e.impact.zh.includes(expected)) named++;
  }
  return { ms, named, wallMs: performance.now() - start };
}

const BATCHES = 200;

/**
 * The storm through the intake's store and the escalation engine, enrichment and routing on: one routing policy
 * takes every alert to one webhook receiver at once. Returns the wall time from the first batch's commit to the
 * last message in the outbox, and how many messages name the system the enrichment resolved (or "unowned").
 */
async function chainStorm(): Promise<{ seconds: number; messages: number; named: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-enrich-chain-'));
  const systems = new Map<string, string>();
  const { store, engine, sent, routing } = await escalationRig({
    storeUrl: `sqlite:${join(dir, 'backend.sqlite')}`,
    now: () => Date.now(),
    receivers: [
      {
        name: 'ops',
        type: 'webhook',
        settings: { url: 'https://hooks.example.invalid/ops' },
        secretRefs: {},
        recipients: [],
      },
    ],
    policies: [],
    owners,
    // The enricher over the NetBox stand-in, noting the system each pod resolved to.
    enrich: async (labels): Promise<AlertBusiness> => {
      const business = await enrich(labels);
      systems.set(labels.pod!, business.unowned ? 'unowned' : business.system.value);
      return business;
    },
    routing: true,
  });
  await routing!.create({ name: 'everything', priority: 100, match: {}, receivers: ['ops'] });
  const startsAt = new Date().toISOString();
  const perBatch = ALERTS / BATCHES;
  const batches = Array.from({ length: BATCHES }, (_, b) =>
    batchFixture(
      alerts
        .slice(b * perBatch, (b + 1) * perBatch)
        .map((labels, i) => alertFixture(b * perBatch + i + 1, { labels, startsAt })),
      { groupKey: `{}:{batch="${b}"}` },
    ),
  );
  const intake = createAlertIntakeStore(store);
  const start = performance.now();
  for (const batch of batches) await intake.record(toIntakeBatch(batch, Date.now()));
  // Each tick reads up to 500 intake rows and steps up to 500 escalations; a bound in case messages go missing.
  for (let tick = 0; sent.length < ALERTS && tick < 1_000; tick++) await engine.tick();
  const seconds = (performance.now() - start) / 1000;
  const named = sent.filter(({ notification: n }) => {
    const pod = /pod=([^\s,}]+)/.exec(n.text)?.[1];
    const system = pod ? systems.get(pod) : undefined;
    return system !== undefined && n.text.includes(system);
  }).length;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, messages: sent.length, named };
}

const cold = await pass();
const requestsCold = state.requests.netbox;
const warm = await pass();
const chain = await chainStorm();
server.close();
report(
  'cmdb-alerting-enrich',
  [
    {
      name: 'enriched_intake_rate',
      value: ALERTS / chain.seconds,
      unit: 'alerts/s',
      target: '≥ 2,000 (intake store → enrichment → routing → first message)',
    },
    {
      name: 'alerts_named',
      value: chain.named,
      unit: 'alerts',
      target: `${ALERTS}: each message names its system or "unowned"`,
    },
    { name: 'chain_messages', value: chain.messages, unit: 'messages' },
    { name: 'enrich_p99_ms', value: percentile(warm.ms, 99), unit: 'ms', target: '≤ 20 (warm)' },
    { name: 'enrich_p50_ms', value: percentile(warm.ms, 50), unit: 'ms' },
    {
      name: 'enrich_rate',
      value: ALERTS / (warm.wallMs / 1000),
      unit: 'alerts/s',
      target: 'part of ≥ 2,000 end to end',
    },
    { name: 'impact_named', value: warm.named, unit: 'alerts', target: `${ALERTS}` },
    { name: 'cold_enrich_p99_ms', value: percentile(cold.ms, 99), unit: 'ms' },
    { name: 'cmdb_requests_cold', value: requestsCold, unit: 'requests' },
    { name: 'cmdb_requests_warm', value: state.requests.netbox - requestsCold, unit: 'requests' },
    { name: 'cmdb_cache_bytes', value: cmdb.bytes, unit: 'bytes' },
  ],
  [
    loadNote(),
    'resolver + NetBox adapter + cache against the in-process CMDB stand-in; owner chain from memory',
    `end to end: ${ALERTS} alerts in ${BATCHES} batches recorded by the intake store (SQLite), escalation engine ticks until every first message is in the outbox (a recording stand-in); impact_named = enrichments whose impact sentence (en and zh) names the system`,
    "printed under the issue's names (cmdb-alerting.enriched_intake_rate, .enrich_p99_ms, .alerts_named)",
  ],
  'cmdb-alerting',
);
