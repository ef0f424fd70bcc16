import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { KubeTrainJob } from '../../clients/ml-apps-kube.js';
import { createStore, type Store } from '../../clients/store/index.js';
import { createModelRegistryStore } from '../../clients/store/model-registry.js';
import { AppError } from '../../core/errors.js';
import { createModelRegistry, trainJobFinished, type ModelRegistry } from './model-registry.js';

const job = (name: string, conditions: { type: string; status: string }[]): KubeTrainJob => ({
  metadata: { name },
  status: { conditions },
});
const jobs = new Map([
  ['done', job('done', [{ type: 'Complete', status: 'True' }])],
  ['running', job('running', [])],
  ['failed', job('failed', [{ type: 'Failed', status: 'True' }])],
]);

const rejectsWith = (promise: Promise<unknown>, status: number, key: string, field?: string) =>
  assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof AppError);
    assert.equal(err.statusCode, status);
    assert.equal(err.key, key);
    if (field) assert.equal((err.details as { field?: string }).field, field);
    return true;
  });

describe('model registry requests', () => {
  let store: Store;
  let registry: ModelRegistry;
  let clock = Date.UTC(2026, 0, 1);
  before(async () => {
    store = createStore('sqlite::memory:');
    await store.migrate();
    registry = createModelRegistry({
      store: createModelRegistryStore(store),
      trainJob: async (_ns, name) => jobs.get(name),
      now: () => (clock += 1_000),
    });
  });
  after(() => store.close());

  it("reads Trainer's verdict: only Complete, not Failed, is finished", () => {
    assert.equal(trainJobFinished(jobs.get('done')!), true);
    assert.equal(trainJobFinished(jobs.get('running')!), false);
    assert.equal(trainJobFinished(jobs.get('failed')!), false);
  });

  it('registers a model with version 1 from a finished TrainJob in one step', async () => {
    const detail = await registry.create(
      'proj',
      {
        name: 'iris',
        firstVersion: {
          format: 'sklearn',
          storageUri: 'pvc://models/iris',
          trainJob: 'done',
          metrics: { f1: 0.9 },
        },
      },
      'alice',
    );
    assert.equal(detail.versionCount, 1);
    assert.equal(detail.versions[0]?.trainJob, 'done');
    assert.equal(detail.versions[0]?.stage, 'none');
    assert.equal(detail.versions[0]?.createdBy, 'alice');
    assert.deepEqual(detail.versions[0]?.metrics, { f1: 0.9 });
    assert.deepEqual(detail.versions[0]?.parameters, {});
    assert.deepEqual(
      detail.history.map((h) => h.action),
      ['version-registered', 'model-created'],
    );
  });

  it('refuses a version naming a TrainJob that is missing (400) or not finished (409), writing nothing', async () => {
    const v = { format: 'onnx', storageUri: 's3://bucket/m.onnx' } as const;
    await rejectsWith(
      registry.addVersion('proj', 'iris', { ...v, trainJob: 'nope' }, 'bob'),
      400,
      'ML_APPS_MODEL_UNKNOWN_TRAINJOB',
      'body.trainJob',
    );
    await rejectsWith(
      registry.addVersion('proj', 'iris', { ...v, trainJob: 'running' }, 'bob'),
      409,
      'ML_APPS_MODEL_TRAINJOB_NOT_FINISHED',
    );
    await rejectsWith(
      registry.create('proj', { name: 'other', firstVersion: { ...v, trainJob: 'failed' } }, 'bob'),
      409,
      'ML_APPS_MODEL_TRAINJOB_NOT_FINISHED',
      'body.firstVersion.trainJob',
    );
    assert.deepEqual(
      (await registry.list('proj')).items.map((m) => [m.name, m.versionCount]),
      [['iris', 1]],
    );
  });

  it('answers 404 for a missing model or version and 409 for a taken name', async () => {
    await rejectsWith(registry.get('proj', 'nope'), 404, 'ML_APPS_MODEL_NOT_FOUND');
    await rejectsWith(registry.create('proj', { name: 'iris' }, 'bob'), 409, 'ML_APPS_MODEL_EXISTS');
    await rejectsWith(
      registry.setStage('proj', 'iris', { version: 7, stage: 'staging' }, 'bob'),
      404,
      'ML_APPS_MODEL_VERSION_NOT_FOUND',
    );
    await rejectsWith(registry.remove('proj', 'nope'), 404, 'ML_APPS_MODEL_NOT_FOUND');
  });

  it('promotes a version and records who and when, with the stage it left', async () => {
    await registry.addVersion('proj', 'iris', { format: 'sklearn', storageUri: 'gs://b/iris/2' }, 'bob');
    const detail = await registry.setStage('proj', 'iris', { version: 2, stage: 'production' }, 'carol');
    assert.equal(detail.productionVersion, 2);
    assert.equal(detail.latestVersion, 2);
    const v2 = detail.versions.find((v) => v.version === 2)!;
    assert.equal(v2.updatedBy, 'carol');
    assert.ok(Date.parse(v2.updatedAt) > Date.parse(v2.createdAt));
    assert.deepEqual(
      { ...detail.history[0], at: undefined },
      { action: 'stage-changed', version: 2, from: 'none', to: 'production', by: 'carol', at: undefined },
    );
  });
});
