// The gpu-monitoring API against the sandbox, through our own backend process (Kubernetes auth mode), fed by the
// dcgm-exporter simulator: figures equal the simulator's load profiles, idle-allocated finds exactly the idle pods,
// tenants see only their namespaces and get 403 on cluster routes, bad levels and ranges are refused naming the
// field, GPU-hours match the recorded accounting samples (JSON and CSV), and an unreachable Prometheus is a 502
// naming its URL. Bounded waits only: scrape 5 s, accounting rule 1 min, the shortest idle window 5 min.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { GPU_MONITORING_GROUP, ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { PROFILE_TABLE } from '../../sandbox/dcgm-sim/profiles.js';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import {
  adminKubeConfig,
  createTestNamespace,
  gpuPod,
  uniqueName,
  waitFor,
} from '../../sandbox/src/testing.js';
import { query } from './prometheus.js';
import { RECORDED } from '../../../backend/src/features/gpu-monitoring/recorded.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { urlOf } from '../backend/fixtures.js';
import { undoAfterTests } from '../backend/undo.js';

const BASE = `/kapis/${GPU_MONITORING_GROUP}/v1alpha1`;
const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const token = (user: string) => sandboxUser(user).token;
const ANNOTATION = 'sandbox.ks-gpu-ml.io/';
const IDLE_MINUTES = 5; // the API's shortest idle window

type Json = Record<string, unknown>;
interface Card {
  node: string;
  uuid: string;
  holders: { namespace: string; pod: string }[];
  health: string;
  xid?: { code: string };
  utilization?: number;
  tensorActive?: number;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  temperatureC?: number;
}
interface UsageRow {
  namespace?: string;
  pod?: string;
  devices: number;
  utilization?: number;
  requested?: Record<string, number>;
}
interface ScopeUsage {
  totals: UsageRow & { idleAllocated: number };
  rows: UsageRow[];
  gpus: Card[];
  idle: { namespace: string; pod: string }[];
}

let backend: BackendProcess;
const cleanups = undoAfterTests();
const workspace = uniqueName('gpuapi-ws');
let nsA: string; // busy, idle-one, idle-two: four whole GPUs
let nsB: string; // overheat and xid: two whole GPUs
let podsCreatedAt: number;
/** GPUs whose last XID predates this run: dcgm-exporter never resets it, so a GPU an earlier run crashed stays "xid". */
let earlierXid: Set<string>;

const get = (path: string, user = 'admin', headers: Record<string, string> = {}) =>
  call(backend, 'GET', BASE + path, { token: token(user), headers });
const ok = async <T = Json>(path: string, user = 'admin'): Promise<T> => {
  const res = await get(path, user);
  assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
  return res.body as T;
};

/** A pod on the whole-GPU nodes (dcgm-exporter cannot attribute HAMi-shared GPUs) with a load profile. */
function profiledPod(name: string, ns: string, count: number, annotations: Record<string, string>): V1Pod {
  const pod = gpuPod(name, ns, count, { annotations });
  pod.spec!.nodeSelector = { 'nvidia.com/gpu.count': '8' };
  return pod;
}

const inRange = (v: number | undefined, [lo, hi]: readonly [number, number], slack = 0) =>
  v !== undefined && v >= lo - slack && v <= hi + slack;

before(async () => {
  await applyFeatureRbac(kc, ROUTE_TABLE, readSandboxUsers());
  backend = await startBackend({ IDENTITY_CACHE_TTL_MS: '1000', AUTHZ_CACHE_TTL_MS: '0' });
  const a = await createTestNamespace('gpuapi-a', workspace);
  const b = await createTestNamespace('gpuapi-b', workspace);
  cleanups.push(a.remove, b.remove);
  nsA = a.name;
  nsB = b.name;
  earlierXid = new Set((await query('DCGM_FI_DEV_XID_ERRORS != 0')).map((s) => s.metric.UUID!));
  podsCreatedAt = Math.floor(Date.now() / 1000);
  const pods: [string, string, number, Record<string, string>][] = [
    [nsA, 'busy', 1, { [`${ANNOTATION}gpu-profile`]: 'busy' }],
    [nsA, 'idle-one', 1, { [`${ANNOTATION}gpu-profile`]: 'idle' }],
    [nsA, 'idle-two', 2, { [`${ANNOTATION}gpu-profile`]: 'idle' }],
    [nsB, 'overheat', 1, { [`${ANNOTATION}gpu-profile`]: 'overheat' }],
    [nsB, 'crash', 1, { [`${ANNOTATION}gpu-profile`]: 'xid', [`${ANNOTATION}xid-at`]: '5s' }],
  ];
  for (const [ns, name, count, annotations] of pods) {
    await core.createNamespacedPod({ namespace: ns, body: profiledPod(name, ns, count, annotations) });
  }
  await waitFor('our GPU routes readable by alice (RBAC aggregated)', async () => {
    return (await get('/namespaces/alpha-train/gpuusage', 'alice')).status === 200;
  });
  await waitFor(
    'all six GPUs of the test pods on the API',
    async () => {
      const usage = (await get(`/workspaces/${workspace}/gpuusage`)).body as unknown as ScopeUsage;
      return usage.totals?.devices === 6;
    },
    { timeoutMs: 90_000, intervalMs: 1000 },
  );
});

after(async () => assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0'));

describe('figures match the simulator profiles', () => {
  it('project usage: per-workload devices and utilization, cards with holders, memory share, temperature', async () => {
    const usage = await ok<ScopeUsage>(`/namespaces/${nsA}/gpuusage`);
    assert.equal(usage.totals.devices, 4);
    assert.deepEqual(usage.totals.requested, { 'nvidia.com/gpu': 4 });
    const byPod = new Map(usage.rows.map((r) => [r.pod, r]));
    assert.deepEqual([...byPod.keys()].sort(), ['busy', 'idle-one', 'idle-two']);
    assert.deepEqual(
      ['busy', 'idle-one', 'idle-two'].map((p) => byPod.get(p)!.devices),
      [1, 1, 2],
    );
    assert.ok(inRange(byPod.get('busy')!.utilization, PROFILE_TABLE.busy.grEngineActive), 'busy utilization');
    assert.equal(byPod.get('idle-one')!.utilization, 0);
    assert.equal(byPod.get('idle-two')!.utilization, 0);

    assert.equal(usage.gpus.length, 4);
    for (const card of usage.gpus) {
      assert.equal(card.holders.length, 1);
      assert.equal(card.holders[0]!.namespace, nsA);
      const profile = card.holders[0]!.pod === 'busy' ? PROFILE_TABLE.busy : PROFILE_TABLE.idle;
      const share = card.memoryUsedBytes! / card.memoryTotalBytes!;
      assert.ok(inRange(share, profile.fbFraction, 0.002), `${card.holders[0]!.pod}: memory share ${share}`);
      assert.ok(
        inRange(card.temperatureC, profile.tempC),
        `${card.holders[0]!.pod}: ${card.temperatureC} °C`,
      );
      assert.ok(inRange(card.tensorActive, profile.tensorActive), `${card.holders[0]!.pod}: tensor`);
      assert.equal(card.health, earlierXid.has(card.uuid) ? 'xid' : 'ok', `${card.uuid} health`);
    }
  });

  it('workspace usage: one row per project, totals over both', async () => {
    const usage = await ok<ScopeUsage>(`/workspaces/${workspace}/gpuusage`);
    assert.deepEqual(
      usage.rows.map((r) => [r.namespace, r.devices, r.requested]),
      [
        [nsA, 4, { 'nvidia.com/gpu': 4 }],
        [nsB, 2, { 'nvidia.com/gpu': 2 }],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
    assert.equal(usage.totals.devices, 6);
    assert.equal(usage.gpus.length, 6);
  });

  it('GPU cards: overheat is hot, the crashed job shows its XID; sorting and filters run on the API', async () => {
    const cards = await waitFor(
      'the XID of the crashing pod',
      async () => {
        const list = await ok<{ total: number; items: Card[] }>(`/gpus?namespace=${nsB}`);
        return list.items.some((c) => c.health === 'xid') ? list : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    const health = Object.fromEntries(cards.items.map((c) => [c.holders[0]!.pod, c]));
    assert.equal(health.overheat!.health, 'hot');
    assert.ok(inRange(health.overheat!.temperatureC, PROFILE_TABLE.overheat.tempC));
    assert.equal(health.crash!.health, 'xid');
    assert.equal(health.crash!.xid!.code, '79');
    const onlyXid = await ok<{ total: number; items: Card[] }>(`/gpus?namespace=${nsB}&health=xid`);
    assert.deepEqual(
      onlyXid.items.map((c) => c.holders[0]!.pod),
      ['crash'],
    );
    const sorted = await ok<{ total: number; items: Card[] }>(
      `/gpus?namespace=${nsA}&sortBy=utilization&order=desc&limit=1`,
    );
    assert.equal(sorted.total, 4);
    assert.equal(sorted.items[0]!.holders[0]!.pod, 'busy');
  });

  it('cluster summary and nodes agree with Prometheus device counts; node detail lists its cards', async () => {
    type Summary = {
      totals: { devices: number; allocated: number };
      resources: { resource: string; allocatable?: number }[];
      labels: { dcgmSeen: boolean };
    };
    // Whole-cluster figures may come from the recording rules, which record every 30 s: our pods appear by then.
    const summary = await waitFor(
      'the summary to count the GPUs our pods hold',
      async () => {
        const s = await ok<Summary>('/gpusummary');
        return s.totals.allocated >= 6 ? s : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 5000 },
    );
    const devices = Number(
      (await query('count(DCGM_FI_DEV_FB_USED{job="nvidia-dcgm-exporter"})'))[0]!.value[1],
    );
    assert.equal(summary.totals.devices, devices);
    const allocatable = Number(
      (await query('sum(kube_node_status_allocatable{resource="nvidia_com_gpu"})'))[0]!.value[1],
    );
    assert.equal(summary.resources.find((r) => r.resource === 'nvidia.com/gpu')?.allocatable, allocatable);
    assert.equal(summary.labels.dcgmSeen, true);

    const usage = await ok<ScopeUsage>(`/namespaces/${nsA}/gpuusage`);
    const busyCard = usage.gpus.find((c) => c.holders[0]!.pod === 'busy')!;
    const nodes = await ok<{ items: { node: string; devices: number; allocated: number }[] }>('/gpunodes');
    const row = nodes.items.find((n) => n.node === busyCard.node)!;
    assert.equal(row.devices, 8);
    assert.ok(row.allocated >= 1);
    const detail = await ok<{ node: { node: string }; gpus: Card[] }>(`/gpunodes/${busyCard.node}`);
    assert.equal(detail.node.node, busyCard.node);
    assert.ok(detail.gpus.some((c) => c.uuid === busyCard.uuid && c.holders[0]?.pod === 'busy'));
    assert.equal((await get('/gpunodes/no-such-node')).status, 404);
  });

  it('the sandbox loads the recording rules: default idle answers read them and agree with their series', async () => {
    type Summary = { totals: { idleAllocated: number }; labels: { recordingRules: boolean } };
    // The rules cover every GPU once Prometheus has evaluated them after a scrape; the backend re-probes each minute.
    const summary = await waitFor(
      'the backend to see the recording rules cover every GPU',
      async () => {
        const s = await ok<Summary>('/gpusummary');
        return s.labels.recordingRules ? s : undefined;
      },
      { timeoutMs: 150_000, intervalMs: 5000 },
    );
    const list = await ok<{ items: unknown[] }>('/idlegpus');
    const recorded = await query(`count(${RECORDED.idleAllocated})`);
    const count = recorded.length === 0 ? 0 : Number(recorded[0]!.value[1]);
    assert.equal(summary.totals.idleAllocated, count);
    assert.equal(list.items.length, count);
  });

  it('time series: GPUs per workload over the last minutes, the step chosen from the range', async () => {
    const end = Math.floor(Date.now() / 1000);
    const series = await ok<{
      step: number;
      start: number;
      end: number;
      series: { labels: { pod?: string }; points: [number, number][] }[];
    }>(`/namespaces/${nsA}/gpumetrics?metric=devices&level=workload&start=${end - 600}&end=${end}`);
    assert.equal(series.step, 15); // 600 s / 300 points = 2 s → the scrape-interval floor
    assert.ok(series.start <= end - 600 && series.end >= end);
    const last = Object.fromEntries(series.series.map((s) => [s.labels.pod, s.points.at(-1)![1]]));
    assert.deepEqual(last, { busy: 1, 'idle-one': 1, 'idle-two': 2 });
    const week = await ok<{ step: number }>(
      `/namespaces/${nsA}/gpumetrics?metric=utilization&level=namespace&start=${end - 7 * 86_400}&end=${end}`,
    );
    assert.equal(week.step, 3600);
  });

  it('top-N: workloads by utilization, largest first', async () => {
    const top = await ok<{ items: { labels: { namespace?: string; pod?: string }; value: number }[] }>(
      '/gputop?metric=utilization&level=workload&n=100',
    );
    const values = top.items.map((i) => i.value);
    assert.deepEqual(
      values,
      [...values].sort((a, b) => b - a),
    );
    const busy = top.items.find((i) => i.labels.namespace === nsA && i.labels.pod === 'busy');
    assert.ok(inRange(busy?.value, PROFILE_TABLE.busy.grEngineActive), JSON.stringify(busy));
  });
});

describe('tenants see only their own namespaces', () => {
  // The cluster's GPU data; the platform routes served under this group too (the feature list, access
  // reviews, ADR 0026) are granted to every signed-in user.
  const clusterRoutes = ROUTE_TABLE.filter(
    (r) => r.group === GPU_MONITORING_GROUP && r.scope === 'cluster' && r.grant !== 'authenticated',
  );

  for (const user of ['alice', 'bob', 'viewer', 'ws-admin']) {
    it(`${user}: 403 on every cluster route`, async () => {
      for (const route of clusterRoutes) {
        const res = await call(backend, 'GET', urlOf(route, ''), { token: token(user) });
        assert.equal(res.status, 403, `${route.id}: ${JSON.stringify(res.body)}`);
      }
    });
  }

  for (const [user, own, other] of [
    ['alice', 'alpha-train', 'beta-research'],
    ['bob', 'beta-research', 'alpha-train'],
    ['viewer', 'alpha-train', 'beta-research'],
  ] as const) {
    it(`${user}: their project's usage only mentions ${own}; ${other} and the test projects are 403`, async () => {
      const usage = await ok<ScopeUsage>(`/namespaces/${own}/gpuusage`, user);
      assert.ok(usage.rows.every((r) => r.namespace === own));
      assert.ok(usage.gpus.every((c) => c.holders.every((h) => h.namespace === own)));
      for (const ns of [other, nsA]) {
        assert.equal((await get(`/namespaces/${ns}/gpuusage`, user)).status, 403, ns);
        assert.equal(
          (await get(`/namespaces/${ns}/gpumetrics?metric=devices&level=workload`, user)).status,
          403,
        );
      }
    });
  }

  it("ws-admin: ws-alpha's usage and GPU-hours cover only ws-alpha's projects; a filter outside them is a 400", async () => {
    // Other files' projects may join ws-alpha meanwhile (the run has lanes side by side): ws-alpha's
    // projects are those it had before or after the answers.
    const own = new Set<string>();
    const addOwn = async () => {
      const list = await core.listNamespace({ labelSelector: 'kubesphere.io/workspace=ws-alpha' });
      for (const n of list.items) own.add(n.metadata!.name!);
    };
    await addOwn();
    const usage = await ok<ScopeUsage>('/workspaces/ws-alpha/gpuusage', 'ws-admin');
    const end = Math.floor(Date.now() / 1000);
    const hours = await ok<{ rows: { namespace?: string }[] }>(
      `/workspaces/ws-alpha/gpuhours?start=${end - 3600}&end=${end}`,
      'ws-admin',
    );
    await addOwn();
    assert.ok(
      usage.rows.every((r) => own.has(r.namespace!)),
      JSON.stringify(usage.rows),
    );
    assert.ok(usage.gpus.every((c) => c.holders.every((h) => own.has(h.namespace))));
    assert.ok(
      hours.rows.every((r) => own.has(r.namespace!)),
      JSON.stringify(hours.rows),
    );
    assert.equal((await get(`/workspaces/${workspace}/gpuusage`, 'ws-admin')).status, 403);
    const outside = await get(
      `/workspaces/ws-alpha/gpumetrics?metric=devices&level=workload&namespace=${nsA}`,
      'ws-admin',
    );
    assert.equal(outside.status, 400, JSON.stringify(outside.body));
    assert.equal((outside.body.details as Json).field, 'querystring.namespace');
  });
});

describe('bad requests name the field', () => {
  it('a level the scope does not offer → 400 querystring.level, localized', async () => {
    const res = await get(`/namespaces/${nsA}/gpumetrics?metric=devices&level=node`, 'admin', {
      'accept-language': 'zh',
    });
    assert.equal(res.status, 400);
    assert.equal((res.body.details as Json).field, 'querystring.level');
    assert.match(String(res.body.message), /层级“node”/);
  });

  it('end before start, too long ranges, too short GPU-hours → 400 naming the field', async () => {
    const cases: [string, string][] = [
      [
        `/workspaces/${workspace}/gpumetrics?metric=devices&level=namespace&start=2000&end=1000`,
        'querystring.end',
      ],
      [`/gpumetrics?metric=devices&level=node&start=0&end=${32 * 86_400}`, 'querystring.start'],
      [`/gpuhours?start=0&end=${94 * 86_400}`, 'querystring.start'],
      [`/namespaces/${nsA}/gpuhours?start=1000&end=1030`, 'querystring.end'],
      [`/gputop?metric=utilization&level=cluster`, 'querystring.level'],
    ];
    for (const [path, field] of cases) {
      const res = await get(path);
      assert.equal(res.status, 400, `${path}: ${JSON.stringify(res.body)}`);
      assert.equal((res.body.details as Json).field, field, path);
      assert.match(String(res.body.message), new RegExp(field.replace('.', '\\.')));
    }
  });
});

describe('GPU-hours', () => {
  it('allocated hours = requested GPUs × recorded accounting minutes, as JSON and as a CSV download', async () => {
    const series = `namespace:gpu_requested:sum{namespace="${nsA}"}`;
    const start = podsCreatedAt - 120;
    // `end` is a whole second, so it may fall just before a sample recorded within the current second:
    // wait until a sample lies inside [start, end] for the very `end` the report is then asked for.
    const { end, samples } = await waitFor(
      'an accounting sample for the test project up to a whole second',
      async () => {
        const at = Math.floor(Date.now() / 1000);
        const [count] = await query(`count_over_time(${series}[${at - start}s])`, at);
        return count ? { end: at, samples: Number(count.value[1]) } : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 5000 },
    );
    const expected = (4 * samples) / 60;
    const report = await ok<{
      rows: {
        namespace?: string;
        allocatedByResource: Record<string, number>;
        allocatedGpuHours: number;
        utilizedGpuHours: number;
      }[];
      resources: string[];
    }>(`/namespaces/${nsA}/gpuhours?start=${start}&end=${end}`);
    assert.equal(report.rows.length, 1);
    const row = report.rows[0]!;
    assert.equal(row.namespace, nsA);
    assert.ok(Math.abs(row.allocatedGpuHours - expected) < 1e-9, `${row.allocatedGpuHours} vs ${expected}`);
    assert.ok(Math.abs(row.allocatedByResource['nvidia.com/gpu']! - expected) < 1e-9);
    assert.deepEqual(report.resources, ['nvidia.com/gpu']);
    // Utilized counts only GPUs of Running pods, so it can never exceed what was allocated.
    assert.ok(row.utilizedGpuHours <= row.allocatedGpuHours + 1e-9, `${row.utilizedGpuHours} utilized`);

    const response = await fetch(
      `${backend.url}${BASE}/namespaces/${nsA}/gpuhours?start=${start}&end=${end}&format=csv`,
      {
        headers: { authorization: `Bearer ${token('admin')}` },
      },
    );
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.match(
      response.headers.get('content-disposition') ?? '',
      new RegExp(`^attachment; filename="gpu-hours-${nsA}-\\d{8}T\\d{6}Z-\\d{8}T\\d{6}Z\\.csv"$`),
    );
    const text = (await response.text()).replace(/^\uFEFF/, '');
    const [header, line, rest] = text.split('\r\n');
    assert.equal(
      header,
      'Project,Allocated GPU-hours,Utilized GPU-hours,Allocated GPU-hours: nvidia.com/gpu',
    );
    const cells = line!.split(',');
    assert.equal(cells[0], nsA);
    assert.ok(Math.abs(Number(cells[1]) - expected) < 1e-4);
    assert.equal(cells[3], cells[1]);
    assert.equal(rest, '');

    const cluster = await ok<{ groupBy: string; rows: { workspace?: string; allocatedGpuHours: number }[] }>(
      `/gpuhours?start=${start}&end=${end}`,
    );
    assert.equal(cluster.groupBy, 'workspace');
    const ours = cluster.rows.find((r) => r.workspace === workspace);
    assert.ok(ours && ours.allocatedGpuHours >= expected - 1e-9, JSON.stringify(ours));
  });
});

describe('Prometheus unreachable', () => {
  it('answers 502 whose message names the Prometheus URL to a platform admin, in the caller language', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as { port: number };
        server.close(() => resolve(p));
      });
    });
    const url = `http://127.0.0.1:${port}`;
    const down = await startBackend({ PROMETHEUS_URL: url, FEATURES: 'gpu-monitoring' });
    try {
      for (const path of [
        '/gpusummary',
        `/namespaces/alpha-train/gpumetrics?metric=utilization&level=namespace`,
      ]) {
        const res = await call(down, 'GET', BASE + path, { token: token('admin') });
        assert.equal(res.status, 502, JSON.stringify(res.body));
        assert.equal(res.body.reason, 'UpstreamError');
        assert.equal((res.body.details as Json).url, url);
        assert.match(String(res.body.message), new RegExp(`Prometheus at ${url} is unreachable`));
      }
      const zh = await call(down, 'GET', `${BASE}/gpusummary`, {
        token: token('admin'),
        headers: { 'accept-language': 'zh-CN' },
      });
      assert.match(String(zh.body.message), new RegExp(`无法连接位于 ${url} 的 Prometheus`));
      // A project member is no platform admin: told the metrics service and the request id, not the URL (ADR 0012).
      const tenant = await call(
        down,
        'GET',
        `${BASE}/namespaces/alpha-train/gpumetrics?metric=utilization&level=namespace`,
        {
          token: token('alice'),
        },
      );
      assert.equal(tenant.status, 502, JSON.stringify(tenant.body));
      const requestId = String((tenant.body.details as Json).requestId);
      assert.match(String(tenant.body.message), new RegExp(`metrics service is unreachable.*${requestId}`));
      assert.ok(!JSON.stringify(tenant.body).includes(url), JSON.stringify(tenant.body));
    } finally {
      assert.equal(await down.stop(), 0);
    }
  });
});

describe('idle-allocated', () => {
  it(`finds exactly the idle pods once they have been held ${IDLE_MINUTES} minutes`, async () => {
    const expected = ['idle-one', 'idle-two', 'idle-two'];
    const found = await waitFor(
      `the idle pods held longer than ${IDLE_MINUTES} minutes`,
      async () => {
        const list = await ok<{ items: { namespace: string; pod: string; workspace?: string }[] }>(
          `/idlegpus?idleMinutes=${IDLE_MINUTES}`,
        );
        const ours = list.items.filter((i) => i.namespace === nsA);
        return ours.length >= expected.length ? ours : undefined;
      },
      { timeoutMs: (IDLE_MINUTES * 60 + 150) * 1000, intervalMs: 5000 },
    );
    assert.deepEqual(found.map((i) => i.pod).sort(), expected);
    assert.ok(found.every((i) => i.workspace === workspace));

    const usage = await ok<ScopeUsage>(`/namespaces/${nsA}/gpuusage?idleMinutes=${IDLE_MINUTES}`);
    assert.deepEqual(usage.idle.map((i) => i.pod).sort(), expected);
    assert.equal(usage.totals.idleAllocated, 3);
    const summary = await ok<{ totals: { idleAllocated: number } }>(
      `/gpusummary?idleMinutes=${IDLE_MINUTES}`,
    );
    assert.ok(summary.totals.idleAllocated >= 3);
    // busy and overheating pods never count as idle.
    const all = await ok<{ items: { namespace: string; pod: string }[] }>(
      `/idlegpus?idleMinutes=${IDLE_MINUTES}`,
    );
    assert.ok(
      !all.items.some(
        (i) => (i.namespace === nsA && i.pod === 'busy') || (i.namespace === nsB && i.pod === 'overheat'),
      ),
    );
  });
});
