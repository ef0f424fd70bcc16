// A Training Operator v1 job (TFJob, PyTorchJob, XGBoostJob, MPIJob) as the list shows it: its replica types
// with their counts and GPUs, each replica's pod (the operator's labels name type and index), and its state —
// Succeeded, Failed or Suspended from the operator's conditions, else from its pods as for TrainJobs. Pure.
import type { TrainingJob } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { KubeTrainingJob } from '../../clients/ml-apps-kube.js';
import { gpuHoursOf } from './gpu-hours.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { latestWarning } from './notebook-status.js';
import {
  conditionStatus,
  conditionsOut,
  gpuAmounts,
  replicaViews,
  statusFromReplicas,
} from './trainjob-view.js';

/** The labels Training Operator v1 puts on a job's pods. */
export const JOB_NAME_LABEL = 'training.kubeflow.org/job-name';
const REPLICA_TYPE_LABEL = 'training.kubeflow.org/replica-type';
const REPLICA_INDEX_LABEL = 'training.kubeflow.org/replica-index';

const TERMINAL = { Succeeded: 'succeeded', Failed: 'failed', Suspended: 'suspended' } as const;

interface ReplicaSpec {
  replicas?: number;
  template?: V1PodTemplateSpec;
}

/** `tfReplicaSpecs`, `pytorchReplicaSpecs`, `xgbReplicaSpecs`, `mpiReplicaSpecs`: whichever the kind has. */
function replicaSpecs(job: KubeTrainingJob): Record<string, ReplicaSpec> {
  const field = Object.keys(job.spec ?? {}).find((k) => k.endsWith('ReplicaSpecs'));
  return ((field ? job.spec?.[field] : undefined) as Record<string, ReplicaSpec> | undefined) ?? {};
}

export function trainingJobView(
  kind: string,
  job: KubeTrainingJob,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): TrainingJob {
  const name = job.metadata?.name ?? '';
  const labelsOf = new Map(pods.map((p) => [p.metadata?.name ?? '', p.metadata?.labels ?? {}]));
  const replicas = replicaViews(pods, events).map((r) => {
    const labels = labelsOf.get(r.pod) ?? {};
    return {
      ...r,
      ...(labels[REPLICA_TYPE_LABEL] ? { type: labels[REPLICA_TYPE_LABEL] } : {}),
      ...(labels[REPLICA_INDEX_LABEL] ? { index: labels[REPLICA_INDEX_LABEL] } : {}),
    };
  });
  const created = job.metadata?.creationTimestamp;
  const creator = job.metadata?.annotations?.[CREATOR_ANNOTATION];
  const gpuHours = gpuHoursOf(pods);
  return {
    kind,
    name,
    namespace: job.metadata?.namespace ?? '',
    status:
      conditionStatus(job.status?.conditions, TERMINAL) ??
      statusFromReplicas(replicas, latestWarning(events, name, undefined, [kind])),
    conditions: conditionsOut(job.status?.conditions),
    replicaTypes: Object.entries(replicaSpecs(job))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, spec]) => {
        const container = spec.template?.spec?.containers?.[0];
        return {
          type,
          replicas: spec.replicas ?? 1,
          gpus: gpuAmounts({ ...container?.resources?.limits, ...container?.resources?.requests }),
        };
      }),
    replicas,
    createdAt: created ? new Date(created).toISOString() : '',
    ...(creator ? { creator } : {}),
    ...(gpuHours !== undefined ? { gpuHours } : {}),
  };
}
