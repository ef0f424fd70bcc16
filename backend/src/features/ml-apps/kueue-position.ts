// A pending job's place in Kueue's queues (issue 16): Workload status does not carry it; Kueue's visibility API
// does (`GET /apis/visibility.kueue.x-k8s.io/v1beta2/namespaces/{ns}/localqueues/{lq}/pendingworkloads`, items with
// positionInLocalQueue / positionInClusterQueue, 0-based). It is an aggregated API served by the Kueue manager
// (VisibilityOnDemand, on by default since Kueue 0.9): where it is not served, or fails, the job's queue says so
// instead of a position, and the list itself never fails for it.
import type { KubeWorkload, MlAppsKube, PendingWorkload } from '../../clients/ml-apps-kube.js';

export const VISIBILITY_GROUP = 'visibility.kueue.x-k8s.io';
/** Newest first: v1beta2 from Kueue 0.15, v1beta1 from 0.9. */
export const VISIBILITY_VERSIONS = ['v1beta2', 'v1beta1'] as const;
/** Kueue's own default page; a workload further back is `not-listed`. */
export const PENDING_LIMIT = 1000;

export type PositionUnavailable = 'not-served' | 'unreachable' | 'not-listed';

export interface QueuePositions {
  /** Workload name → its positions (0-based), for the pending Workloads Kueue listed. */
  byWorkload: Map<string, { inLocalQueue: number; inClusterQueue: number }>;
  /** Why pending Workloads have no position, when the whole API is missing or failing. */
  unavailable?: PositionUnavailable;
  /** Queues whose listing failed (their Workloads are `unreachable`). */
  failedQueues: Set<string>;
}

const isTrue = (w: KubeWorkload, type: string) =>
  (w.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** Pending: neither admitted nor finished; only those have a place in a queue. */
export const isPending = (w: KubeWorkload) => !isTrue(w, 'Admitted') && !isTrue(w, 'Finished');

/** The positions of Kueue's pending entries, by Workload name. Pure. */
export function positionsOf(items: readonly PendingWorkload[]): QueuePositions['byWorkload'] {
  const out: QueuePositions['byWorkload'] = new Map();
  for (const item of items) {
    const name = item.metadata?.name;
    if (!name || item.positionInLocalQueue === undefined) continue;
    out.set(name, {
      inLocalQueue: item.positionInLocalQueue,
      inClusterQueue: item.positionInClusterQueue ?? item.positionInLocalQueue,
    });
  }
  return out;
}

/** The positions of the namespace's pending Workloads: one visibility call per LocalQueue they wait in. */
export async function queuePositions(
  kube: Pick<MlAppsKube, 'servedResources' | 'pendingWorkloads'>,
  namespace: string,
  workloads: readonly KubeWorkload[],
): Promise<QueuePositions> {
  const positions: QueuePositions = { byWorkload: new Map(), failedQueues: new Set() };
  const queues = [...new Set(workloads.filter(isPending).map((w) => w.spec?.queueName ?? ''))].filter(
    Boolean,
  );
  if (queues.length === 0) return positions;
  let version: string | undefined;
  try {
    for (const v of VISIBILITY_VERSIONS) {
      const served = await kube.servedResources(VISIBILITY_GROUP, v);
      if (served?.has('localqueues/pendingworkloads')) {
        version = v;
        break;
      }
    }
  } catch {
    return { ...positions, unavailable: 'unreachable' };
  }
  if (!version) return { ...positions, unavailable: 'not-served' };
  await Promise.all(
    queues.map(async (queue) => {
      try {
        const items = await kube.pendingWorkloads(namespace, queue, version, PENDING_LIMIT);
        for (const [name, p] of positionsOf(items)) positions.byWorkload.set(name, p);
      } catch {
        positions.failedQueues.add(queue);
      }
    }),
  );
  return positions;
}

/** What a pending Workload's queue shows: its position, or why there is none. Pure. */
export function positionOf(
  positions: QueuePositions,
  workload: KubeWorkload,
):
  | { position: { inLocalQueue: number; inClusterQueue: number } }
  | { positionUnavailable: PositionUnavailable }
  | Record<string, never> {
  if (!isPending(workload)) return {};
  if (positions.unavailable) return { positionUnavailable: positions.unavailable };
  if (positions.failedQueues.has(workload.spec?.queueName ?? ''))
    return { positionUnavailable: 'unreachable' };
  const found = positions.byWorkload.get(workload.metadata?.name ?? '');
  return found ? { position: found } : { positionUnavailable: 'not-listed' };
}
