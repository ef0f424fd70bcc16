// The cluster view's projects, from the watch caches' snapshot: the rows each project holds (the record, or
// more where its ResourceQuota says more, so Σbase here is what the save checks count), its use and pending
// work. Pure, so the view costs one pass over what the caches already hold.
import type { QuotaView } from '../../clients/kube-projections.js';
import type { ProjectState } from './cluster-view.js';
import { allHoldings, decodeRecords } from './holdings.js';
import type { ClusterSnapshot } from './kube-io.js';
import { pendingByNamespace, podsBlocked } from './pending.js';
import { GPU_QUOTA_OBJECT_NAME, readProjectQuota, type ProjectQuotaRead } from './resourcequota.js';
import type { ResourceTable } from './resources.js';
import { mergeUsage, modelOfNode, usageFromPods } from './usage.js';

/** Every project that holds a quota, sorted by namespace. */
export function clusterProjects(snapshot: ClusterSnapshot, table: ResourceTable): ProjectState[] {
  const usage = usageFromPods(snapshot.pods, modelOfNode(snapshot.nodes), table);
  const pending = pendingByNamespace(podsBlocked(snapshot.pods, table));
  const quotaOf = new Map<string, QuotaView>();
  for (const q of snapshot.quotas)
    if (q.metadata?.name === GPU_QUOTA_OBJECT_NAME && q.metadata.namespace)
      quotaOf.set(q.metadata.namespace, q);
  const read = (quota: QuotaView) => cachedRead(quota, table);
  const holdings = allHoldings(decodeRecords(snapshot.records), [...quotaOf.values()], table, read);
  return [...holdings.keys()].sort().map((namespace) => {
    const quota = quotaOf.get(namespace);
    const workspace = snapshot.workspaceOf.get(namespace);
    const projectPending = pending.get(namespace);
    return {
      namespace,
      ...(workspace ? { workspace } : {}),
      rows: holdings.get(namespace)!.rows,
      used: mergeUsage(quota ? read(quota).used : new Map(), usage.get(namespace)),
      ...(projectPending ? { pending: projectPending } : {}),
    };
  });
}

/**
 * The informer hands out the same object until it changes: each annotation is parsed once. Keyed by the object
 * (weakly, so a replaced object's entry goes with it); one table per process, so the table is not part of the key.
 */
const readCache = new WeakMap<QuotaView, ProjectQuotaRead>();

function cachedRead(quota: QuotaView, table: ResourceTable): ProjectQuotaRead {
  let read = readCache.get(quota);
  if (!read) readCache.set(quota, (read = readProjectQuota(quota, table)));
  return read;
}
