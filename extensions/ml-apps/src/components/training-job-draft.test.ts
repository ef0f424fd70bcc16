import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyTrainingJobDraft, toTrainingJobBody, withKind } from './training-job-draft.js';

const filled = () => {
  const d = emptyTrainingJobDraft('PyTorchJob');
  d.name = 'mnist';
  d.replicas.Master = { ...d.replicas.Master!, image: 'pytorch:2', command: 'torchrun  train.py' };
  d.replicas.Worker = {
    ...d.replicas.Worker!,
    image: 'pytorch:2',
    gpuResource: 'nvidia.com/gpu',
    gpuCount: '2',
  };
  d.env = 'EPOCHS=3';
  return d;
};

test('a filled draft becomes the contract body: enabled types only, command split, GPUs per replica', () => {
  const out = toTrainingJobBody(filled());
  assert.ok('body' in out, JSON.stringify(out));
  assert.deepEqual(out.body, {
    kind: 'PyTorchJob',
    name: 'mnist',
    replicaSpecs: [
      {
        type: 'Master',
        replicas: 1,
        image: 'pytorch:2',
        command: ['torchrun', 'train.py'],
        cpu: 1,
        memory: '4Gi',
      },
      {
        type: 'Worker',
        replicas: 2,
        image: 'pytorch:2',
        cpu: 1,
        memory: '4Gi',
        gpu: { resource: 'nvidia.com/gpu', count: 2 },
      },
    ],
    env: [{ name: 'EPOCHS', value: '3' }],
  });
});

test('problems are named before any request: the field, the key and the replica type', () => {
  const noImage = filled();
  noImage.replicas.Worker!.image = '';
  assert.deepEqual(toTrainingJobBody(noImage), {
    problem: { field: 'replicas', key: 'image', type: 'Worker' },
  });
  const twoMasters = filled();
  twoMasters.replicas.Master!.replicas = '2';
  assert.deepEqual(toTrainingJobBody(twoMasters), {
    problem: { field: 'replicas', key: 'replica.singleReplica' },
  });
  const badName = filled();
  badName.name = 'Bad';
  assert.deepEqual(toTrainingJobBody(badName), { problem: { field: 'name', key: 'jobName' } });
  const none = filled();
  none.replicas.Master!.enabled = false;
  none.replicas.Worker!.enabled = false;
  assert.deepEqual(toTrainingJobBody(none), { problem: { field: 'replicas', key: 'noReplicas' } });
});

test('switching the kind keeps what was typed for the types both have and offers the new kind’s types', () => {
  const mpi = withKind(filled(), 'MPIJob');
  assert.deepEqual(Object.keys(mpi.replicas), ['Launcher', 'Worker']);
  assert.equal(mpi.replicas.Worker!.gpuCount, '2');
  assert.equal(mpi.replicas.Launcher!.enabled, true);
  assert.equal(mpi.name, 'mnist');
  const xgbNoMaster = withKind(filled(), 'XGBoostJob');
  xgbNoMaster.replicas.Master!.enabled = false;
  assert.deepEqual(toTrainingJobBody(xgbNoMaster), {
    problem: { field: 'replicas', key: 'replica.requiredType' },
  });
});
