// The Kubeflow Trainer v2 TrainJob a submit describes, and what all its nodes ask for together (the pre-check's
// ask). Requests equal limits per node, as for notebooks. Pure.
import { parseQuantity, type TrainJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainingRuntime, KubeTrainJob } from '../../clients/ml-apps-kube.js';
import { ownedMetadata, podAmounts } from './notebook-manifest.js';
import type { Ask } from './precheck.js';

/** The label by which Trainer finds a runtime's steps (its `trainer.kubeflow.org/trainjob-ancestor-step`). */
export const ANCESTOR_STEP_LABEL = 'trainer.kubeflow.org/trainjob-ancestor-step';

/**
 * The initializers a runtime has: a replicated job labelled (or, in runtimes before the label, named)
 * `dataset-initializer` / `model-initializer`.
 */
export function runtimeInitializers(runtime: KubeTrainingRuntime): Set<'dataset' | 'model'> {
  const found = new Set<'dataset' | 'model'>();
  for (const job of runtime.spec?.template?.spec?.replicatedJobs ?? []) {
    const step = job.template?.metadata?.labels?.[ANCESTOR_STEP_LABEL] ?? job.name;
    if (step === 'dataset-initializer') found.add('dataset');
    if (step === 'model-initializer') found.add('model');
  }
  return found;
}

/** The label JobSet puts on every pod of the TrainJob's JobSet (named after the TrainJob). */
export const JOBSET_NAME_LABEL = 'jobset.sigs.k8s.io/jobset-name';

/** Per node, then times the nodes: `pods` counts the nodes' pods for a `pods` quota. */
export function askOfTrainJob(input: TrainJobCreate): Ask {
  const nodes = input.numNodes;
  return {
    pods: nodes,
    cpu: input.cpu * nodes,
    memory: (parseQuantity(input.memory) ?? 0) * nodes,
    ...(input.gpu ? { [input.gpu.resource]: input.gpu.count * nodes } : {}),
  };
}

export function trainJobManifest(namespace: string, input: TrainJobCreate, creator: string): KubeTrainJob {
  const amounts = podAmounts(input);
  return {
    apiVersion: 'trainer.kubeflow.org/v1alpha1',
    kind: 'TrainJob',
    metadata: ownedMetadata(input.name, namespace, creator),
    spec: {
      runtimeRef: {
        apiGroup: 'trainer.kubeflow.org',
        kind: input.runtimeRef.kind,
        name: input.runtimeRef.name,
      },
      ...(input.initializer ? { initializer: input.initializer } : {}),
      trainer: {
        image: input.image,
        ...(input.command ? { command: input.command } : {}),
        ...(input.args ? { args: input.args } : {}),
        ...(input.env ? { env: input.env } : {}),
        numNodes: input.numNodes,
        resourcesPerNode: { requests: amounts, limits: amounts },
      },
    },
  };
}
