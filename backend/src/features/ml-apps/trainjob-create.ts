// Submitting a TrainJob: the request checked against the cluster (the runtime exists, the GPU and model do), the
// quota and capacity pre-check for all its nodes, then the TrainJob. A refusal is the notebooks' 409 with the
// numbers; nothing is created.
import type { TrainJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainJob, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../platform/errors.js';
import { checkEnv, checkGpu, precheckRefused } from './notebook-create.js';
import { acceleratorResources } from './notebook-options.js';
import { capacityRefusal, quotaRefusals } from './precheck.js';
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
  if (!exists) {
    throw new AppError(404, 'NotFound', 'ML_APPS_NAMESPACE_NOT_FOUND', { namespace }, { namespace });
  }
  if (existing) {
    throw new AppError(
      409,
      'Conflict',
      'ML_APPS_TRAINJOB_EXISTS',
      { name: input.name },
      { name: input.name },
    );
  }
  // What the body names does not exist: a 404 naming the field, as for a missing project.
  if (!runtime) {
    const params = { ...input.runtimeRef, field: 'body.runtimeRef.name' };
    throw new AppError(404, 'NotFound', 'ML_APPS_UNKNOWN_RUNTIME', params, params);
  }
  checkGpu(input.gpu, acceleratorResources(nodes));
  checkEnv(input.env);

  const refusals = quotaRefusals(quotas, askOfTrainJob(input));
  if (input.gpu) {
    const capacity = capacityRefusal(nodes, placed, input.gpu, input.numNodes);
    if (capacity) refusals.push(capacity);
  }
  if (refusals.length > 0) throw precheckRefused(refusals);
  return kube.createTrainJob(namespace, trainJobManifest(namespace, input, creator));
}
