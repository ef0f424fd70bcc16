// A stored TrainJob as the list shows it: its state from Trainer's conditions first (Complete, Failed,
// Suspended), then from its nodes' pods (waiting with the upstream's words, never running while one waits),
// each node's pod with its node and state, and Trainer's progress when it reports it. Pure.
import { parseQuantity, type TrainJob } from '@ks-gpu-ml/contracts';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { KubeTrainJob } from '../../clients/ml-apps-kube.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import { latestWarning, podStatus } from './notebook-status.js';

type Status = TrainJob['status'];

const PLAIN = /^(cpu|memory|pods|ephemeral-storage|storage|hugepages-.*)$/;
const TERMINAL: Record<string, Status['phase']> = {
  Complete: 'succeeded',
  Failed: 'failed',
  Suspended: 'suspended',
};

function conditionStatus(job: KubeTrainJob): Status | undefined {
  for (const [type, phase] of Object.entries(TERMINAL)) {
    const c = job.status?.conditions?.find((x) => x.type === type && x.status === 'True');
    if (c)
      return {
        phase,
        ...(c.reason ? { reason: c.reason } : {}),
        ...(c.message ? { message: c.message } : {}),
      };
  }
  return undefined;
}

export function trainJobView(
  job: KubeTrainJob,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): TrainJob {
  const name = job.metadata?.name ?? '';
  const replicas = [...pods]
    .sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))
    .map((pod) => ({
      pod: pod.metadata?.name ?? '',
      ...(pod.spec?.nodeName ? { node: pod.spec.nodeName } : {}),
      status: podStatus(pod, latestWarning(events, '', pod.metadata?.name, [])),
    }));
  const waitingReplica = replicas.find((r) => r.status.phase !== 'running');
  const warning = latestWarning(events, name, undefined, ['TrainJob', 'JobSet']);
  const status: Status =
    conditionStatus(job) ??
    waitingReplica?.status ??
    (replicas.length > 0
      ? { phase: 'running' }
      : warning
        ? {
            phase: 'waiting',
            ...(warning.reason ? { reason: warning.reason } : {}),
            ...(warning.message ? { message: warning.message } : {}),
          }
        : { phase: 'waiting', reason: 'NoPod' });
  const trainer = job.spec?.trainer;
  const amounts = { ...trainer?.resourcesPerNode?.limits, ...trainer?.resourcesPerNode?.requests };
  const progress = job.status?.trainerStatus;
  const created = job.metadata?.creationTimestamp;
  const creator = job.metadata?.annotations?.[CREATOR_ANNOTATION];
  return {
    name,
    namespace: job.metadata?.namespace ?? '',
    runtime: { kind: job.spec?.runtimeRef?.kind ?? '', name: job.spec?.runtimeRef?.name ?? '' },
    image: trainer?.image ?? '',
    numNodes: trainer?.numNodes ?? 1,
    gpusPerNode: Object.entries(amounts)
      .filter(([resource]) => !PLAIN.test(resource))
      .map(([resource, value]) => ({ resource, count: parseQuantity(value) ?? 0 })),
    status,
    conditions: (job.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
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
  };
}
