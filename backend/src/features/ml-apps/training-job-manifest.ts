// The Training Operator v1 job (TFJob, PyTorchJob, XGBoostJob, MPIJob) a submit describes, and what all its replicas
// ask for together (the pre-check's ask). Each replica's container has the name the operator looks for (it sets
// the ports and the distributed environment on that one); requests equal limits, as for notebooks. Pure.
import { parseQuantity, type TrainingJobCreate, type TrainingJobKind } from '@ks-gpu-ml/contracts';
import type { KubeTrainingJob } from '../../clients/ml-apps-kube.js';
import { ownedMetadata, podAmounts } from './notebook-manifest.js';
import { GPU_MODEL_LABEL, type Ask } from './precheck.js';

/** Per kind: the `spec` field of its replica specs and the container name the operator expects. */
export const V1_KINDS: Readonly<
  Record<TrainingJobKind, { plural: string; specsField: string; container: string }>
> = {
  TFJob: { plural: 'tfjobs', specsField: 'tfReplicaSpecs', container: 'tensorflow' },
  PyTorchJob: { plural: 'pytorchjobs', specsField: 'pytorchReplicaSpecs', container: 'pytorch' },
  XGBoostJob: { plural: 'xgboostjobs', specsField: 'xgbReplicaSpecs', container: 'xgboost' },
  MPIJob: { plural: 'mpijobs', specsField: 'mpiReplicaSpecs', container: 'mpi' },
};

/** Every replica's pod together: `pods` their number, each resource summed over all replicas. */
export function askOfTrainingJob(input: TrainingJobCreate): Ask {
  const ask: Record<string, number> = { pods: 0, cpu: 0, memory: 0 };
  for (const spec of input.replicaSpecs) {
    const n = spec.replicas;
    ask.pods! += n;
    ask.cpu! += spec.cpu * n;
    ask.memory! += (parseQuantity(spec.memory) ?? 0) * n;
    if (spec.gpu) ask[spec.gpu.resource] = (ask[spec.gpu.resource] ?? 0) + spec.gpu.count * n;
  }
  return ask;
}

/** The GPU pods of the job: per replica type its GPU ask and how many replicas (the capacity check's input). */
export const gpuPodsOf = (input: TrainingJobCreate) =>
  input.replicaSpecs.flatMap((s) => (s.gpu ? [{ gpu: s.gpu, count: s.replicas }] : []));

/** One replica type of the job as the manifest writes it (and as tests read it back). */
export interface ReplicaSpecManifest {
  replicas: number;
  restartPolicy: 'OnFailure';
  template: {
    spec: {
      containers: {
        name: string;
        image: string;
        command?: string[];
        args?: string[];
        env?: TrainingJobCreate['env'];
        resources: { requests: Record<string, string>; limits: Record<string, string> };
      }[];
      nodeSelector?: Record<string, string>;
    };
  };
}

export function trainingJobManifest(
  namespace: string,
  input: TrainingJobCreate,
  creator: string,
  version: string,
): KubeTrainingJob {
  const kind = V1_KINDS[input.kind];
  const specs = Object.fromEntries(
    input.replicaSpecs.map((spec): [string, ReplicaSpecManifest] => {
      const amounts = podAmounts(spec);
      return [
        spec.type,
        {
          replicas: spec.replicas,
          restartPolicy: 'OnFailure',
          template: {
            spec: {
              containers: [
                {
                  name: kind.container,
                  image: spec.image,
                  ...(spec.command ? { command: spec.command } : {}),
                  ...(spec.args ? { args: spec.args } : {}),
                  ...(input.env ? { env: input.env } : {}),
                  resources: { requests: amounts, limits: amounts },
                },
              ],
              ...(spec.gpu?.model ? { nodeSelector: { [GPU_MODEL_LABEL]: spec.gpu.model } } : {}),
            },
          },
        },
      ];
    }),
  );
  return {
    apiVersion: `kubeflow.org/${version}`,
    kind: input.kind,
    metadata: ownedMetadata(input.name, namespace, creator),
    spec: { [kind.specsField]: specs },
  };
}
