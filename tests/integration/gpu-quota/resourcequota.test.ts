// The project max against the sandbox's real kube-apiserver: our ResourceQuota merges into an object another
// field manager owns, raising max admits the next GPU pod, real quota admission refuses the one after, and
// pending.ts reads the refusal both from the 403 and from a controller's FailedCreate event.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PatchStrategy, type V1ResourceQuota } from '@kubernetes/client-node';
import { parseExceededQuota, quotaBlocked } from '../../../backend/src/features/gpu-quota/pending.js';
import {
  GPU_QUOTA_FIELD_MANAGER,
  GPU_QUOTA_OBJECT_NAME,
  readProjectQuota,
  resourceQuotaApply,
} from '../../../backend/src/features/gpu-quota/resourcequota.js';
import type { QuotaRow } from '../../../backend/src/features/gpu-quota/model.js';
import { adminClients, createTestNamespace, gpuPod, waitFor } from '../../sandbox/src/testing.js';

const { core, apps, objects } = adminClients();
const OTHER_MANAGER = 'kubesphere-console';

let ns: Awaited<ReturnType<typeof createTestNamespace>>;
let namespace: string;

const apply = (rows: QuotaRow[]) =>
  objects.patch(
    resourceQuotaApply(namespace, rows),
    undefined,
    undefined,
    GPU_QUOTA_FIELD_MANAGER,
    true,
    PatchStrategy.ServerSideApply,
  );
const readQuota = () => core.readNamespacedResourceQuota({ name: GPU_QUOTA_OBJECT_NAME, namespace });

/** Quota admission compares against status.hard, which the quota controller copies from spec.hard. */
const waitForHard = (value: string) =>
  waitFor(`status.hard requests.nvidia.com/gpu = ${value}`, async () => {
    const q = await readQuota();
    return q.status?.hard?.['requests.nvidia.com/gpu'] === value && q.status.used !== undefined
      ? q
      : undefined;
  });

/** The message of a refused create (the apiserver's Status body). */
async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    const { code, body } = error as { code?: number; body?: unknown };
    assert.equal(code, 403);
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: string };
    return status.message ?? '';
  }
  assert.fail('expected the apiserver to refuse');
}

/** Managers owning spec.hard[key] (status.hard is the quota controller's copy, not an owner of the limit). */
const managersOf = (quota: V1ResourceQuota, key: string) =>
  (quota.metadata?.managedFields ?? [])
    .filter((f) => {
      const spec = (f.fieldsV1 as { 'f:spec'?: { 'f:hard'?: Record<string, unknown> } } | undefined)?.[
        'f:spec'
      ];
      return spec?.['f:hard']?.[`f:${key}`] !== undefined;
    })
    .map((f) => f.manager);

/**
 * A GPU pod that also requests CPU: the other manager's requests.cpu limit makes the apiserver refuse pods
 * without a CPU request ("must specify requests.cpu"), which is not what these tests are about.
 */
function pod(name: string, gpus: number) {
  const body = gpuPod(name, namespace, gpus);
  const container = body.spec!.containers[0]!;
  container.resources!.requests = { ...container.resources!.requests, cpu: '100m' };
  return body;
}

before(async () => {
  ns = await createTestNamespace('gq-rq');
  namespace = ns.name;
  // Another manager already owns a quota object of the same name, holding a CPU limit.
  await core.createNamespacedResourceQuota({
    namespace,
    fieldManager: OTHER_MANAGER,
    body: { metadata: { name: GPU_QUOTA_OBJECT_NAME }, spec: { hard: { 'requests.cpu': '10' } } },
  });
});
after(async () => ns.remove());

describe('gpu-quota ResourceQuota (server-side apply, real admission)', () => {
  it('merges our GPU key into the other manager’s object; its requests.cpu survives', async () => {
    await apply([{ resource: 'nvidia.com/gpu', base: 1, max: 1 }]);
    const quota = await readQuota();
    assert.deepEqual(quota.spec?.hard, { 'requests.cpu': '10', 'requests.nvidia.com/gpu': '1' });
    assert.deepEqual(managersOf(quota, 'requests.cpu'), [OTHER_MANAGER]);
    assert.deepEqual(managersOf(quota, 'requests.nvidia.com/gpu'), [GPU_QUOTA_FIELD_MANAGER]);
  });

  it('admits one GPU pod at max 1 and refuses the second with the exceeded-quota message', async () => {
    await waitForHard('1');
    await core.createNamespacedPod({ namespace, body: pod('first', 1) });
    const message = await refusal(core.createNamespacedPod({ namespace, body: pod('second', 1) }));
    const parsed = parseExceededQuota(message);
    assert.equal(parsed?.quota, GPU_QUOTA_OBJECT_NAME, message);
    assert.deepEqual(parsed?.requested, { 'requests.nvidia.com/gpu': 1 });
    assert.deepEqual(parsed?.limited, { 'requests.nvidia.com/gpu': 1 });
  });

  it('raising max to 2 lets the second pod in; the third is refused', async () => {
    await apply([{ resource: 'nvidia.com/gpu', base: 1, max: 2 }]);
    await waitForHard('2');
    await core.createNamespacedPod({ namespace, body: pod('second', 1) });
    const message = await refusal(core.createNamespacedPod({ namespace, body: pod('third', 1) }));
    const parsed = parseExceededQuota(message);
    assert.deepEqual(
      [parsed?.used, parsed?.limited],
      [{ 'requests.nvidia.com/gpu': 2 }, { 'requests.nvidia.com/gpu': 2 }],
    );
    assert.equal((await readQuota()).spec?.hard?.['requests.cpu'], '10');
  });

  it('reads base, max and used back from the object', async () => {
    const quota = await waitFor('status.used = 2', async () => {
      const q = await readQuota();
      return q.status?.used?.['requests.nvidia.com/gpu'] === '2' ? q : undefined;
    });
    const read = readProjectQuota(quota);
    assert.deepEqual(read.rows, [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }]);
    assert.equal(read.used.get('nvidia.com/gpu'), 2);
    assert.equal(read.fromAnnotation, true);
    assert.deepEqual(read.drift, []);
  });

  it('a controller blocked by the quota leaves a FailedCreate event that pending.ts explains', async () => {
    const template = pod('unused', 1);
    await apps.createNamespacedReplicaSet({
      namespace,
      body: {
        metadata: { name: 'trainer' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'trainer' } },
          template: { metadata: { labels: { app: 'trainer' } }, spec: template.spec! },
        },
      },
    });
    const blocked = await waitFor(
      'FailedCreate event for the ReplicaSet',
      async () => {
        const events = await core.listNamespacedEvent({ namespace });
        const found = quotaBlocked(events.items);
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 30_000 },
    );
    assert.equal(blocked[0]?.object.kind, 'ReplicaSet');
    assert.equal(blocked[0]?.object.name, 'trainer');
    assert.deepEqual(blocked[0]?.requests, { 'nvidia.com/gpu': 1 });
    assert.match(blocked[0]!.message, /is forbidden: exceeded quota: ks-gpu-ml-gpu-quota/);
  });

  it('applying no rows releases our GPU key and leaves the CPU entry', async () => {
    await apply([]);
    const quota = await readQuota();
    assert.deepEqual(quota.spec?.hard, { 'requests.cpu': '10' });
  });
});
