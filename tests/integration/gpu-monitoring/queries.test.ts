// gpu-monitoring's PromQL against the sandbox's real Prometheus, fed by the dcgm-exporter simulator:
// numbers match the simulator's load profiles, idle-allocated detection finds exactly the idle pods,
// every label variant gives the same answers once detectScheme has looked at it (the PromQL's and the project
// page's, from the service the API routes call), a GPU-table page read page-first equals the one-read page, and
// the rule file loads and records GPU requests. Bounded waits only (scrape 5 s; rule groups 30 s / 1 m).
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it } from 'node:test';
import {
  detectScheme,
  SCHEME_PROBE_QUERY,
  type LabelScheme,
} from '../../../backend/src/features/gpu-monitoring/labels.js';
import type { GpuCardQuery } from '@ks-gpu-ml/contracts';
import {
  gpuTableQueries,
  idleAllocatedQuery,
  metricQuery,
  workspaceViewQueries,
  type ViewOptions,
} from '../../../backend/src/features/gpu-monitoring/queries.js';
import {
  assembleGpuCards,
  selectCards,
  type CardColumns,
} from '../../../backend/src/features/gpu-monitoring/tables.js';
import { RECORDED } from '../../../backend/src/features/gpu-monitoring/recorded.js';
import { PROFILE_TABLE } from '../../sandbox/dcgm-sim/profiles.js';
import { readSandboxEnv, repoRoot } from '../../sandbox/src/env.js';
import { rulesDir } from '../../sandbox/src/monitoring.js';
import {
  adminKubeConfig,
  createTestNamespace,
  gpuPod,
  uniqueName,
  waitFor,
} from '../../sandbox/src/testing.js';
import { num, query, ruleGroups } from './prometheus.js';
import { serviceOver } from './service-over.js';

const env = readSandboxEnv();
const IDLE_WINDOW_SECONDS = 30;
const PROFILE = 'sandbox.ks-gpu-ml.io/gpu-profile';

interface Answers {
  devices: Record<string, number>;
  idle: string[];
  nodes: Record<string, number>;
  /** What the project page's API answer says: GPUs per pod and, for each GPU, the pod holding it. */
  projectPage: { devices: Record<string, number>; holders: Record<string, string> };
}

async function setVariant(name: string): Promise<void> {
  const response = await fetch(`${env.DCGM_SIM_URL}/variant?name=${name}`, { method: 'POST' });
  assert.ok(response.ok, `variant ${name}: HTTP ${response.status}`);
}

/** Pods on the whole-GPU nodes only: dcgm-exporter cannot attribute HAMi-shared GPUs to pods. */
function wholeGpuPod(name: string, ns: string, count: number, profile: string): V1Pod {
  const pod = gpuPod(name, ns, count, { annotations: { [PROFILE]: profile } });
  pod.spec!.nodeSelector = { 'nvidia.com/gpu.count': '8' };
  return pod;
}

describe('gpu-monitoring queries against Prometheus and the dcgm simulator', () => {
  const workspace = uniqueName('gpumon-ws');
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let scheme: LabelScheme;
  let baseline: Answers;

  /** What the label variants must agree on: GPUs per pod, the idle set, GPUs per node. */
  async function answers(s: LabelScheme): Promise<Answers> {
    const scope = { scope: [ns.name] };
    const devices = await query(metricQuery(s, 'devices', 'workload', scope));
    const idle = await query(
      idleAllocatedQuery(s, { ...scope, idle: { windowSeconds: IDLE_WINDOW_SECONDS, threshold: 0.05 } }),
    );
    const nodes = await query(metricQuery(s, 'devices', 'node', scope));
    const w = s.workload === 'exported' ? 'exported_pod' : 'pod';
    const page = await serviceOver(s, new Map([[ns.name, workspace]])).projectUsage(ns.name, {});
    return {
      devices: Object.fromEntries(devices.map((r) => [r.metric[w], num(r)])),
      idle: idle.map((r) => r.metric[w]!).sort(),
      nodes: Object.fromEntries(nodes.map((r) => [r.metric[s.hostLabel], num(r)])),
      projectPage: {
        devices: Object.fromEntries(page.rows.map((r) => [r.pod, r.devices])),
        holders: Object.fromEntries(page.gpus.map((c) => [c.uuid, c.holders.map((h) => h.pod).join()])),
      },
    };
  }

  before(async () => {
    ns = await createTestNamespace('gpumon', workspace);
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    for (const [name, count, profile] of [
      ['busy', 1, 'busy'],
      ['idle-one', 1, 'idle'],
      ['idle-two', 2, 'idle'],
    ] as const) {
      await core.createNamespacedPod({
        namespace: ns.name,
        body: wholeGpuPod(name, ns.name, count, profile),
      });
    }
    await waitFor(
      'all four GPUs of the test pods in Prometheus',
      async () => (await query(`count(DCGM_FI_DEV_FB_USED{namespace="${ns.name}"})`))[0]?.value[1] === '4',
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    scheme = detectScheme(await query(SCHEME_PROBE_QUERY));
    baseline = await waitFor(
      'the idle pods held longer than the idle window (baseline answers)',
      async () => {
        const a = await answers(scheme);
        return a.idle.length === 3 ? a : undefined;
      },
      { timeoutMs: (IDLE_WINDOW_SECONDS + 30) * 1000, intervalMs: 2000 },
    );
  });
  after(async () => {
    await setVariant('default');
    await ns.remove();
  });

  it('detects the sandbox default scheme', () => {
    // Whether the rules cover every GPU yet depends on how long the sandbox has run; api.test.ts waits for it.
    const { recordingRules: _timing, ...labels } = scheme;
    assert.deepEqual(labels, {
      hostLabel: 'Hostname',
      workload: 'plain',
      utilization: { gpuUtil: true, grEngineActive: true },
      mig: true, // the sandbox's MIG node
      kubeStateMetrics: true,
      dcgmSeen: true,
      // the sandbox scrapes the simulator and its HAMi endpoint under the jobs the backend defaults to
      exporter: ['job="nvidia-dcgm-exporter"'],
      hamiMonitor: ['job="hami-device-plugin-monitor"'],
    });
  });

  it("the project page's answer holds the test pods' GPUs, each GPU held by one pod", () => {
    assert.deepEqual(baseline.projectPage.devices, { busy: 1, 'idle-one': 1, 'idle-two': 2 });
    assert.deepEqual(Object.values(baseline.projectPage.holders).sort(), [
      'busy',
      'idle-one',
      'idle-two',
      'idle-two',
    ]);
  });

  it('per-workload utilization and memory match the busy and idle profiles', async () => {
    const scope = { scope: [ns.name] };
    const util = await query(metricQuery(scheme, 'utilization', 'workload', scope));
    const used = await query(metricQuery(scheme, 'memoryUsedBytes', 'gpu', scope));
    const total = await query(metricQuery(scheme, 'memoryTotalBytes', 'gpu', { node: undefined }));
    const devices = await query(metricQuery(scheme, 'devices', 'workload', scope));
    const byPod = new Map(util.map((s) => [s.metric.pod, num(s)]));
    assert.deepEqual([...byPod.keys()].sort(), ['busy', 'idle-one', 'idle-two']);
    const [lo, hi] = PROFILE_TABLE.busy.grEngineActive;
    assert.ok(byPod.get('busy')! >= lo && byPod.get('busy')! <= hi, `busy utilization ${byPod.get('busy')}`);
    assert.equal(byPod.get('idle-one'), 0);
    assert.equal(byPod.get('idle-two'), 0);
    assert.deepEqual(Object.fromEntries(devices.map((s) => [s.metric.pod, num(s)])), {
      busy: 1,
      'idle-one': 1,
      'idle-two': 2,
    });
    // Framebuffer share per GPU: the profile's fbFraction of the board (total = free + used + reserved).
    const totals = new Map(total.map((s) => [s.metric.UUID, num(s)]));
    const holders = await query(`count by (UUID, pod) (DCGM_FI_DEV_FB_USED{namespace="${ns.name}"})`);
    const podOf = new Map(holders.map((s) => [s.metric.UUID, s.metric.pod]));
    for (const s of used) {
      const share = num(s) / totals.get(s.metric.UUID!)!;
      const profile = podOf.get(s.metric.UUID) === 'busy' ? PROFILE_TABLE.busy : PROFILE_TABLE.idle;
      const [min, max] = profile.fbFraction;
      assert.ok(share >= min - 0.002 && share <= max + 0.002, `${podOf.get(s.metric.UUID)}: share ${share}`);
    }
  });

  it('idle-allocated detection finds exactly the idle pods', async () => {
    const expected = ['idle-one', 'idle-two', 'idle-two'];
    const found = await waitFor(
      'idle pods held longer than the idle window',
      async () => {
        const rows = await query(
          idleAllocatedQuery(scheme, {
            scope: [ns.name],
            idle: { windowSeconds: IDLE_WINDOW_SECONDS, threshold: 0.05 },
          }),
        );
        const pods = rows.map((r) => r.metric.pod!).sort();
        return pods.length === expected.length ? pods : undefined;
      },
      { timeoutMs: (IDLE_WINDOW_SECONDS + 30) * 1000, intervalMs: 2000 },
    );
    assert.deepEqual(found, expected);
  });

  it('the workspace view sums the namespace under its workspace', async () => {
    const q = workspaceViewQueries(scheme, { scope: [ns.name] });
    const devices = await query(q.devices);
    assert.deepEqual(
      devices.map((s) => [s.metric.workspace, num(s)]),
      [[workspace, 4]],
    );
    const requested = await query(q.requested);
    assert.deepEqual(
      requested.map((s) => [s.metric.workspace, s.metric.resource, num(s)]),
      [[workspace, 'nvidia_com_gpu', 4]],
    );
  });

  it('a GPU-table page read page-first is the page of every column read at once, at the same instant', async () => {
    const at = Math.floor(Date.now() / 1000);
    const service = serviceOver(scheme, new Map(), at);
    const columns = async (options: ViewOptions) =>
      Object.fromEntries(
        await Promise.all(
          Object.entries(gpuTableQueries(scheme, options)).map(async ([name, q]) => [
            name,
            await query(q, at),
          ]),
        ),
      ) as CardColumns;
    const everyGpu = assembleGpuCards(scheme, await columns({}));
    const inNamespace = assembleGpuCards(scheme, await columns({ namespace: ns.name }));
    assert.ok(everyGpu.length > 20, `the sandbox fleet has ${everyGpu.length} GPUs`);
    for (const q of [
      { limit: 10, offset: 3 },
      { order: 'desc', limit: 5 },
      { sortBy: 'utilization', order: 'desc', limit: 4 },
      { sortBy: 'temperatureC', limit: 7, offset: 2 },
      { held: true, sortBy: 'memoryUsedBytes', order: 'desc', limit: 3 },
      { held: false, limit: 6 },
      { health: 'ok', sortBy: 'powerWatts', limit: 5 },
    ] satisfies GpuCardQuery[]) {
      const page = await service.gpus(q);
      assert.deepEqual({ total: page.total, items: page.items }, selectCards(everyGpu, q), JSON.stringify(q));
    }
    const mine = await service.gpus({ namespace: ns.name, sortBy: 'utilization', order: 'desc', limit: 2 });
    const expected = selectCards(inNamespace, { sortBy: 'utilization', order: 'desc', limit: 2 });
    assert.deepEqual({ total: mine.total, items: mine.items }, expected);
    assert.deepEqual([mine.total, mine.items[0]!.holders[0]!.pod], [4, 'busy']);
  });

  for (const variant of ['lowercase-hostname', 'exported'] as const) {
    it(`label variant "${variant}" gives the same answers after detectScheme`, async () => {
      await setVariant(variant);
      try {
        const detected = await waitFor(
          `Prometheus to hold only "${variant}" series`,
          async () => {
            const s = detectScheme(await query(SCHEME_PROBE_QUERY));
            const ok =
              variant === 'exported'
                ? s.workload === 'exported'
                : s.hostLabel === 'hostname' && s.workload === 'plain';
            return ok ? s : undefined;
          },
          { timeoutMs: 30_000, intervalMs: 1000 },
        );
        // A renamed label starts new series: wait one idle window so `offset` finds them.
        // Result order is not part of the answer: compare as values.
        let last: Answers | undefined;
        await waitFor(
          'the same answers under the new labels',
          async () => {
            last = await answers(detected);
            return isDeepStrictEqual(last, baseline);
          },
          { timeoutMs: (IDLE_WINDOW_SECONDS + 30) * 1000, intervalMs: 2000 },
        ).catch(() => assert.deepEqual(last, baseline));
      } finally {
        await setVariant('default');
        await waitFor('the default variant back in Prometheus', async () => {
          const s = detectScheme(await query(SCHEME_PROBE_QUERY));
          return s.hostLabel === 'Hostname' && s.workload === 'plain';
        });
      }
    });
  }

  it('the rule groups load with health ok and record the namespace GPU requests', async () => {
    const link = join(rulesDir(), 'gpu-monitoring--gpu.rules.yaml');
    const exists =
      existsSync(link) ||
      (() => {
        try {
          return lstatSync(link).isSymbolicLink();
        } catch {
          return false;
        }
      })();
    if (!exists) symlinkSync(join(repoRoot, 'charts/gpu-monitoring/rules/gpu.rules.yaml'), link);
    const reload = await fetch(`${env.PROMETHEUS_URL}/-/reload`, { method: 'POST' });
    assert.ok(reload.ok, `reload: HTTP ${reload.status}`);
    const wanted = ['gpu-monitoring.dcgm', 'gpu-monitoring.accounting', 'gpu-monitoring.alerts'];
    await waitFor(
      'every gpu-monitoring rule evaluated with health ok',
      async () => {
        const groups = (await ruleGroups()).filter((g) => wanted.includes(g.name));
        if (groups.length !== wanted.length) return undefined;
        const bad = groups.flatMap((g) => g.rules).filter((r) => r.health !== 'ok');
        if (bad.some((r) => r.health === 'err')) throw new Error(JSON.stringify(bad));
        return bad.length === 0;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    const recorded = await waitFor(
      `${RECORDED.gpuRequested} for the test namespace`,
      async () => {
        const r = await query(`${RECORDED.gpuRequested}{namespace="${ns.name}"}`);
        return r.length > 0 ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    assert.deepEqual(
      recorded.map((s) => [s.metric.workspace, s.metric.resource, num(s)]),
      [[workspace, 'nvidia_com_gpu', 4]],
    );
  });
});
