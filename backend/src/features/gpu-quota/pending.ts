// Blocked GPU work and why, in the words of the component that blocked it:
// - quota:    a controller (ReplicaSet, Job, …) cannot create pods because admission refused them
//             ("exceeded quota: …", FailedCreate events; the pods never exist);
// - capacity: a pod exists but no node fits it (PodScheduled=False, Unschedulable, scheduler's message);
// - queue:    a pod waits behind a scheduling gate (Kueue holds pods until their workload is admitted).
// Messages are kept verbatim; the parsed quota figures are extra, for the usage bar.
import type { CoreV1Event } from '@kubernetes/client-node';
import type { PodView } from '../../clients/kube-projections.js';
import { parseQuantity } from './quantity.js';
import { gpuResourceOfQuotaKey } from './resourcequota.js';
import { KNOWN_GPU_RESOURCES, type ResourceTable } from './resources.js';
import { podGpuRequests } from './usage.js';

export type BlockedReason = 'quota' | 'capacity' | 'queue';

export interface ExceededQuota {
  /** The ResourceQuota that refused. */
  quota: string;
  /** Quota keys (requests.nvidia.com/gpu) → amounts, as the apiserver printed them. */
  requested: Record<string, number>;
  used: Record<string, number>;
  limited: Record<string, number>;
}

export interface BlockedWork {
  reason: BlockedReason;
  namespace: string;
  /** The pod, or for quota the controller that could not create its pods. */
  object: { kind: string; name: string };
  /** GPU resources the blocked work asks for (resource names, HAMi amounts per pod total). */
  requests: Record<string, number>;
  /** Verbatim text from the apiserver or scheduler. */
  message: string;
  quota?: ExceededQuota;
  /** When it was last seen blocked (ISO 8601), when known. */
  lastSeen?: string;
  /** How often the controller retried (event count). */
  count?: number;
}

// kube-apiserver's quota admission: fmt "exceeded quota: %s, requested: %s, used: %s, limited: %s", each list
// printed as sorted "key=value" joined with "," (no spaces), so the groups split cleanly.
const EXCEEDED = /exceeded quota: ([^,\s]+), requested: (\S*), used: (\S*), limited: (\S*)/;

function parseList(list: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of list.split(',')) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    const value = parseQuantity(item.slice(eq + 1));
    if (value !== undefined) out[item.slice(0, eq)] = value;
  }
  return out;
}

/** The figures of an "exceeded quota" message (from an event, or a 403 body), or undefined. */
export function parseExceededQuota(message: string): ExceededQuota | undefined {
  const m = EXCEEDED.exec(message);
  if (!m) return undefined;
  return { quota: m[1]!, requested: parseList(m[2]!), used: parseList(m[3]!), limited: parseList(m[4]!) };
}

const toIso = (value: Date | string | undefined | null): string | undefined =>
  value === undefined || value === null
    ? undefined
    : value instanceof Date
      ? value.toISOString()
      : String(value);

function eventTime(event: CoreV1Event): string | undefined {
  return toIso(
    event.lastTimestamp ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp,
  );
}

/** GPU amounts among the requested quota keys. */
function gpuRequested(quota: ExceededQuota, table: ResourceTable): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(quota.requested)) {
    const resource = gpuResourceOfQuotaKey(key, table);
    if (resource) out[resource] = (out[resource] ?? 0) + value;
  }
  return out;
}

/** Controllers blocked by GPU quota, from FailedCreate events; the newest event per controller. */
export function quotaBlocked(
  events: Iterable<CoreV1Event>,
  options: { table?: ResourceTable; since?: Date } = {},
): BlockedWork[] {
  const table = options.table ?? KNOWN_GPU_RESOURCES;
  const since = options.since?.toISOString();
  const newest = new Map<string, BlockedWork>();
  for (const event of events) {
    if (event.reason !== 'FailedCreate' || !event.message) continue;
    const quota = parseExceededQuota(event.message);
    if (!quota) continue;
    const requests = gpuRequested(quota, table);
    // Refused for CPU or memory only: not GPU work blocked by GPU quota.
    if (Object.keys(requests).length === 0) continue;
    const lastSeen = eventTime(event);
    if (since && lastSeen && lastSeen < since) continue;
    const namespace = event.involvedObject.namespace ?? event.metadata?.namespace ?? '';
    const object = { kind: event.involvedObject.kind ?? '', name: event.involvedObject.name ?? '' };
    const key = `${namespace}/${object.kind}/${object.name}`;
    const seen = newest.get(key);
    if (seen && (seen.lastSeen ?? '') >= (lastSeen ?? '')) continue;
    newest.set(key, {
      reason: 'quota',
      namespace,
      object,
      requests,
      message: event.message,
      quota,
      ...(lastSeen ? { lastSeen } : {}),
      ...(event.count !== undefined ? { count: event.count } : {}),
    });
  }
  return [...newest.values()];
}

/** Pods asking for GPUs that are not scheduled, with the scheduler's (or the gate's) reason. */
export function podsBlocked(
  pods: Iterable<PodView>,
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): BlockedWork[] {
  const blocked: BlockedWork[] = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName || pod.status?.phase !== 'Pending') continue;
    const condition = pod.status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (!condition) continue;
    const reason: BlockedReason | undefined =
      condition.reason === 'Unschedulable'
        ? 'capacity'
        : condition.reason === 'SchedulingGated'
          ? 'queue'
          : undefined;
    if (!reason) continue;
    const requests = Object.fromEntries(podGpuRequests(pod, table));
    if (Object.keys(requests).length === 0) continue;
    const gates = pod.spec?.schedulingGates?.map((g) => g.name).join(', ');
    const lastSeen = toIso(condition.lastTransitionTime);
    blocked.push({
      reason,
      namespace: pod.metadata?.namespace ?? '',
      object: { kind: 'Pod', name: pod.metadata?.name ?? '' },
      requests,
      // A gated pod's condition has no message of its own; the gate names who holds it.
      message:
        condition.message ?? (gates ? `waiting for scheduling gates: ${gates}` : (condition.reason ?? '')),
      ...(lastSeen ? { lastSeen } : {}),
    });
  }
  return blocked;
}

/** Everything blocked, quota first, then by namespace and name. */
export function blockedWork(
  pods: Iterable<PodView>,
  events: Iterable<CoreV1Event>,
  options: { table?: ResourceTable; since?: Date } = {},
): BlockedWork[] {
  const order: Record<BlockedReason, number> = { quota: 0, queue: 1, capacity: 2 };
  return [...quotaBlocked(events, options), ...podsBlocked(pods, options.table)].sort(
    (a, b) =>
      order[a.reason] - order[b.reason] ||
      (a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0) ||
      (a.object.name < b.object.name ? -1 : a.object.name > b.object.name ? 1 : 0),
  );
}

/** namespace → resource → amount asked by blocked work (for the cluster view's "pending" column). */
export function pendingByNamespace(blocked: Iterable<BlockedWork>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const work of blocked) {
    let perResource = out.get(work.namespace);
    if (!perResource) out.set(work.namespace, (perResource = new Map()));
    for (const [resource, amount] of Object.entries(work.requests)) {
      perResource.set(resource, (perResource.get(resource) ?? 0) + amount);
    }
  }
  return out;
}
