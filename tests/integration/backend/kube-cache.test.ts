// The informer-style cache against the real kube-apiserver: a complete first list, then watch events.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, type V1Namespace } from '@kubernetes/client-node';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWatchCache,
  watchCachesSynced,
  type WatchCache,
} from '../../../backend/src/clients/kube-cache.js';
import { loadKubeConfig } from '../../../backend/src/clients/kube.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { apiserverOf, createTcpGate, kubeconfigThrough, type TcpGate } from './tcp-gate.js';

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
    // Between two changes the list is one array (callers key derived work on it); a change makes a new one.
    const before = cache.list();
    assert.equal(cache.list(), before);
    await core().createNamespace({ body: { metadata: { name } } });
    await waitFor(`${name} in the cache`, async () => cache.get(name) !== undefined, { timeoutMs: 15_000 });
    assert.notEqual(cache.list(), before);
    assert.ok(cache.list().some((n) => n.metadata?.name === name));
    await core().deleteNamespace({ name });
    // Namespaces terminate asynchronously: the cache sees the deletionTimestamp first.
    await waitFor(
      `${name} terminating in the cache`,
      async () => cache.get(name)?.metadata?.deletionTimestamp !== undefined || cache.get(name) === undefined,
    );
  });
});

describe('watch cache with kube-apiserver unreachable at start', () => {
  let gate: TcpGate;
  let through: string;
  before(async () => {
    const kubeconfig = readSandboxEnv().KUBECONFIG;
    gate = await createTcpGate(apiserverOf(kubeconfig));
    through = kubeconfigThrough(kubeconfig, gate, mkdtempSync(join(tmpdir(), 'kube-cache-it-')));
  });
  after(() => gate.close());

  it('is not ready (and never serves an empty copy) until a list succeeds, then lists by itself', async () => {
    const kc = loadKubeConfig(through);
    const gated = createWatchCache<V1Namespace>({
      config: kc,
      path: '/api/v1/namespaces',
      list: () => kc.makeApiClient(CoreV1Api).listNamespace(),
      resyncMs: 60_000,
      retryMs: 100,
      maxRetryMs: 200,
    });
    try {
      await assert.rejects(gated.ready(), 'ready() fails while the apiserver is unreachable');
      assert.equal(gated.synced, false);
      await assert.rejects(watchCachesSynced(), /\/api\/v1\/namespaces/);
      await gate.open();
      // No request needed: the cache keeps retrying with its backoff.
      await waitFor('the gated cache to list', async () => gated.synced, { timeoutMs: 10_000 });
      await gated.ready();
      assert.ok(gated.list().some((n) => n.metadata?.name === 'kube-system'));
    } finally {
      await gated.stop();
    }
    await watchCachesSynced();
  });
});

describe('watch cache resync', () => {
  it('lists again on every resync, not only once', async () => {
    let lists = 0;
    const resyncing = createWatchCache<V1Namespace>({
      config: config(),
      path: '/api/v1/namespaces',
      list: () => {
        lists++;
        return core().listNamespace();
      },
      resyncMs: 300,
    });
    try {
      await resyncing.ready();
      await waitFor('three lists', async () => lists >= 3, { timeoutMs: 5_000 });
      assert.ok(
        resyncing.list().some((n) => n.metadata?.name === 'kube-system'),
        'the copy stays full',
      );
    } finally {
      await resyncing.stop();
    }
  });
});
