// What the watch caches keep of each kind: a projection applied to every object as it arrives (list and watch),
// before it is stored. client-node's objects carry managedFields, every annotation and whole pod specs; at 5,000
// namespaces those copies were most of gpu-quota's memory (docs/adr/0030). Each view names only the fields its
// readers use, so a reader that wants a dropped field fails to compile: add the field here, with its reader.
//
// Objects from the watch are plain JSON, not client-node's classes, so times may arrive as strings or Dates.
import type { KubernetesObject } from '@kubernetes/client-node';

type Strings = Readonly<Record<string, string>>;

/** What the cache needs to key and compare objects (name, namespace, resourceVersion), and nothing else. */
export interface ObjectKey {
  readonly name?: string;
  readonly namespace?: string;
  readonly resourceVersion?: string;
}

const keyOf = (object: KubernetesObject): ObjectKey => {
  const { name, namespace, resourceVersion } = object.metadata ?? {};
  return {
    ...(name !== undefined ? { name } : {}),
    ...(namespace !== undefined ? { namespace } : {}),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
  };
};

/** Only the listed keys of a map (labels, annotations), or undefined when none is set. */
function only(map: Strings | undefined, keys: readonly string[]): Strings | undefined {
  if (!map) return undefined;
  const kept: Record<string, string> = {};
  for (const key of keys) if (map[key] !== undefined) kept[key] = map[key];
  return Object.keys(kept).length ? kept : undefined;
}

/**
 * Extended resources only: Kubernetes requires them to be domain-qualified (`nvidia.com/gpu`), so a name without
 * a `/` (cpu, memory, ephemeral-storage, hugepages-…) is never a GPU resource.
 */
function extendedOnly(amounts: Strings | undefined): Strings | undefined {
  if (!amounts) return undefined;
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(amounts)) if (name.includes('/')) kept[name] = String(value);
  return Object.keys(kept).length ? kept : undefined;
}

const defined = <T extends object>(object: T): T =>
  Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;

// ——— namespaces: the workspace membership map ———

export interface NamespaceView extends KubernetesObject {
  readonly metadata?: ObjectKey & { readonly labels?: Strings };
}

/** A namespace as membership reads it: its name and only the labels named (the workspace label). */
export const slimNamespace =
  (labels: readonly string[]) =>
  (ns: KubernetesObject): NamespaceView => ({
    metadata: defined({ ...keyOf(ns), labels: only(ns.metadata?.labels, labels) }),
  });

// ——— nodes: the GPU catalogue and the node → model map ———

export interface NodeConditionView {
  readonly type: string;
  readonly status: string;
}

export interface NodeView extends KubernetesObject {
  readonly metadata?: ObjectKey & { readonly labels?: Strings };
  readonly spec?: { readonly unschedulable?: boolean };
  readonly status?: {
    readonly capacity?: Strings;
    readonly allocatable?: Strings;
    /** Only the Ready condition. */
    readonly conditions?: readonly NodeConditionView[];
  };
}

interface FullNode extends KubernetesObject {
  spec?: { unschedulable?: boolean };
  status?: { capacity?: Strings; allocatable?: Strings; conditions?: { type: string; status: string }[] };
}

/**
 * A node as the catalogue reads it. Labels are kept whole (device model, MIG strategy and GPU count labels are
 * configurable per resource table; nodes are few), extended resources only, and the Ready condition.
 */
export function slimNode(node: FullNode): NodeView {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  const status = defined({
    capacity: extendedOnly(node.status?.capacity),
    allocatable: extendedOnly(node.status?.allocatable),
    conditions: ready ? [{ type: ready.type, status: ready.status }] : undefined,
  });
  return defined({
    metadata: defined({ ...keyOf(node), labels: node.metadata?.labels }),
    spec: node.spec?.unschedulable ? { unschedulable: true } : undefined,
    status,
  });
}

// ——— pods: GPU use and work blocked ———

export interface ContainerView {
  readonly resources?: { readonly requests?: Strings; readonly limits?: Strings };
  /** `Always` makes an init container a sidecar (its requests add up). */
  readonly restartPolicy?: string;
}

export interface PodConditionView {
  readonly type: string;
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: Date | string;
}

export interface PodView extends KubernetesObject {
  readonly metadata?: ObjectKey;
  readonly spec?: {
    readonly nodeName?: string;
    /** Only containers asking for an extended resource, with only those amounts. */
    readonly containers?: readonly ContainerView[];
    readonly initContainers?: readonly ContainerView[];
    readonly schedulingGates?: readonly { readonly name: string }[];
  };
  readonly status?: {
    readonly phase?: string;
    /** Only the PodScheduled condition, when it says False (why the pod waits). */
    readonly conditions?: readonly PodConditionView[];
  };
}

interface FullContainer {
  resources?: { requests?: Strings; limits?: Strings };
  restartPolicy?: string;
}

interface FullPod extends KubernetesObject {
  spec?: {
    nodeName?: string;
    containers?: FullContainer[];
    initContainers?: FullContainer[];
    schedulingGates?: { name: string }[];
  };
  status?: { phase?: string; conditions?: PodConditionView[] };
}

function slimContainers(containers: FullContainer[] | undefined): ContainerView[] | undefined {
  const kept: ContainerView[] = [];
  for (const c of containers ?? []) {
    const requests = extendedOnly(c.resources?.requests);
    const limits = extendedOnly(c.resources?.limits);
    if (!requests && !limits) continue;
    kept.push(defined({ resources: defined({ requests, limits }), restartPolicy: c.restartPolicy }));
  }
  return kept.length ? kept : undefined;
}

/** A pod as the usage and blocked-work readers see it. */
export function slimPod(pod: FullPod): PodView {
  const waiting = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const gates = pod.spec?.schedulingGates?.map((g) => ({ name: g.name }));
  const spec = defined({
    nodeName: pod.spec?.nodeName,
    containers: slimContainers(pod.spec?.containers),
    initContainers: slimContainers(pod.spec?.initContainers),
    schedulingGates: gates?.length ? gates : undefined,
  });
  const condition = waiting
    ? defined({
        type: waiting.type,
        status: waiting.status,
        reason: waiting.reason,
        message: waiting.message,
        lastTransitionTime: waiting.lastTransitionTime,
      })
    : undefined;
  return {
    metadata: keyOf(pod),
    spec,
    status: defined({ phase: pod.status?.phase, conditions: condition ? [condition] : undefined }),
  };
}

// ——— ResourceQuotas (ours) and ConfigMaps (our records) ———

export interface QuotaView extends KubernetesObject {
  readonly metadata?: ObjectKey & { readonly annotations?: Strings };
  readonly spec?: { readonly hard?: Strings };
  readonly status?: { readonly used?: Strings };
}

interface FullQuota extends KubernetesObject {
  spec?: { hard?: Strings };
  status?: { used?: Strings };
}

/** One of our ResourceQuotas: its limits, its use and only the annotations named (what we recorded). */
export const slimQuota =
  (annotations: readonly string[]) =>
  (quota: FullQuota): QuotaView =>
    defined({
      metadata: defined({ ...keyOf(quota), annotations: only(quota.metadata?.annotations, annotations) }),
      spec: quota.spec?.hard ? { hard: quota.spec.hard } : undefined,
      status: quota.status?.used ? { used: quota.status.used } : undefined,
    });

export interface RecordView extends KubernetesObject {
  readonly metadata?: ObjectKey & { readonly labels?: Strings };
  readonly data?: Strings;
}

/** One of our records: its labels (which project) and data (what it holds), without managedFields. */
export const slimRecord = (cm: KubernetesObject & { data?: Strings }): RecordView =>
  defined({
    metadata: defined({ ...keyOf(cm), labels: cm.metadata?.labels }),
    data: cm.data,
  });
