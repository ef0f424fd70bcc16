// A TrainJob's dataset and model initializers: found in a runtime by Trainer's step label (or, in older runtimes,
// the job's name), written to the TrainJob as asked, and shown on the list as stored.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainingRuntime } from '../../clients/ml-apps-kube.js';
import { ANCESTOR_STEP_LABEL, runtimeInitializers, trainJobManifest } from './trainjob-manifest.js';
import { trainJobView } from './trainjob-view.js';

const runtime = (jobs: { name: string; step?: string }[]): KubeTrainingRuntime => ({
  spec: {
    template: {
      spec: {
        replicatedJobs: jobs.map((j) => ({
          name: j.name,
          template: {
            metadata: { labels: j.step ? { [ANCESTOR_STEP_LABEL]: j.step } : ({} as Record<string, string>) },
          },
        })),
      },
    },
  },
});

test("a runtime's initializers: by Trainer's step label, else by the job's name; none when it has neither", () => {
  assert.deepEqual(
    [
      ...runtimeInitializers(
        runtime([
          { name: 'fetch-data', step: 'dataset-initializer' },
          { name: 'model-initializer' },
          { name: 'node', step: 'trainer' },
        ]),
      ),
    ].sort(),
    ['dataset', 'model'],
  );
  assert.deepEqual([...runtimeInitializers(runtime([{ name: 'node', step: 'trainer' }]))], []);
  assert.deepEqual([...runtimeInitializers({})], []);
});

const input: TrainJobCreate = {
  name: 'tune',
  runtimeRef: { kind: 'ClusterTrainingRuntime', name: 'torchtune-llama3.2-1b' },
  image: 'pytorch:2',
  numNodes: 1,
  cpu: 1,
  memory: '4Gi',
  initializer: {
    dataset: { storageUri: 'hf://tatsu-lab/alpaca' },
    model: { storageUri: 'hf://meta-llama/Llama-3.2-1B' },
  },
};

test('the TrainJob carries the initializers asked for, and the list shows them', () => {
  const manifest = trainJobManifest('team-a', input, 'alice');
  assert.deepEqual(manifest.spec?.initializer, input.initializer);
  assert.equal(
    trainJobManifest('team-a', { ...input, initializer: undefined }, 'alice').spec?.initializer,
    undefined,
  );
  const view = trainJobView(
    { ...manifest, metadata: { ...manifest.metadata, creationTimestamp: new Date() } },
    [],
    [],
  );
  assert.deepEqual(view.initializer, input.initializer);
});
