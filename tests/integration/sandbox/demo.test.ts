// The demo `npm start` seeds, applied to the running sandbox in namespaces and workspaces of its own (the
// sandbox's tenants are shared with other tests): its pods run under their load profiles on GPUs the
// simulator assigns, the quota API shows a project over its base and a job blocked by quota, a second apply
// changes nothing, and removal leaves nothing behind.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BatchV1Api, CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { adminApi, applyDemo, removeDemo, type DemoApi } from '../../sandbox/src/demo.js';
import { DEMO_LABEL, demoPlan, podGpus, throwawayTarget } from '../../sandbox/src/demo-plan.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { adminKubeConfig, uniqueName, waitFor } from '../../sandbox/src/testing.js';

const kc = adminKubeConfig();
const core = kc.makeApiClient(CoreV1Api);
const plan = demoPlan(throwawayTarget(uniqueName('demo-it')));
const { train, serve } = plan.target.projects;
const GROUP_PATH = '/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1';
let api: DemoApi;

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(api.backendUrl + path, { headers: { authorization: `Bearer ${api.token}` } });
  assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
  return (await res.json()) as T;
}

interface QuotaReply {
  rows: { resource: string; base: number; max: number; used: number }[];
  blocked: { reason: string; object: { kind: string; name: string } }[];
}

/** Every pod and Job in the plan's namespaces, as `ns/name@uid:<demo label>`. */
async function demoObjects(): Promise<string[]> {
  const out: string[] = [];
  for (const ns of plan.namespaces) {
    const pods = await core.listNamespacedPod({ namespace: ns.name });
    const jobs = await kc.makeApiClient(BatchV1Api).listNamespacedJob({ namespace: ns.name });
    for (const object of [...pods.items, ...jobs.items])
      out.push(
        `${ns.name}/${object.metadata!.name}@${object.metadata!.uid}:${object.metadata!.labels?.[DEMO_LABEL]}`,
      );
  }
  return out.sort();
}

before(async () => {
  api = await adminApi();
});
after(async () => {
  // Removal is tested below; this only makes sure a failed test leaves nothing behind either.
  await removeDemo(plan, api, kc).catch(() => undefined);
});

describe('the npm start demo', () => {
  it('runs its pods under their load profiles and shows quotas with a project over base and a blocked job', async () => {
    await applyDemo(plan, api, kc);

    const assignments = (await (
      await fetch(`${readSandboxEnv().DCGM_SIM_URL}/debug/assignments`)
    ).json()) as {
      holders: { namespace: string; pod: string; profile: string }[];
    }[];
    for (const wl of plan.workloads.filter((w) => w.kind === 'Pod')) {
      const held = assignments.filter((a) =>
        a.holders.some((h) => h.namespace === wl.namespace && h.pod === wl.name),
      );
      assert.equal(held.length, wl.gpus, `${wl.namespace}/${wl.name}: GPUs the simulator assigned`);
      const profiles = held.flatMap((a) => a.holders.filter((h) => h.pod === wl.name).map((h) => h.profile));
      assert.deepEqual([...new Set(profiles)], [wl.profile], `${wl.name}: load profile`);
    }

    const trainQuota = await getJson<QuotaReply>(`${GROUP_PATH}/namespaces/${train}/gpuquotas`);
    const trainRow = trainQuota.rows[0]!;
    assert.equal(trainRow.used, podGpus(plan, train));
    assert.ok(trainRow.used > trainRow.base, `${train} runs over its base: ${JSON.stringify(trainRow)}`);

    const serveQuota = await waitFor('the blocked job on the quota page', async () => {
      const reply = await getJson<QuotaReply>(`${GROUP_PATH}/namespaces/${serve}/gpuquotas`);
      return reply.blocked.length > 0 ? reply : undefined;
    });
    assert.deepEqual(
      serveQuota.blocked.map((b) => [b.reason, b.object.kind, b.object.name]),
      [['quota', 'Job', 'batch-eval']],
    );
  });

  it('a second apply changes nothing', async () => {
    const before = await demoObjects();
    assert.ok(before.length > 0);
    await applyDemo(plan, api, kc);
    assert.deepEqual(await demoObjects(), before);
  });

  it('removal leaves no namespace, queue or workspace quota behind', async () => {
    await removeDemo(plan, api, kc);
    for (const ns of plan.namespaces) {
      await waitFor(
        `namespace ${ns.name} gone`,
        () =>
          core.readNamespace({ name: ns.name }).then(
            () => false,
            () => true,
          ),
        { timeoutMs: 120_000, intervalMs: 1000 },
      );
    }
    const queues = (await kc
      .makeApiClient(CustomObjectsApi)
      .listClusterCustomObject({ group: 'kueue.x-k8s.io', version: 'v1beta1', plural: 'clusterqueues' })) as {
      items: { metadata: { name: string } }[];
    };
    const prefix = plan.target.workspaces.alpha.replace(/-ws-alpha$/, '');
    assert.deepEqual(
      queues.items.map((q) => q.metadata.name).filter((n) => n.includes(prefix)),
      [],
    );
    for (const q of plan.workspaceQuotas) {
      const reply = await getJson<{ rows: unknown[] }>(`${GROUP_PATH}/workspaces/${q.workspace}/gpuquotas`);
      assert.deepEqual(reply.rows, [], q.workspace);
    }
  });
});
