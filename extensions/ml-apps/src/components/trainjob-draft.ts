// The submit form's draft and the TrainJob body it becomes, checked before any request (the server checks again).
// Pure.
import type { TrainJobCreate } from '@ks-gpu-ml/contracts';
import { envOf, type DraftProblem } from './notebook-draft.js';

export interface TrainJobDraft {
  name: string;
  runtimeKind: 'ClusterTrainingRuntime' | 'TrainingRuntime';
  runtimeName: string;
  image: string;
  /** The command, words split on spaces (`torchrun train.py`). */
  command: string;
  numNodes: string;
  cpu: string;
  memory: string;
  gpuResource: string;
  gpuCount: string;
  gpuModel: string;
  env: string;
  /** Where the dataset and model initializers fetch from (Trainer's storageUri); empty: none. */
  dataset: string;
  model: string;
}

export const emptyTrainJobDraft = (): TrainJobDraft => ({
  name: '',
  runtimeKind: 'ClusterTrainingRuntime',
  runtimeName: 'torch-distributed',
  image: '',
  command: '',
  numNodes: '1',
  cpu: '1',
  memory: '4Gi',
  gpuResource: '',
  gpuCount: '1',
  gpuModel: '',
  env: '',
  dataset: '',
  model: '',
});

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
/** Trainer's storageUri: a URI (`hf://…`, `s3://…`) or an absolute path. */
const STORAGE_URI = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/.+|\/.*)$/;

const whole = (text: string, min: number, max: number) => {
  const n = Number(text);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

export function toTrainJobBody(
  d: TrainJobDraft,
): { body: TrainJobCreate } | { problem: DraftProblem<keyof TrainJobDraft> } {
  const fail = (field: keyof TrainJobDraft, key: string) => ({ problem: { field, key } });
  if (!NAME.test(d.name) || d.name.length > 40) return fail('name', 'jobName');
  if (!LABEL.test(d.runtimeName) || d.runtimeName.length > 63) return fail('runtimeName', 'runtime');
  const image = d.image.trim();
  if (!image || /\s/.test(image)) return fail('image', 'image');
  const numNodes = whole(d.numNodes, 1, 64);
  if (numNodes === undefined) return fail('numNodes', 'numNodes');
  const cpu = Number(d.cpu);
  if (!Number.isFinite(cpu) || cpu < 0.1 || cpu > 256) return fail('cpu', 'cpu');
  if (!MEMORY.test(d.memory.trim())) return fail('memory', 'memory');
  const count = whole(d.gpuCount, 1, 64);
  if (d.gpuResource && count === undefined) return fail('gpuCount', 'gpuCount');
  const env = envOf(d.env);
  if (!env) return fail('env', 'env');
  const command = d.command.split(' ').filter(Boolean);
  const dataset = d.dataset.trim();
  const model = d.model.trim();
  for (const [field, uri] of [
    ['dataset', dataset],
    ['model', model],
  ] as const) {
    if (uri && (!STORAGE_URI.test(uri) || uri.length > 2048)) return fail(field, 'initializerUri');
  }
  return {
    body: {
      name: d.name,
      runtimeRef: { kind: d.runtimeKind, name: d.runtimeName },
      image,
      ...(command.length ? { command } : {}),
      numNodes,
      cpu,
      memory: d.memory.trim(),
      ...(d.gpuResource && count
        ? { gpu: { resource: d.gpuResource, count, ...(d.gpuModel ? { model: d.gpuModel } : {}) } }
        : {}),
      ...(env.length ? { env } : {}),
      ...(dataset || model
        ? {
            initializer: {
              ...(dataset ? { dataset: { storageUri: dataset } } : {}),
              ...(model ? { model: { storageUri: model } } : {}),
            },
          }
        : {}),
    },
  };
}
