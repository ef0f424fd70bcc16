// A tenant's own scrape target exporting DCGM_FI_* series (what KubeSphere custom monitoring allows) changes no GPU
// figure (docs/adr/0015). The sandbox's Prometheus has a `tenant-custom-metrics` job whose targets come from a file;
// this test serves a rogue exposition there claiming, for a victim project's pod, an extra idle GPU, a device in the
// `exported_*` label style (which used to flip the cluster's label scheme) and devices the recording rules do not
// record (which used to switch the rule path off). The same probe without the job pin sees the rogue, so the attack
// is live; with the pin the scheme, the victim's GPUs and the idle list are what they were.
import { CoreV1Api } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_EXPORTER_JOB,
  detectScheme,
  schemeProbeQuery,
  SCHEME_PROBE_QUERY,
  type LabelScheme,
} from '../../../backend/src/features/gpu-monitoring/labels.js';
import { idleAllocatedQuery, metricQuery } from '../../../backend/src/features/gpu-monitoring/queries.js';
import { RECORDED } from '../../../backend/src/features/gpu-monitoring/recorded.js';
import { TENANT_METRICS_JOB, tenantTargetsFile } from '../../sandbox/src/monitoring.js';
import { adminKubeConfig, createTestNamespace, gpuPod, waitFor } from '../../sandbox/src/testing.js';
import { num, query } from './prometheus.js';

const PROFILE = 'sandbox.ks-gpu-ml.io/gpu-profile';

/** The rogue exposition: fake GPUs held by `ns/pod` on `node`, idle, in both label styles. */
function rogueExposition(node: string, ns: string, pod: string): string {
  const device = (i: number, holder: string) =>
    `gpu="${i}",UUID="GPU-rogue-${i}",modelName="NVIDIA H100 80GB HBM3",Hostname="${node}",${holder}`;
  const plain = `container="main",namespace="${ns}",pod="${pod}"`;
  const exported = `exported_container="main",exported_namespace="${ns}",exported_pod="${pod}"`;
  const lines: string[] = [];
  for (const [i, holder] of [
    [0, plain],
    [1, plain],
    [2, exported],
  ] as const) {
    lines.push(`DCGM_FI_DEV_FB_USED{${device(i, holder)}} 1000`);
    lines.push(`DCGM_FI_DEV_FB_FREE{${device(i, holder)}} 80000`);
    lines.push(`DCGM_FI_DEV_GPU_UTIL{${device(i, holder)}} 0`);
    lines.push(`DCGM_FI_PROF_GR_ENGINE_ACTIVE{${device(i, holder)}} 0`);
  }
  return `${lines.join('\n')}\n`;
}

describe('a tenant scrape target exporting DCGM_FI_* series changes no GPU figure', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let server: Server;
  let before_: { scheme: LabelScheme; devices: Record<string, number>; idle: string[] };

  const victimView = async (scheme: LabelScheme) => {
    const scope = { scope: [ns.name] };
    const devices = await query(metricQuery(scheme, 'devices', 'workload', scope));
    const idle = await query(
      idleAllocatedQuery(scheme, { ...scope, idle: { windowSeconds: 30, threshold: 0.05 } }),
    );
    const pod = scheme.workload === 'exported' ? 'exported_pod' : 'pod';
    return {
      devices: Object.fromEntries(devices.map((s) => [s.metric[pod]!, num(s)])),
      idle: idle.map((s) => `${s.metric[pod]}/${s.metric.UUID}`).sort(),
    };
  };

  before(async () => {
    ns = await createTestNamespace('gpumon-victim');
    const pod = gpuPod('busy', ns.name, 1, { annotations: { [PROFILE]: 'busy' } });
    pod.spec!.nodeSelector = { 'nvidia.com/gpu.count': '8' };
    await adminKubeConfig().makeApiClient(CoreV1Api).createNamespacedPod({ namespace: ns.name, body: pod });
    const held = await waitFor(
      "the victim's GPU in Prometheus",
      async () =>
        (await query(`DCGM_FI_DEV_FB_USED{job="${DEFAULT_EXPORTER_JOB}", namespace="${ns.name}"}`))[0],
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    // The rules record every 30 s: start from a scheme whose rules cover every GPU, the victim's included.
    const scheme = await waitFor(
      'the recording rules to cover every GPU',
      async () => {
        const s = detectScheme(await query(SCHEME_PROBE_QUERY));
        return s.recordingRules ? s : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    const view = await waitFor(
      "the victim's GPU held in both dcgm-exporter and kube-state-metrics",
      async () => {
        const v = await victimView(scheme);
        return v.devices.busy === 1 ? v : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
    before_ = { scheme, ...view };

    const body = rogueExposition(held.metric.Hostname!, ns.name, 'busy');
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(body));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    writeFileSync(tenantTargetsFile(), JSON.stringify([{ targets: [`127.0.0.1:${port}`] }]));
    await waitFor(
      'Prometheus to scrape the rogue target',
      async () =>
        (await query(`count(DCGM_FI_DEV_FB_USED{job="${TENANT_METRICS_JOB}"})`))[0]?.value[1] === '3',
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  });

  after(async () => {
    writeFileSync(tenantTargetsFile(), '[]\n');
    await new Promise((resolve) => server?.close(resolve));
    await ns?.remove();
  });

  it('is a live attack: a probe without the job pin reads the rogue series', async () => {
    const unpinned = detectScheme(await query(schemeProbeQuery([])), []);
    assert.equal(unpinned.workload, 'exported', 'one exported_pod series flips an unpinned probe');
    assert.equal(before_.scheme.workload, 'plain');
    // and unpinned queries give the victim's pod the rogue's two plain-labelled GPUs
    const unpinnedView = await victimView({ ...before_.scheme, exporter: [] });
    assert.deepEqual(unpinnedView.devices, { busy: 3 });
  });

  it('the pinned probe detects the same scheme as before, rules path included', async () => {
    const scheme = detectScheme(await query(SCHEME_PROBE_QUERY));
    assert.deepEqual(scheme, before_.scheme);
    // The rules record exactly the exporter's devices, so the rogue devices cannot make coverage look partial.
    const [devices] = await query(`count(DCGM_FI_DEV_FB_USED{job="${DEFAULT_EXPORTER_JOB}"})`);
    await waitFor(
      'the rules to have evaluated with the rogue target scraped',
      async () => (await query(`count(${RECORDED.gpuMemoryUsed})`))[0]?.value[1] === devices!.value[1],
      { timeoutMs: 45_000, intervalMs: 2000 },
    );
    assert.equal((await query(`count(${RECORDED.gpuMemoryUsed}{UUID=~"GPU-rogue-.*"})`)).length, 0);
  });

  it("the victim project still holds one busy GPU, none idle, none of the rogue's", async () => {
    const after_ = await victimView(before_.scheme);
    assert.deepEqual(after_, { devices: before_.devices, idle: before_.idle });
    assert.deepEqual(after_.devices, { busy: 1 });
    assert.deepEqual(after_.idle, []);
  });
});
