// Submitting a Training Operator v1 job: the replica types checked against the kind's rules (the contract's
// replicaProblem, as the console checks them), each replica's GPU against what nodes offer, the quota pre-check
// for all replicas together and the capacity check for every GPU pod, then the job. A refusal is the notebooks'
// 409 with the numbers; nothing is created.
import { replicaProblem, type TrainingJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainingJob, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { checkEnv, checkGpu, checkNew, invalid, precheckRefused } from './create-checks.js';
import { acceleratorResources } from './notebook-options.js';
import { capacityRefusalsMixed, quotaRefusals } from './precheck.js';
import { askOfTrainingJob, gpuPodsOf, trainingJobManifest, V1_KINDS } from './training-job-manifest.js';

/** 400 naming the field for what a schema cannot say: the kind's replica types, GPUs nodes lack, env twice. */
export function checkTrainingJob(
  input: TrainingJobCreate,
  accelerators: ReadonlyMap<string, ReadonlySet<string>>,
): void {
  const problem = replicaProblem(input.kind, input.replicaSpecs);
  if (problem) {
    throw invalid(problem.field, `ML_APPS_REPLICA_${problem.key.toUpperCase()}`, problem.params);
  }
  input.replicaSpecs.forEach((spec, i) => checkGpu(spec.gpu, accelerators, `body.replicaSpecs.${i}.gpu`));
  checkEnv(input.env);
}

export async function createTrainingJob(
  kube: MlAppsKube,
  namespace: string,
  input: TrainingJobCreate,
  creator: string,
  version: string,
): Promise<KubeTrainingJob> {
  const { plural } = V1_KINDS[input.kind];
  const gpuPods = gpuPodsOf(input);
  const [exists, existing, nodes, quotas, placed] = await Promise.all([
    kube.namespaceExists(namespace),
    kube.getTrainingJob(namespace, plural, version, input.name),
    kube.nodes(),
    kube.resourceQuotas(namespace),
    gpuPods.length ? kube.placedRequests() : {},
  ]);
  checkNew(namespace, exists, input.name, existing !== undefined, 'ML_APPS_TRAININGJOB_EXISTS', {
    kind: input.kind,
  });
  checkTrainingJob(input, acceleratorResources(nodes));

  const refusals = [
    ...quotaRefusals(quotas, askOfTrainingJob(input)),
    ...capacityRefusalsMixed(nodes, placed, gpuPods),
  ];
  if (refusals.length > 0) throw precheckRefused(refusals, true);
  return kube.createTrainingJob(
    namespace,
    plural,
    version,
    trainingJobManifest(namespace, input, creator, version),
  );
}
