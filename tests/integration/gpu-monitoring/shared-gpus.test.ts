// Two pods on the sandbox's HAMi node, each asking half of a GPU's cores (docs/adr/0015). dcgm-exporter cannot
// attribute HAMi-shared GPUs (the simulator, like the exporter, gives their series no pod labels), so the project
// page must not pass a device's figure off as a pod's: both rows say `shared`, carry no dcgm utilization, and show
// HAMi's own per-container figure (busy pod high, idle pod 0). The accounting rules count each pod's half, so the
// two add up to one GPU, not two.
import { CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GpuScopeUsage } from '@ks-gpu-ml/contracts';
import { detectScheme, SCHEME_PROBE_QUERY } from '../../../backend/src/features/gpu-monitoring/labels.js';
import { PROFILE_TABLE } from '../../sandbox/dcgm-sim/profiles.js';
import { adminKubeConfig, createTestNamespace, gpuPod, waitFor } from '../../sandbox/src/testing.js';
import { num, query } from './prometheus.js';
import { serviceOver } from './service-over.js';

const PROFILE = 'sandbox.ks-gpu-ml.io/gpu-profile';
const HAMI_NODE = 'gpu-node-hami';

/** A pod on the HAMi node asking 1 GPU at `cores` % of its cores. */
function hamiPod(name: string, ns: string, cores: number, profile: string): V1Pod {
  const pod = gpuPod(name, ns, 1, { annotations: { [PROFILE]: profile } });
  const resources = pod.spec!.containers[0]!.resources!;
  resources.requests!['nvidia.com/gpucores'] = String(cores);
  resources.limits!['nvidia.com/gpucores'] = String(cores);
  pod.spec!.nodeSelector = { 'kubernetes.io/hostname': HAMI_NODE };
  return pod;
}

describe('pods sharing GPUs on the HAMi node', () => {
  let ns: Awaited<ReturnType<typeof createTestNamespace>>;
  let page: GpuScopeUsage;

  before(async () => {
    ns = await createTestNamespace('gpumon-hami');
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: ns.name, body: hamiPod('hami-busy', ns.name, 50, 'busy') });
    await core.createNamespacedPod({ namespace: ns.name, body: hamiPod('hami-idle', ns.name, 50, 'idle') });
    const scheme = detectScheme(await query(SCHEME_PROBE_QUERY));
    page = await waitFor(
      "both pods on the project page with HAMi's figures",
      async () => {
        const p = await serviceOver(scheme).projectUsage(ns.name, {});
        const withHami = p.rows.filter((r) => r.sharedUtilization !== undefined);
        return withHami.length === 2 ? p : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1000 },
    );
  });

  after(async () => {
    await ns?.remove();
  });

  it('the pods really are on the HAMi node, and dcgm-exporter names neither', async () => {
    const pods = await adminKubeConfig().makeApiClient(CoreV1Api).listNamespacedPod({ namespace: ns.name });
    assert.deepEqual(
      pods.items.map((p) => p.spec?.nodeName),
      [HAMI_NODE, HAMI_NODE],
    );
    assert.deepEqual(await query(`DCGM_FI_DEV_FB_USED{namespace="${ns.name}"}`), []);
  });

  it('each row says shared, with no device utilization, and HAMi’s own figure for the container', () => {
    const rows = Object.fromEntries(page.rows.map((r) => [r.pod, r]));
    for (const pod of ['hami-busy', 'hami-idle']) {
      assert.equal(rows[pod]?.shared, true, pod);
      assert.equal(rows[pod]?.utilization, undefined, pod);
      assert.equal(rows[pod]?.tensorActive, undefined, pod);
      assert.deepEqual(rows[pod]?.requested, { 'nvidia.com/gpu': 1 }, pod);
    }
    const [lo, hi] = PROFILE_TABLE.busy.grEngineActive;
    const busy = rows['hami-busy']!.sharedUtilization!;
    assert.ok(busy >= lo && busy <= hi, `busy: ${busy}`);
    assert.equal(rows['hami-idle']!.sharedUtilization, 0);
  });

  it('GPU-hours count each pod’s half: together one GPU, not two', async () => {
    const shares = await waitFor(
      'the accounting rules to record both pods',
      async () => {
        const r = await query(`container:gpu_shared_allocation:max{namespace="${ns.name}"}`);
        return r.length === 2 ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    assert.deepEqual(shares.map(num), [0.5, 0.5]);
    const requested = await waitFor(
      'the namespace total to include both',
      async () => {
        const [r] = await query(`namespace:gpu_requested:sum{namespace="${ns.name}"}`);
        return r && num(r) === 1 ? r : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 2000 },
    );
    assert.equal(requested.metric.resource, 'nvidia_com_gpu');
  });
});
