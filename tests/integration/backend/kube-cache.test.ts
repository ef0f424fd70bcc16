// The informer-style cache against the real kube-apiserver: a complete first list, then watch events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, type V1Namespace } from '@kubernetes/client-node';
import { createWatchCache, type WatchCache } from '../../../backend/src/clients/kube-cache.js';
import { loadKubeConfig } from '../../../backend/src/clients/kube.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { uniqueName, waitFor } from '../../sandbox/src/testing.js';

let cache: WatchCache<V1Namespace>;
const config = () => loadKubeConfig(readSandboxEnv().KUBECONFIG);
const core = () => config().makeApiClient(CoreV1Api);

before(async () => {
  cache = createWatchCache<V1Namespace>({
    config: config(),
    path: '/api/v1/namespaces',
    list: () => core().listNamespace(),
    resyncMs: 60_000,
  });
  await cache.ready();
});
after(() => cache.stop());

describe('watch cache', () => {
  it('holds the full list after ready()', () => {
    const names = cache.list().map((n) => n.metadata?.name);
    for (const ns of ['alpha-train', 'alpha-serve', 'beta-research', 'kube-system'])
      assert.ok(names.includes(ns), ns);
  });

  it('follows creations and deletions through the watch', async () => {
    const name = uniqueName('cache-it');
    await core().createNamespace({ body: { metadata: { name } } });
    await waitFor(`${name} in the cache`, async () => cache.get(name) !== undefined, { timeoutMs: 15_000 });
    await core().deleteNamespace({ name });
    // Namespaces terminate asynchronously: the cache sees the deletionTimestamp first.
    await waitFor(
      `${name} terminating in the cache`,
      async () => cache.get(name)?.metadata?.deletionTimestamp !== undefined || cache.get(name) === undefined,
    );
  });
});
