// Which pod holds which simulated device. The device plugin hands devices out once, when the container
// starts, and they stay put until the pod ends; this mirrors that: a pod is given free slots the first
// time it is seen Running (new pods in creationTimestamp, then namespace/name order) and keeps them until
// it is deleted or stops running.
import { podKey, podStartMillis, toMillis, type PodLike } from './k8s-types.js';
import type { DeviceSlot, NodeGpus } from './node-devices.js';
import { podLoad, type PodLoad } from './profiles.js';
import { quantityValue } from './quantity.js';

export interface Holder {
  uid: string;
  namespace: string;
  pod: string;
  container: string;
  startMs: number;
  load: PodLoad;
}

interface Allocation {
  node: string;
  slotKeys: string[];
}

/** Per container, the device resources it asks for (requests, else limits, as the apiserver defaults). */
export function containerDeviceRequests(
  pod: PodLike,
  slotsResources: Set<string>,
): [string, string, number][] {
  const out: [container: string, resource: string, count: number][] = [];
  for (const c of pod.spec?.containers ?? []) {
    const asked = { ...c.resources?.limits, ...c.resources?.requests };
    for (const resource of Object.keys(asked).sort()) {
      if (!slotsResources.has(resource)) continue;
      const count = quantityValue(asked[resource]!);
      if (count > 0) out.push([c.name, resource, count]);
    }
  }
  return out;
}

export function holdsDevicesCandidate(pod: PodLike): boolean {
  return Boolean(pod.spec?.nodeName) && pod.status?.phase === 'Running';
}

export class GpuAssigner {
  /** node -> slot key -> pods holding it (more than one only on shared nodes). */
  private readonly bySlot = new Map<string, Map<string, Holder[]>>();
  private readonly byPod = new Map<string, Allocation>();

  /** Brings allocations in line with the current nodes and pods. */
  sync(nodes: readonly NodeGpus[], pods: readonly PodLike[]): void {
    const nodeByName = new Map(nodes.map((n) => [n.node, n]));
    const running = new Map<string, PodLike>();
    for (const pod of pods) if (holdsDevicesCandidate(pod)) running.set(podId(pod), pod);

    for (const [id, alloc] of this.byPod) {
      const pod = running.get(id);
      const node = nodeByName.get(alloc.node);
      const stillValid =
        pod && node && pod.spec?.nodeName === alloc.node && alloc.slotKeys.every((k) => hasSlot(node, k));
      if (!stillValid) this.release(id);
    }

    const fresh = [...running.entries()].filter(([id]) => !this.byPod.has(id)).sort(byCreation);
    for (const [id, pod] of fresh) {
      const node = nodeByName.get(pod.spec!.nodeName!);
      if (node) this.allocate(id, pod, node);
    }
    // Annotations can change while a pod runs; the load always follows the current ones.
    for (const holders of this.allHolders()) {
      for (const h of holders) {
        const pod = running.get(h.uid);
        if (pod) h.load = podLoad(pod);
      }
    }
  }

  /** The pods holding a slot, oldest allocation first. */
  holders(node: string, slotKey: string): readonly Holder[] {
    return this.bySlot.get(node)?.get(slotKey) ?? [];
  }

  /** The slot keys a pod holds on its node (for tests and the debug endpoint). */
  slotsOf(pod: PodLike): readonly string[] {
    return this.byPod.get(podId(pod))?.slotKeys ?? [];
  }

  private allocate(id: string, pod: PodLike, node: NodeGpus): void {
    const resources = new Set(node.slots.map((s) => s.resource));
    const requests = containerDeviceRequests(pod, resources);
    if (requests.length === 0) return;
    const slotsOfNode = this.slotMap(node.node);
    const taken: string[] = [];
    for (const [container, resource, count] of requests) {
      const candidates = node.slots.filter((s) => s.resource === resource && !taken.includes(s.key));
      const chosen = node.shared
        ? leastShared(candidates, slotsOfNode).slice(0, count)
        : candidates.filter((s) => (slotsOfNode.get(s.key)?.length ?? 0) === 0).slice(0, count);
      for (const slot of chosen) {
        const holder: Holder = {
          uid: id,
          namespace: pod.metadata?.namespace ?? '',
          pod: pod.metadata?.name ?? '',
          container,
          startMs: podStartMillis(pod) ?? Date.now(),
          load: podLoad(pod),
        };
        slotsOfNode.set(slot.key, [...(slotsOfNode.get(slot.key) ?? []), holder]);
        taken.push(slot.key);
      }
    }
    this.byPod.set(id, { node: node.node, slotKeys: taken });
  }

  private release(id: string): void {
    const alloc = this.byPod.get(id);
    if (!alloc) return;
    const slotsOfNode = this.slotMap(alloc.node);
    for (const key of alloc.slotKeys) {
      const remaining = (slotsOfNode.get(key) ?? []).filter((h) => h.uid !== id);
      if (remaining.length > 0) slotsOfNode.set(key, remaining);
      else slotsOfNode.delete(key);
    }
    this.byPod.delete(id);
  }

  private slotMap(node: string): Map<string, Holder[]> {
    let m = this.bySlot.get(node);
    if (!m) this.bySlot.set(node, (m = new Map()));
    return m;
  }

  private *allHolders(): Iterable<Holder[]> {
    for (const m of this.bySlot.values()) yield* m.values();
  }
}

function podId(pod: PodLike): string {
  return pod.metadata?.uid || podKey(pod);
}

function hasSlot(node: NodeGpus, key: string): boolean {
  return node.slots.some((s) => s.key === key);
}

function leastShared(candidates: DeviceSlot[], slots: Map<string, Holder[]>): DeviceSlot[] {
  const load = (s: DeviceSlot): number => slots.get(s.key)?.length ?? 0;
  return [...candidates].sort((a, b) => load(a) - load(b) || a.gpu.index - b.gpu.index);
}

function byCreation([, a]: [string, PodLike], [, b]: [string, PodLike]): number {
  const ta = toMillis(a.metadata?.creationTimestamp) ?? 0;
  const tb = toMillis(b.metadata?.creationTimestamp) ?? 0;
  return ta - tb || podKey(a).localeCompare(podKey(b));
}
