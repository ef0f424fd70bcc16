// Which ML operators the cluster has, by API discovery: an operator counts as installed when the API server
// serves its kind's resource in one of the versions our pages speak. Discovery, not the CRD list, because it
// is what a request would meet (a CRD can exist and not be served yet) and needs no CRD read permission.
import type { MlOperator, MlOperatorId } from '@ks-gpu-ml/contracts';

export interface OperatorKind {
  id: MlOperatorId;
  group: string;
  /** Versions we can speak, preferred first. */
  versions: readonly string[];
  kind: string;
  resource: string;
}

export const ML_OPERATORS: readonly OperatorKind[] = [
  { id: 'notebooks', group: 'kubeflow.org', versions: ['v1'], kind: 'Notebook', resource: 'notebooks' },
  {
    id: 'trainjobs',
    group: 'trainer.kubeflow.org',
    versions: ['v1alpha1'],
    kind: 'TrainJob',
    resource: 'trainjobs',
  },
  { id: 'tfjobs', group: 'kubeflow.org', versions: ['v1'], kind: 'TFJob', resource: 'tfjobs' },
  { id: 'pytorchjobs', group: 'kubeflow.org', versions: ['v1'], kind: 'PyTorchJob', resource: 'pytorchjobs' },
  { id: 'xgboostjobs', group: 'kubeflow.org', versions: ['v1'], kind: 'XGBoostJob', resource: 'xgboostjobs' },
  // training-operator's v1 MPIJob or mpi-operator's v2beta1: one CRD name, so a cluster serves one of them.
  { id: 'mpijobs', group: 'kubeflow.org', versions: ['v1', 'v2beta1'], kind: 'MPIJob', resource: 'mpijobs' },
  {
    id: 'inferenceservices',
    group: 'serving.kserve.io',
    versions: ['v1beta1'],
    kind: 'InferenceService',
    resource: 'inferenceservices',
  },
  {
    id: 'kueue-workloads',
    group: 'kueue.x-k8s.io',
    versions: ['v1beta2', 'v1beta1'],
    kind: 'Workload',
    resource: 'workloads',
  },
];

/** Resources served per group-version, or undefined when the group-version is not served. */
export type Discover = (group: string, version: string) => Promise<ReadonlySet<string> | undefined>;

/** The first version of the kind the API server serves, or undefined. */
export async function servedVersion(op: OperatorKind, discover: Discover): Promise<string | undefined> {
  for (const version of op.versions) {
    if ((await discover(op.group, version))?.has(op.resource)) return version;
  }
  return undefined;
}

export async function listOperators(discover: Discover): Promise<MlOperator[]> {
  return Promise.all(
    ML_OPERATORS.map(async (op) => {
      const version = await servedVersion(op, discover);
      return {
        id: op.id,
        group: op.group,
        version: version ?? op.versions[0]!,
        kind: op.kind,
        resource: op.resource,
        installed: version !== undefined,
      };
    }),
  );
}

export const operatorKind = (id: MlOperatorId): OperatorKind => ML_OPERATORS.find((op) => op.id === id)!;
