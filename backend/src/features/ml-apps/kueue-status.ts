// A job Kueue manages waits in its queue until Kueue admits its Workload; Kueue keeps the job suspended meanwhile,
// so "suspended" would hide why. The Workload owned by the job says it in its conditions: QuotaReserved=False
// (Pending, with "couldn't assign flavors … insufficient quota …") or Admitted=False, verbatim. Pure.
import type { Static } from '@sinclair/typebox';
import type { KueueQueue, TrainJobStatus } from '@ks-gpu-ml/contracts';
import type { KubeWorkload } from '../../clients/ml-apps-kube.js';

type Status = Static<typeof TrainJobStatus>;
type Queue = Static<typeof KueueQueue>;

/** The Workload a job owns (Kueue's ownerReference to the job, by kind and name). */
export function workloadOf(
  workloads: readonly KubeWorkload[],
  kind: string,
  name: string,
): KubeWorkload | undefined {
  return workloads.find((w) =>
    (w.metadata?.ownerReferences ?? []).some((o) => o.kind === kind && o.name === name),
  );
}

const isTrue = (w: KubeWorkload, type: string) =>
  (w.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/**
 * The queue of the job's Workload and, while Kueue has not admitted it, the waiting status in Kueue's words (the
 * latest False condition of QuotaReserved or Admitted; `Pending` with no message when Kueue has said nothing yet).
 */
export function kueueView(
  workloads: readonly KubeWorkload[],
  kind: string,
  name: string,
): { queue: Queue; waiting?: Status } | undefined {
  const workload = workloadOf(workloads, kind, name);
  if (!workload) return undefined;
  const admitted = isTrue(workload, 'Admitted');
  const queue = {
    name: workload.spec?.queueName ?? '',
    workload: workload.metadata?.name ?? '',
    admitted,
  };
  if (admitted || isTrue(workload, 'Finished')) return { queue };
  const why = ['QuotaReserved', 'Admitted']
    .map((type) => workload.status?.conditions?.find((c) => c.type === type && c.status === 'False'))
    .find((c) => c !== undefined);
  return {
    queue,
    waiting: {
      phase: 'waiting',
      reason: why?.reason ?? 'Pending',
      ...(why?.message ? { message: why.message } : {}),
    },
  };
}
