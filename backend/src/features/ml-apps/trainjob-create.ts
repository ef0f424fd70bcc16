// Submitting a TrainJob: the request checked against the cluster (the runtime exists and has the initializers asked
// for, the GPU and model do), the quota and capacity pre-check for all its nodes, then the TrainJob. A refusal is
// the notebooks' 409 with the numbers; nothing is created.
import type { TrainJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainJob, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { checkEnv, checkGpu, checkNew, invalid, runPrecheck } from './create-checks.js';
import { acceleratorResources } from './notebook-options.js';
import { askOfTrainJob, runtimeInitializers, trainJobManifest } from './trainjob-manifest.js';

/** Each initializer asked for is one the runtime has, or a 400 naming the field and the runtime. */
function checkInitializers(input: TrainJobCreate, has: ReadonlySet<'dataset' | 'model'>): void {
  for (const step of ['dataset', 'model'] as const) {
    if (input.initializer?.[step] && !has.has(step)) {
      throw invalid(`body.initializer.${step}`, 'ML_APPS_RUNTIME_NO_INITIALIZER', {
        step,
        kind: input.runtimeRef.kind,
        name: input.runtimeRef.name,
      });
    }
  }
}

export async function createTrainJob(
  kube: MlAppsKube,
  namespace: string,
  input: TrainJobCreate,
  creator: string,
): Promise<KubeTrainJob> {
  const [exists, existing, runtime, nodes, quotas, placed] = await Promise.all([
    kube.namespaceExists(namespace),
    kube.getTrainJob(namespace, input.name),
    kube.trainingRuntime(input.runtimeRef.kind, input.runtimeRef.name, namespace),
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
  checkInitializers(input, runtimeInitializers(runtime));
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
