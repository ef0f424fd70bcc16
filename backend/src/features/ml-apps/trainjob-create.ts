// Submitting a TrainJob: the request checked against the cluster (the runtime exists, the GPU and model do), the
// quota and capacity pre-check for all its nodes, then the TrainJob. A refusal is the notebooks' 409 with the
// numbers; nothing is created.
import type { TrainJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainJob, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../platform/errors.js';
import { checkEnv, checkGpu, checkNew, runPrecheck } from './create-checks.js';
import { acceleratorResources } from './notebook-options.js';
import { askOfTrainJob, trainJobManifest } from './trainjob-manifest.js';

export async function createTrainJob(
  kube: MlAppsKube,
  namespace: string,
  input: TrainJobCreate,
  creator: string,
): Promise<KubeTrainJob> {
  const [exists, existing, runtime, nodes, quotas, placed] = await Promise.all([
    kube.namespaceExists(namespace),
    kube.getTrainJob(namespace, input.name),
    kube.trainingRuntimeExists(input.runtimeRef.kind, input.runtimeRef.name, namespace),
    kube.nodes(),
    kube.resourceQuotas(namespace),
    input.gpu ? kube.placedRequests() : {},
  ]);
  checkNew(namespace, exists, input.name, existing !== undefined, 'ML_APPS_TRAINJOB_EXISTS');
  // What the body names does not exist: a 404 naming the field, as for a missing project.
  if (!runtime) {
    const params = { ...input.runtimeRef, field: 'body.runtimeRef.name' };
    throw new AppError(404, 'NotFound', 'ML_APPS_UNKNOWN_RUNTIME', params, params);
  }
  checkGpu(input.gpu, acceleratorResources(nodes));
  checkEnv(input.env);

  runPrecheck({
    quotas,
    ask: askOfTrainJob(input),
    nodes,
    placed,
    gpu: input.gpu,
    pods: input.numNodes,
    job: true,
  });
  return kube.createTrainJob(namespace, trainJobManifest(namespace, input, creator));
}
