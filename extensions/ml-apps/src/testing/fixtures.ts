// The objects the ml-apps page tests list, each as the backend's contract types it: a TrainJob, an
// InferenceService and an LLMInferenceService of project team-a, running or ready, with what a test needs
// changed given as `extra`. One each, so the tests of a page's list, rights and GPU figures stay in step with
// contracts/. Under testing/: no extension entry imports it, so no bundle holds it.
import type { InferenceServiceSummary, LLMInferenceServiceSummary, TrainJob } from '@ks-gpu-ml/contracts';

const twoHoursAgo = () => new Date(Date.now() - 2 * 3_600_000).toISOString();
const tenMinutesAgo = () => new Date(Date.now() - 600_000).toISOString();

/** A running two-node TrainJob of one GPU a node, no pods yet, submitted two hours ago. */
export const trainJob = (name: string, extra: Partial<TrainJob> = {}): TrainJob => ({
  name,
  namespace: 'team-a',
  runtime: { kind: 'ClusterTrainingRuntime', name: 'torch-distributed' },
  image: 'pytorch:2',
  numNodes: 2,
  gpusPerNode: [{ resource: 'nvidia.com/gpu', count: 1 }],
  status: { phase: 'running' },
  conditions: [],
  replicas: [],
  createdAt: twoHoursAgo(),
  ...extra,
});

/** A ready InferenceService serving iris v2 (one pod of one GPU, 1–3 replicas), all its traffic on one revision. */
export const inferenceService = (
  name: string,
  extra: Partial<InferenceServiceSummary> = {},
): InferenceServiceSummary => ({
  name,
  namespace: 'team-a',
  model: { name: 'iris', version: 2 },
  format: 'sklearn',
  storageUri: 's3://models/iris/2',
  status: { phase: 'ready' },
  replicas: { min: 1, max: 3, ready: 1, pods: 1 },
  gpus: [{ resource: 'nvidia.com/gpu', count: 1 }],
  traffic: [
    {
      revisionName: `${name}-predictor-00001`,
      percent: 100,
      latest: true,
      model: { name: 'iris', version: 2 },
    },
  ],
  createdAt: tenMinutesAgo(),
  ...extra,
});

/** A ready LLMInferenceService serving llama v3 from Hugging Face, two replicas asking two GPUs, router managed. */
export const llmService = (
  name: string,
  extra: Partial<LLMInferenceServiceSummary> = {},
): LLMInferenceServiceSummary => ({
  name,
  namespace: 'team-a',
  model: { name: 'llama', version: 3 },
  modelUri: 'hf://org/llama',
  modelName: 'llama',
  status: { phase: 'ready' },
  replicas: { desired: 2, ready: 2, pods: 2 },
  gpus: [{ resource: 'nvidia.com/gpu', count: 2 }],
  router: true,
  createdAt: tenMinutesAgo(),
  ...extra,
});
