import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createStore, type Store } from './index.js';
import { createModelRegistryStore, type ModelRegistryStore, type VersionSpec } from './model-registry.js';

const PAGE = { limit: 100 };

/**
 * The model registry's behaviour, the same on every database: run by model-registry.test.ts on SQLite and by
 * tests/integration/ml-apps/serving-registry-store.test.ts on a real PostgreSQL server.
 */
export function modelRegistrySuite(url: () => string): void {
  let store: Store;
  let registry: ModelRegistryStore;
  const spec = (uri: string): VersionSpec => ({
    format: 'sklearn',
    storageUri: uri,
    metrics: { accuracy: 0.91 },
    parameters: { C: '1.0' },
    trainJob: 'iris-train',
  });

  before(async () => {
    store = createStore(url());
    await store.migrate();
    registry = createModelRegistryStore(store);
  });
  after(async () => {
    await store?.close();
  });

  it('creates a model with its first version once per project, and lists it with its counts', async () => {
    assert.equal(
      await registry.createModel('p1', 'iris', 'flowers', spec('s3://b/iris/1'), 'alice', 1_000),
      true,
    );
    assert.equal(await registry.createModel('p1', 'iris', undefined, undefined, 'bob', 2_000), false);
    assert.equal(await registry.createModel('p2', 'iris', undefined, undefined, 'bob', 2_000), true);
    const [iris] = await registry.listModels('p1');
    assert.deepEqual(iris, {
      namespace: 'p1',
      name: 'iris',
      description: 'flowers',
      createdBy: 'alice',
      createdAt: 1_000,
      versionCount: 1,
      latestVersion: 1,
    });
    assert.equal((await registry.listModels('p2'))[0]?.versionCount, 0);
  });

  it('numbers versions per model, also when registrations race', async () => {
    const numbers = await Promise.all(
      [2, 3, 4, 5].map((n) =>
        registry.addVersion('p1', 'iris', spec(`s3://b/iris/${n}`), 'alice', 3_000 + n),
      ),
    );
    assert.deepEqual([...numbers].sort(), [2, 3, 4, 5]);
    assert.equal(await registry.addVersion('p1', 'nope', spec('s3://b/x'), 'alice', 4_000), undefined);
    assert.equal(await registry.addVersion('p2', 'iris', spec('gs://b/iris'), 'bob', 4_000), 1);
    const v3 = await registry.getVersion('p1', 'iris', 3);
    assert.equal(v3?.version, 3);
    assert.equal(v3?.stage, 'none');
    assert.deepEqual(v3?.spec.metrics, { accuracy: 0.91 });
  });

  it('moves a version between stages and records who did it, from and to', async () => {
    assert.deepEqual(await registry.setStage('p1', 'iris', 2, 'production', 'carol', 5_000), {
      from: 'none',
    });
    assert.deepEqual(await registry.setStage('p1', 'iris', 2, 'archived', 'dave', 6_000), {
      from: 'production',
    });
    assert.deepEqual(await registry.setStage('p1', 'iris', 4, 'production', 'carol', 7_000), {
      from: 'none',
    });
    assert.equal(await registry.setStage('p1', 'iris', 99, 'staging', 'carol', 7_000), 'no-version');
    assert.equal(await registry.setStage('p1', 'nope', 1, 'staging', 'carol', 7_000), 'no-model');
    const record = await registry.getModel('p1', 'iris', PAGE);
    assert.ok(record);
    assert.equal(record.model.productionVersion, 4);
    assert.equal(record.model.latestVersion, 5);
    assert.deepEqual(
      record.versions.map((v) => v.version),
      [5, 4, 3, 2, 1],
    );
    const v2 = record.versions.find((v) => v.version === 2)!;
    assert.equal(v2.stage, 'archived');
    assert.equal(v2.updatedBy, 'dave');
    assert.equal(v2.createdBy, 'alice');
    assert.deepEqual(record.events[0], {
      action: 'stage-changed',
      version: 4,
      from: 'none',
      to: 'production',
      by: 'carol',
      at: 7_000,
    });
    assert.deepEqual(record.events.at(-1), { action: 'model-created', by: 'alice', at: 1_000 });
    assert.equal(record.more, false);
  });

  it('pages versions newest first: a page of `limit`, then those below `before`', async () => {
    const first = await registry.getModel('p1', 'iris', { limit: 2 });
    assert.deepEqual(
      first?.versions.map((v) => v.version),
      [5, 4],
    );
    assert.equal(first?.more, true);
    const next = await registry.getModel('p1', 'iris', { limit: 2, before: 4 });
    assert.deepEqual(
      next?.versions.map((v) => v.version),
      [3, 2],
    );
    assert.equal(next?.more, true);
    const last = await registry.getModel('p1', 'iris', { limit: 2, before: 2 });
    assert.deepEqual(
      last?.versions.map((v) => v.version),
      [1],
    );
    assert.equal(last?.more, false);
    assert.equal(last?.model.versionCount, 5, 'the count is of all versions');
  });

  it('deletes a model with its versions and history, and only in its project', async () => {
    assert.equal(await registry.deleteModel('p2', 'iris'), true);
    assert.equal(await registry.deleteModel('p2', 'iris'), false);
    assert.equal(await registry.getModel('p2', 'iris', PAGE), undefined);
    assert.equal((await registry.getModel('p1', 'iris', PAGE))?.versions.length, 5);
    // The name is free again, and numbering starts over.
    assert.equal(
      await registry.createModel('p2', 'iris', undefined, spec('hf://org/iris'), 'bob', 8_000),
      true,
    );
    assert.equal((await registry.getModel('p2', 'iris', PAGE))?.model.latestVersion, 1);
  });
}
