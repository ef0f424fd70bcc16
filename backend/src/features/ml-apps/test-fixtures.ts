import type { InferenceServiceCreate } from '@ks-gpu-ml/contracts';

/** For tests: version 2 of the registered model `iris` deployed with one GPU per replica, as the deploy form asks. */
export const irisDeploy: InferenceServiceCreate = {
  name: 'iris',
  model: 'iris',
  version: 2,
  cpu: 1,
  memory: '2Gi',
  gpu: { resource: 'nvidia.com/gpu', count: 1 },
  minReplicas: 2,
  maxReplicas: 4,
};

/** The registry's record of that version: what the manifest serves. */
export const irisVersion = { format: 'sklearn', storageUri: 's3://models/iris/2' } as const;
