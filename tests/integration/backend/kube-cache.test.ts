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
import { slimNamespace, type NamespaceView } from '../../../backend/src/clients/kube-projections.js';
import { WORKSPACE_LABEL } from '../../../backend/src/shared/workspace-label.js';
import { loadKubeConfig } from '../../../backend/src/clients/kube.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { apiserverOf, createTcpGate, kubeconfigThrough, type TcpGate } from './tcp-gate.js';

type Kept = NamespaceView & { metadata?: { deletionTimestamp?: Date } };
let cache: WatchCache<Kept>;
const config = () => loadKubeConfig(readSandboxEnv().KUBECONFIG);
const core = () => config().makeApiClient(CoreV1Api);
/** The membership projection, plus the deletion time this test waits for. */
const keepWorkspace = slimNamespace([WORKSPACE_LABEL]);
const project = (ns: V1Namespace): Kept => {
  const kept = keepWorkspace(ns);
  const deletionTimestamp = ns.metadata?.deletionTimestamp;
  return deletionTimestamp ? { ...kept, metadata: { ...kept.metadata, deletionTimestamp } } : kept;
};
const justNames = (ns: V1Namespace) => ({ metadata: { name: ns.metadata?.name } });

before(async () => {
  cache = createWatchCache({
    config: config(),
    path: '/api/v1/namespaces',
    list: () => core().listNamespace(),
    project,
    maxBytes: 64 * 1024 * 1024,
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

  it('lists in pages of pageSize, each page projected, and holds every object', async () => {
    const pages: { limit: number; _continue?: string }[] = [];
    const paged = createWatchCache({
      config: config(),
      path: '/api/v1/namespaces',
      labelSelector: WORKSPACE_LABEL,
      list: (page) => {
        pages.push(page);
        return core().listNamespace({ labelSelector: WORKSPACE_LABEL, ...page });
      },
      project: justNames,
      maxBytes: 64 * 1024 * 1024,
      pageSize: 2,
      resyncMs: 60_000,
    });
    try {
      await paged.ready();
      const names = paged.list().map((n) => n.metadata?.name);
      // The sandbox's tenant namespaces (tests may add more at the same time): more than two pages' worth.
      for (const ns of ['alpha-train', 'alpha-serve', 'beta-research']) assert.ok(names.includes(ns), ns);
      assert.equal(new Set(names).size, names.length, 'no object twice');
      assert.ok(pages.length >= Math.ceil(names.length / 2), `${pages.length} pages for ${names.length}`);
      assert.ok(pages.every((p) => p.limit === 2));
      assert.equal(pages[0]!._continue, undefined);
      assert.ok(pages.slice(1).every((p) => typeof p._continue === 'string' && p._continue.length > 0));
      assert.deepEqual(Object.keys(paged.get('alpha-train')?.metadata ?? {}), ['name'], 'projected');
    } finally {
      await paged.stop();
    }
  });

  it('stores listed objects as the projection keeps them', () => {
    const alpha = cache.get('alpha-train');
    assert.deepEqual(Object.keys(alpha?.metadata ?? {}).sort(), ['labels', 'name', 'resourceVersion']);
    assert.deepEqual(Object.keys(alpha?.metadata?.labels ?? {}), [WORKSPACE_LABEL]);
    // Every namespace carries kubernetes.io/metadata.name; kube-system is in no workspace, so nothing is kept.
    assert.equal(cache.get('kube-system')?.metadata?.labels, undefined, 'labels not kept are dropped');
  });

  it('follows creations and deletions through the watch, projected', async () => {
    const name = uniqueName('cache-it');
    // Between two changes the list is one array (callers key derived work on it); a change makes a new one.
    const before = cache.list();
    assert.equal(cache.list(), before);
    const labels = { [WORKSPACE_LABEL]: 'cache-it', 'not-read': 'x' };
    await core().createNamespace({ body: { metadata: { name, labels, annotations: { 'not-read': 'x' } } } });
    await waitFor(`${name} in the cache`, async () => cache.get(name) !== undefined, { timeoutMs: 15_000 });
    assert.notEqual(cache.list(), before);
    const watched = cache.get(name);
    assert.deepEqual(
      watched?.metadata?.labels,
      { [WORKSPACE_LABEL]: 'cache-it' },
      'the watch event is projected',
    );
    assert.ok(watched?.metadata?.resourceVersion, 'the resourceVersion the informer compares is kept');
    assert.equal('annotations' in (watched?.metadata ?? {}), false);
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
    const gated = createWatchCache({
      config: kc,
      path: '/api/v1/namespaces',
      list: () => kc.makeApiClient(CoreV1Api).listNamespace(),
      project: justNames,
      maxBytes: 64 * 1024 * 1024,
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
    const resyncing = createWatchCache({
      config: config(),
      path: '/api/v1/namespaces',
      list: () => {
        lists++;
        return core().listNamespace();
      },
      project: justNames,
      maxBytes: 64 * 1024 * 1024,
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
