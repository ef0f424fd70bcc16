// A stored TrainJob as the list shows it: its state from Trainer's conditions first (Complete, Failed,
// Suspended), then from its nodes' pods (waiting with the upstream's words, never running while one waits),
// each node's pod with its node and state, and Trainer's progress when it reports it. Pure.
import { parseQuantity, type TrainJob } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeTrainJob } from '../../clients/ml-apps-kube.js';
import { gpuHoursOf } from './gpu-hours.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { latestWarning, podStatus } from './notebook-status.js';

type Status = TrainJob['status'];

const PLAIN = /^(cpu|memory|pods|ephemeral-storage|storage|hugepages-.*)$/;
const TERMINAL: Record<string, Status['phase']> = {
  Complete: 'succeeded',
  Failed: 'failed',
  Suspended: 'suspended',
};

type Condition = { type: string; status: string; reason?: string; message?: string };

/** The state a true condition of these types says, with its reason and message (the first type found wins). */
/** What its dataset and model initializers fetch, as stored (only URIs: env and Secrets are not shown). */
function initializerOf(job: KubeTrainJob): Pick<TrainJob, 'initializer'> {
  const dataset = job.spec?.initializer?.dataset?.storageUri;
  const model = job.spec?.initializer?.model?.storageUri;
  if (!dataset && !model) return {};
  return {
    initializer: {
      ...(dataset ? { dataset: { storageUri: dataset } } : {}),
      ...(model ? { model: { storageUri: model } } : {}),
    },
  };
}

export function conditionStatus(
  conditions: readonly Condition[] | undefined,
  terminal: Readonly<Record<string, Status['phase']>>,
): Status | undefined {
  for (const [type, phase] of Object.entries(terminal)) {
    const c = conditions?.find((x) => x.type === type && x.status === 'True');
    if (c)
      return {
        phase,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      };
  }
  return undefined;
}

/** Each pod of a job, sorted by name, with its node and state. */
export function replicaViews(pods: readonly V1Pod[], events: readonly CoreV1Event[]) {
  return [...pods]
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((pod) => ({
      pod: pod.metadata?.name ?? '',
      ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
      status: podStatus(pod, latestWarning(events, '', pod.metadata?.name, [])),
    }));
}

/** A job without a terminal condition: waiting while one pod is not running (its words), or without pods. */
export function statusFromReplicas(
  replicas: readonly { status: Status }[],
  warning: CoreV1Event | undefined,
): Status {
  const waitingReplica = replicas.find((r) => r.status.phase !== 'running');
  if (waitingReplica) return waitingReplica.status;
  if (replicas.length > 0) return { phase: 'running' };
  if (!warning) return { phase: 'waiting', reason: 'NoPod' };
  return {
    phase: 'waiting',
    ...(warning.reason ? { reason: warning.reason } : {}),
    ...(warning.message ? { message: warning.message } : {}),
  };
}

/** The accelerator amounts of a pod's requests and limits (not CPU, memory, storage). */
export function gpuAmounts(amounts: Record<string, string> | undefined) {
  return Object.entries(amounts ?? {})
    .filter(([resource]) => !PLAIN.test(resource))
    .map(([resource, value]) => ({ resource, count: parseQuantity(value) ?? 0 }));
}

/** Conditions as the API answers them. */
export const conditionsOut = (conditions: readonly Condition[] | undefined) =>
  (conditions ?? []).map((c) => ({
    type: c.type,
    status: c.status,
    ...(c.reason ? { reason: c.reason } : {}),
    ...(c.message ? { message: c.message } : {}),
  }));

export function trainJobView(
  job: KubeTrainJob,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): TrainJob {
  const name = job.metadata?.name ?? '';
  const replicas = replicaViews(pods, events);
  const status: Status =
    conditionStatus(job.status?.conditions, TERMINAL) ??
    statusFromReplicas(replicas, latestWarning(events, name, undefined, ['TrainJob', 'JobSet']));
  const trainer = job.spec?.trainer;
  const amounts = { ...trainer?.resourcesPerNode?.limits, ...trainer?.resourcesPerNode?.requests };
  const progress = job.status?.trainerStatus;
  const created = job.metadata?.creationTimestamp;
  const creator = job.metadata?.annotations?.[CREATOR_ANNOTATION];
  const gpuHours = gpuHoursOf(pods);
  return {
    name,
    namespace: job.metadata?.namespace ?? '',
    runtime: { kind: job.spec?.runtimeRef?.kind ?? '', name: job.spec?.runtimeRef?.name ?? '' },
    image: trainer?.image ?? '',
    numNodes: trainer?.numNodes ?? 1,
    gpusPerNode: gpuAmounts(amounts),
    status,
    conditions: conditionsOut(job.status?.conditions),
    ...initializerOf(job),
    ...(progress &&
    (progress.progressPercentage !== undefined || progress.estimatedRemainingSeconds !== undefined)
      ? {
          progress: {
            ...(progress.progressPercentage !== undefined ? { percentage: progress.progressPercentage } : {}),
            ...(progress.estimatedRemainingSeconds !== undefined
              ? { estimatedRemainingSeconds: progress.estimatedRemainingSeconds }
              : {}),
          },
        }
      : {}),
    replicas,
    createdAt: created ? new Date(created).toISOString() : '',
    ...(creator ? { creator } : {}),
    ...(gpuHours !== undefined ? { gpuHours } : {}),
  };
}
