import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyTrainJobDraft, toTrainJobBody } from './trainjob-draft.js';

test('a filled draft becomes the TrainJob body: runtime, command words, nodes, GPUs per node', () => {
  assert.deepEqual(
    toTrainJobBody({
      ...emptyTrainJobDraft(),
      name: 'mnist',
      image: 'pytorch:2',
      command: 'torchrun  train.py --epochs 3',
      numNodes: '2',
      gpuResource: 'nvidia.com/gpu',
      gpuCount: '4',
      gpuModel: 'H100',
      env: 'NCCL_DEBUG=INFO',
    }),
    {
      body: {
        name: 'mnist',
        runtimeRef: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' },
        image: 'pytorch:2',
        command: ['torchrun', 'train.py', '--epochs', '3'],
        numNodes: 2,
        cpu: 1,
        memory: '4Gi',
        gpu: { resource: 'nvidia.com/gpu', count: 4, model: 'H100' },
        env: [{ name: 'NCCL_DEBUG', value: 'INFO' }],
      },
    },
  );
});

test('bad text names the field before any request', () => {
  const base = { ...emptyTrainJobDraft(), name: 'job', image: 'img' };
  assert.deepEqual(toTrainJobBody({ ...base, numNodes: '0' }), {
    problem: { field: 'numNodes', key: 'numNodes' },
  });
  assert.deepEqual(toTrainJobBody({ ...base, image: '' }), { problem: { field: 'image', key: 'image' } });
  assert.deepEqual(toTrainJobBody({ ...base, runtimeName: 'Torch' }), {
    problem: { field: 'runtimeName', key: 'runtime' },
  });
});

test('dataset and model to fetch first become the initializer; a bad URI names its field', () => {
  const base = { ...emptyTrainJobDraft(), name: 'tune', image: 'img' };
  const ok = toTrainJobBody({ ...base, dataset: ' hf://tatsu-lab/alpaca ', model: '/mnt/models/llama' });
  assert.deepEqual('body' in ok && ok.body.initializer, {
    dataset: { storageUri: 'hf://tatsu-lab/alpaca' },
    model: { storageUri: '/mnt/models/llama' },
  });
  const none = toTrainJobBody(base);
  assert.ok('body' in none && none.body.initializer === undefined, 'nothing asked, no initializer');
  assert.deepEqual(toTrainJobBody({ ...base, model: 'llama-3' }), {
    problem: { field: 'model', key: 'initializerUri' },
  });
});
