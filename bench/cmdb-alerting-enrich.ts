// Enrichment part of benchmark `cmdb-alerting` (issue 15): the 10,000-alert storm through the business resolver with
// the NetBox adapter behind its cache, against the CMDB stand-in (in-process, its generated estate: 60 systems,
// 5,000 workloads). Each alert is a pod of an estate workload in its namespace; one in ten is in a namespace no
// system owns. The owner chain answers from memory (pod → ReplicaSet → Deployment, no part-of label), so the
// figures measure the resolver and the CMDB path, not kube-apiserver reads (those are cached 30 s in production).
// Cold pass (CMDB asked once per namespace), then the warm pass, which gives the figures.
import type { AddressInfo } from 'node:net';
import { createCachedCmdb } from '../backend/src/clients/cmdb/cached.js';
import type { KubeOwners } from '../backend/src/clients/cmdb/kube-owners.js';
import { createNetboxAdapter } from '../backend/src/clients/cmdb/netbox.js';
import { defaultBusinessMapping } from '../backend/src/features/cmdb-alerting/business-resolve.js';
import { createEnricher } from '../backend/src/features/cmdb-alerting/enrich.js';
import { createTranslator, shippedCatalogues } from '../backend/src/platform/i18n.js';
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

const cold = await pass();
const requestsCold = state.requests.netbox;
const warm = await pass();
server.close();
report(
  'cmdb-alerting-enrich',
  [
    { name: 'enrich_p99_ms', value: percentile(warm.ms, 99), unit: 'ms', target: '≤ 20 (warm)' },
    { name: 'enrich_p50_ms', value: percentile(warm.ms, 50), unit: 'ms' },
    {
      name: 'enrich_rate',
      value: ALERTS / (warm.wallMs / 1000),
      unit: 'alerts/s',
      target: 'part of ≥ 2,000 end to end',
    },
    { name: 'alerts_named', value: warm.named, unit: 'alerts', target: `${ALERTS}` },
    { name: 'cold_enrich_p99_ms', value: percentile(cold.ms, 99), unit: 'ms' },
    { name: 'cmdb_requests_cold', value: requestsCold, unit: 'requests' },
    { name: 'cmdb_requests_warm', value: state.requests.netbox - requestsCold, unit: 'requests' },
    { name: 'cmdb_cache_bytes', value: cmdb.bytes, unit: 'bytes' },
  ],
  [
    loadNote(),
    'resolver + NetBox adapter + cache against the in-process CMDB stand-in; owner chain from memory',
  ],
);
