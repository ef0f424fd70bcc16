// The Kubeflow Trainer v2 TrainJob a submit describes, and what all its nodes ask for together (the pre-check's
// ask). Requests equal limits per node, as for notebooks. Pure.
import { parseQuantity, type TrainJobCreate } from '@ks-gpu-ml/contracts';
import type { KubeTrainJob } from '../../clients/ml-apps-kube.js';
import { ownedMetadata, podAmounts } from './notebook-manifest.js';
import type { Ask } from './precheck.js';

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
