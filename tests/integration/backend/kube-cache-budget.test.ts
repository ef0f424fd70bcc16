// A watch cache's byte budget against the real kube-apiserver: ConfigMaps of a known size, in a namespace of the
// test's own, make a list or a watched object fit or not (backend/src/clients/kube-cache-budget.ts).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, type V1ConfigMap } from '@kubernetes/client-node';
import {
  createWatchCache,
  watchCachesSynced,
  type WatchCache,
} from '../../../backend/src/clients/kube-cache.js';
import { storedBytes, WatchCacheOverBudget } from '../../../backend/src/clients/kube-cache-budget.js';
import { loadKubeConfig } from '../../../backend/src/clients/kube.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';

const config = () => loadKubeConfig(readSandboxEnv().KUBECONFIG);
const core = () => config().makeApiClient(CoreV1Api);
/** About 1.1 kB counted per ConfigMap: a 1,000-character value and its name, namespace and resourceVersion. */
const PAYLOAD = 'x'.repeat(1_000);
const project = (cm: V1ConfigMap) => ({
  metadata: {
    name: cm.metadata?.name,
    namespace: cm.metadata?.namespace,
    resourceVersion: cm.metadata?.resourceVersion,
  },
  data: cm.data,
});
/** Room for two of this test's ConfigMaps, not three. */
const TWO_FIT = 2_800;

let namespace: { name: string; remove: () => Promise<void> };
before(async () => {
  namespace = await createTestNamespace('cache-budget');
});
after(() => namespace.remove());

/** ConfigMaps carrying `group`'s label, so each test lists only its own. */
async function configMaps(group: string, count: number, value = PAYLOAD): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < count; i++) names.push(await configMap(group, value));
  return names;
}
async function configMap(group: string, value = PAYLOAD): Promise<string> {
  const name = uniqueName('cm');
  const body = { metadata: { name, labels: { 'cache-budget': group } }, data: { v: value } };
  await core().createNamespacedConfigMap({ namespace: namespace.name, body });
  return name;
}
const remove = (name: string) => core().deleteNamespacedConfigMap({ namespace: namespace.name, name });

function watchGroup(group: string, maxBytes: number) {
  const errors: unknown[] = [];
  let lists = 0;
  const labelSelector = `cache-budget=${group}`;
  const cache = createWatchCache({
    config: config(),
    path: `/api/v1/namespaces/${namespace.name}/configmaps`,
    labelSelector,
    list: (page) => {
      lists++;
      return core().listNamespacedConfigMap({ namespace: namespace.name, labelSelector, ...page });
    },
    project,
    maxBytes,
    resyncMs: 60_000,
    retryMs: 50,
    maxRetryMs: 200,
    onError: (err) => errors.push(err),
  });
  return { cache, errors, lists: () => lists };
}

const counted = (cache: WatchCache<ReturnType<typeof project>>) =>
  cache.list().reduce((sum, o) => sum + storedBytes(o), 0);

describe('watch cache byte budget', () => {
  it('serves a list under its budget and counts what it holds', async () => {
    const group = uniqueName('fits');
    await configMaps(group, 2);
    const { cache, errors } = watchGroup(group, TWO_FIT);
    try {
      await cache.ready();
      assert.equal(cache.list().length, 2);
      assert.ok(cache.bytes > 2_000, `${cache.bytes} bytes`);
      assert.equal(cache.bytes, counted(cache));
      assert.deepEqual(errors, []);
    } finally {
      await cache.stop();
    }
  });

  it('rejects ready() for a list over its budget, names the setting, reports once while retrying, then lists once it fits', async () => {
    const group = uniqueName('over');
    const [first] = await configMaps(group, 2);
    const { cache, errors, lists } = watchGroup(group, 1_500);
    try {
      await assert.rejects(cache.ready(), (err: unknown) => {
        assert.ok(err instanceof WatchCacheOverBudget);
        assert.match(err.message, new RegExp(`/api/v1/namespaces/${namespace.name}/configmaps`));
        assert.match(err.message, /budget of 1500 bytes: raise KUBE_WATCH_CACHE_MAX_BYTES/);
        return true;
      });
      assert.equal(cache.synced, false);
      assert.deepEqual(cache.list(), [], 'nothing served');
      await assert.rejects(watchCachesSynced(), /configmaps/);
      await waitFor('three lists', async () => lists() >= 3, { timeoutMs: 10_000 });
      assert.equal(errors.length, 1, 'reported once, not on every retry');
      // The cluster shrinks: the cache's own retry lists again and serves.
      await remove(first!);
      await waitFor('the cache to list once it fits', async () => cache.synced, { timeoutMs: 10_000 });
      assert.equal(cache.list().length, 1);
    } finally {
      await cache.stop();
    }
  });

  it('abandons a generation a watched object takes past its budget; the last copy that fit keeps serving', async () => {
    const group = uniqueName('grows');
    const [first, second] = await configMaps(group, 2);
    const { cache, errors, lists } = watchGroup(group, TWO_FIT);
    try {
      await cache.ready();
      const before = cache.bytes;
      const listsBefore = lists();
      const third = await configMap(group);
      await waitFor('the budget reported', async () => errors.length > 0, { timeoutMs: 15_000 });
      const reported = errors[0];
      assert.ok(reported instanceof WatchCacheOverBudget);
      assert.match(
        reported.message,
        /raise KUBE_WATCH_CACHE_MAX_BYTES; its last copy that fit keeps serving/,
      );
      assert.equal(cache.synced, true, 'still ready: the last copy serves');
      assert.equal(cache.get(third, namespace.name), undefined, 'the object that did not fit is not kept');
      assert.deepEqual(
        cache
          .list()
          .map((o) => o.metadata.name)
          .sort(),
        [first, second].sort(),
      );
      assert.equal(cache.bytes, before);
      await waitFor('lists retried', async () => lists() >= listsBefore + 3, { timeoutMs: 10_000 });
      assert.equal(errors.length, 1, 'reported once');
      // One of the two goes: the next list fits, and the cache follows the cluster again.
      await remove(first!);
      await waitFor('the new copy', async () => cache.get(third, namespace.name) !== undefined, {
        timeoutMs: 10_000,
      });
      assert.equal(cache.get(first!, namespace.name), undefined);
      assert.equal(cache.bytes, counted(cache));
    } finally {
      await cache.stop();
    }
  });

  it('gives back the bytes of a deleted object and counts an update at its new size', async () => {
    const group = uniqueName('frees');
    const [first, second] = await configMaps(group, 2);
    const { cache, errors } = watchGroup(group, TWO_FIT);
    try {
      await cache.ready();
      const both = cache.bytes;
      const firstBytes = storedBytes(cache.get(first!, namespace.name));
      await remove(first!);
      await waitFor('the delete seen', async () => cache.get(first!, namespace.name) === undefined);
      assert.equal(cache.bytes, both - firstBytes);
      const current = await core().readNamespacedConfigMap({ namespace: namespace.name, name: second! });
      await core().replaceNamespacedConfigMap({
        namespace: namespace.name,
        name: second!,
        body: { ...current, data: { v: 'small' } },
      });
      await waitFor('the update seen', async () => cache.get(second!, namespace.name)?.data?.v === 'small');
      assert.equal(cache.bytes, counted(cache));
      assert.ok(cache.bytes < 200, `${cache.bytes} bytes`);
      // What the delete and the update gave back holds two more that would not have fitted beside both.
      const more = await configMaps(group, 2);
      await waitFor('both watched', async () =>
        more.every((m) => cache.get(m, namespace.name) !== undefined),
      );
      assert.deepEqual(errors, []);
    } finally {
      await cache.stop();
    }
  });
});
