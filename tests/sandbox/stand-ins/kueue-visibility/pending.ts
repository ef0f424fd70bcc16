// What Kueue's visibility API answers for a queue's pending Workloads (`PendingWorkloadsSummary`,
// visibility.kueue.x-k8s.io v1beta2, apis/visibility/v1beta2/types.go): the Workloads without quota reserved yet,
// in the order Kueue's ClusterQueue queue pops them - higher priority first, then the older (creation time) - with
// each one's 0-based position in its ClusterQueue and in its LocalQueue, then paged by offset and limit.
// A LocalQueue's Workloads queue in the ClusterQueue its spec names. Pure.

export interface WorkloadLike {
  metadata?: {
    name?: string;
    namespace?: string;
    creationTimestamp?: string | Date;
    ownerReferences?: unknown[];
  };
  spec?: { queueName?: string; priority?: number };
  status?: { conditions?: { type: string; status: string }[] };
}

export interface LocalQueueLike {
  metadata?: { name?: string; namespace?: string };
  spec?: { clusterQueue?: string };
}

export interface PendingWorkload {
  metadata: { name: string; namespace: string; creationTimestamp?: string; ownerReferences?: unknown[] };
  priority: number;
  localQueueName: string;
  positionInClusterQueue: number;
  positionInLocalQueue: number;
}

export const VISIBILITY_GROUP = 'visibility.kueue.x-k8s.io';
export const VISIBILITY_VERSION = 'v1beta2';
/** Kueue's default page (apis/visibility/v1beta2: `limit` defaults to 1000). */
export const DEFAULT_LIMIT = 1000;

const holds = (w: WorkloadLike, type: string) =>
  (w.status?.conditions ?? []).some((c) => c.type === type && c.status === 'True');

/** Pending in Kueue's queue: no quota reserved yet, not finished. */
const isPending = (w: WorkloadLike) =>
  !holds(w, 'QuotaReserved') && !holds(w, 'Admitted') && !holds(w, 'Finished');

const created = (w: WorkloadLike) => new Date(w.metadata?.creationTimestamp ?? 0).getTime();

/** Kueue's queue order: priority (higher first), then creation time, then name for a stable order. */
function byQueueOrder(a: WorkloadLike, b: WorkloadLike): number {
  return (
    (b.spec?.priority ?? 0) - (a.spec?.priority ?? 0) ||
    created(a) - created(b) ||
    (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')
  );
}

/** The ClusterQueue a namespace's LocalQueue feeds, if that LocalQueue exists. */
function clusterQueueOf(
  queues: readonly LocalQueueLike[],
  namespace: string,
  name: string,
): string | undefined {
  return queues.find((q) => q.metadata?.namespace === namespace && q.metadata?.name === name)?.spec
    ?.clusterQueue;
}

/** Every pending Workload of a ClusterQueue, in order, with both positions. */
export function clusterQueuePending(
  clusterQueue: string,
  workloads: readonly WorkloadLike[],
  queues: readonly LocalQueueLike[],
): PendingWorkload[] {
  const inQueue = workloads
    .filter(isPending)
    .filter((w) => {
      const lq = w.spec?.queueName;
      return lq !== undefined && clusterQueueOf(queues, w.metadata?.namespace ?? '', lq) === clusterQueue;
    })
    .sort(byQueueOrder);
  const perLocalQueue = new Map<string, number>();
  return inQueue.map((w, positionInClusterQueue) => {
    const key = `${w.metadata?.namespace}/${w.spec?.queueName}`;
    const positionInLocalQueue = perLocalQueue.get(key) ?? 0;
    perLocalQueue.set(key, positionInLocalQueue + 1);
    const ts = w.metadata?.creationTimestamp;
    return {
      metadata: {
        name: w.metadata?.name ?? '',
        namespace: w.metadata?.namespace ?? '',
        ...(ts ? { creationTimestamp: new Date(ts).toISOString() } : {}),
        ...(w.metadata?.ownerReferences ? { ownerReferences: w.metadata.ownerReferences } : {}),
      },
      priority: w.spec?.priority ?? 0,
      localQueueName: w.spec?.queueName ?? '',
      positionInClusterQueue,
      positionInLocalQueue,
    };
  });
}

/** A LocalQueue's pending Workloads (their positions counted in its ClusterQueue too); empty for an unknown queue. */
export function localQueuePending(
  namespace: string,
  localQueue: string,
  workloads: readonly WorkloadLike[],
  queues: readonly LocalQueueLike[],
): PendingWorkload[] {
  const clusterQueue = clusterQueueOf(queues, namespace, localQueue);
  if (clusterQueue === undefined) return [];
  return clusterQueuePending(clusterQueue, workloads, queues).filter(
    (p) => p.metadata.namespace === namespace && p.localQueueName === localQueue,
  );
}

/** The PendingWorkloadsSummary of one page. */
export function summary(items: readonly PendingWorkload[], offset = 0, limit = DEFAULT_LIMIT) {
  return {
    kind: 'PendingWorkloadsSummary',
    apiVersion: `${VISIBILITY_GROUP}/${VISIBILITY_VERSION}`,
    metadata: { creationTimestamp: null },
    items: items.slice(offset, offset + limit),
  };
}
