// A project's scheduler queues (Kueue's LocalQueue and ClusterQueue, or a Volcano Queue) as a save writes
// them, and the rule for every delete (docs/adr/0013): only what we made is removed, anything else is kept and
// named. Also what a deleted project left behind.
import type { KubernetesObject } from '@kubernetes/client-node';
import { projectRecordName } from './holdings.js';
import { clusterQueueName, KUEUE_API_VERSION, kueueObjects, LOCAL_QUEUE_NAME } from './kueue.js';
import type { GpuQuotaKube, ObjectRef } from './kube-io.js';
import type { QuotaRow } from './model.js';
import { problem, type FieldProblem } from './problems.js';
import { madeByUs } from './resourcequota.js';
import { describeResource, type ResourceTable } from './resources.js';
import type { EnforcerChoice } from './scheduler.js';
import { VOLCANO_API_VERSION, volcanoQueue, volcanoQueueName } from './volcano.js';

/** Deletes an object only if we made it; a foreign one is kept and named in a warning. */
export async function removeIfOurs(kube: GpuQuotaKube, ref: ObjectRef): Promise<FieldProblem[]> {
  const outcome = await kube.removeOwned(ref);
  return outcome === 'foreign' ? [foreign(ref, 'GPU_QUOTA_FOREIGN_OBJECT_KEPT')] : [];
}

/** A problem naming an object someone else made. */
const foreign = (
  ref: ObjectRef,
  code: 'GPU_QUOTA_FOREIGN_OBJECT_KEPT' | 'GPU_QUOTA_FOREIGN_OBJECT_IN_THE_WAY',
): FieldProblem =>
  problem('spec.resources', code, {
    kind: ref.kind,
    name: ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name,
  });

/** A project's queues as one save writes them. */
export interface QueueWrite {
  namespace: string;
  rows: readonly QuotaRow[];
  choice: EnforcerChoice;
}

/** The project's own queue objects, by scheduler (the flavors are shared and not among them). */
const queueRefs = (namespace: string) => ({
  kueue: [
    { apiVersion: KUEUE_API_VERSION, kind: 'LocalQueue', name: LOCAL_QUEUE_NAME, namespace },
    { apiVersion: KUEUE_API_VERSION, kind: 'ClusterQueue', name: clusterQueueName(namespace) },
  ] as ObjectRef[],
  volcano: [
    { apiVersion: VOLCANO_API_VERSION, kind: 'Queue', name: volcanoQueueName(namespace) },
  ] as ObjectRef[],
});

/** Which scheduler's queues these rows are written to, if any. */
function queuedBy(table: ResourceTable, rows: readonly QuotaRow[], choice: EnforcerChoice) {
  const queued = rows.filter((r) => describeResource(r.resource, table)?.countable);
  const by = queued.length > 0 && choice.enforcer !== 'none' ? choice.enforcer : undefined;
  return { queued, by };
}

/**
 * Queue objects a save would apply that exist and are someone else's: server-side apply with force would take
 * them over, so the save is refused before anything is written (409 naming them).
 */
export async function foreignInTheWay(
  kube: GpuQuotaKube,
  table: ResourceTable,
  { namespace, rows, choice }: QueueWrite,
): Promise<FieldProblem[]> {
  const { by } = queuedBy(table, rows, choice);
  if (!by) return [];
  const found: FieldProblem[] = [];
  for (const ref of queueRefs(namespace)[by]) {
    const current = await kube.read(ref);
    if (current && !madeByUs(current)) found.push(foreign(ref, 'GPU_QUOTA_FOREIGN_OBJECT_IN_THE_WAY'));
  }
  return found;
}

/** The project's queue objects for these rows, and removal of the other scheduler's (if ours). */
export async function writeQueues(
  kube: GpuQuotaKube,
  table: ResourceTable,
  { namespace, rows, choice }: QueueWrite,
): Promise<FieldProblem[]> {
  const { queued, by } = queuedBy(table, rows, choice);
  const refs = queueRefs(namespace);
  const kept: FieldProblem[] = [];
  if (by === 'kueue') {
    const objects = kueueObjects(namespace, queued, table);
    // Flavors are shared: applying them again changes nothing; they are never deleted here.
    for (const flavor of objects.flavors) await kube.apply(flavor as KubernetesObject);
    await kube.apply(objects.clusterQueue as KubernetesObject);
    await kube.apply(objects.localQueue as KubernetesObject);
  } else if (choice.installed.includes('kueue')) {
    for (const ref of refs.kueue) kept.push(...(await removeIfOurs(kube, ref)));
  }
  if (by === 'volcano') {
    await kube.apply(volcanoQueue(namespace, queued, table) as KubernetesObject);
  } else if (choice.installed.includes('volcano')) {
    for (const ref of refs.volcano) kept.push(...(await removeIfOurs(kube, ref)));
  }
  return kept;
}

/**
 * A deleted project's leftovers: its record and cluster-scoped queues (its LocalQueue went with the
 * namespace). Only what we made is removed; shared flavors stay.
 */
export async function forgetDeletedProject(kube: GpuQuotaKube, namespace: string): Promise<void> {
  const { kueue, volcano } = queueRefs(namespace);
  const refs: ObjectRef[] = [
    { apiVersion: 'v1', kind: 'ConfigMap', name: projectRecordName(namespace), namespace: kube.ownNamespace },
    ...kueue.filter((r) => r.kind === 'ClusterQueue'),
    ...volcano,
  ];
  // Best effort: a scheduler that is not installed has no such kind, and tidying up must not block the write
  // that found the leftovers (the next write tries again).
  for (const ref of refs) await kube.removeOwned(ref).catch(() => undefined);
}
