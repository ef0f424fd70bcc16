// The few fields of Kubernetes objects the simulator reads. Structural on purpose: objects arrive both
// deserialized by @kubernetes/client-node (timestamps as Date) from list calls and as raw JSON (timestamps
// as strings) from watch events, and tests build them as plain literals.

export type Timestamp = string | Date | undefined | null;

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: Timestamp;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; controller?: boolean }[];
}

export interface NodeLike {
  metadata?: ObjectMeta;
  status?: { capacity?: Record<string, string>; allocatable?: Record<string, string> };
}

export interface ContainerLike {
  name: string;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

export interface PodLike {
  metadata?: ObjectMeta;
  spec?: {
    nodeName?: string;
    containers?: ContainerLike[];
    priorityClassName?: string;
    hostNetwork?: boolean;
  };
  status?: {
    phase?: string;
    startTime?: Timestamp;
    hostIP?: string;
    podIP?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatusLike[];
  };
}

/** A container's state as the kubelet (here: KWOK's stages) reports it; exactly one key is set. */
export interface ContainerStateLike {
  waiting?: { reason?: string };
  running?: { startedAt?: Timestamp };
  terminated?: { reason?: string; exitCode?: number };
}

export interface ContainerStatusLike {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerStateLike;
  lastState?: ContainerStateLike;
}

export interface NamespaceLike {
  metadata?: ObjectMeta;
}

/** Milliseconds since the epoch, or undefined when the timestamp is absent or unparsable. */
export function toMillis(ts: Timestamp): number | undefined {
  if (ts === undefined || ts === null) return undefined;
  const ms = ts instanceof Date ? ts.getTime() : Date.parse(ts);
  return Number.isNaN(ms) ? undefined : ms;
}

/** When the pod's workload started: status.startTime (set by the kubelet / KWOK), else creation. */
export function podStartMillis(pod: PodLike): number | undefined {
  return toMillis(pod.status?.startTime) ?? toMillis(pod.metadata?.creationTimestamp);
}

export function podKey(pod: PodLike): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}
