// Ties the pieces together at scrape time: nodes -> devices, pods -> holders, holders -> readings ->
// series. Stateful only where dcgm-exporter is: counters since "boot" and the sticky last-XID value.
import { GpuAssigner } from './assign.js';
import { renderDcgm, type DeviceSeries, type LabelVariant } from './dcgm-metrics.js';
import type { NamespaceLike, NodeLike, PodLike } from './k8s-types.js';
import { renderHami, type HamiContainerReading } from './hami-metrics.js';
import { renderKsm } from './ksm.js';
import { describeNodeGpus, type DeviceSlot, type NodeGpus } from './node-devices.js';
import { gpuReading } from './profiles.js';

export interface ClusterSource {
  nodes(): readonly NodeLike[];
  pods(): readonly PodLike[];
  namespaces(): readonly NamespaceLike[];
}

export interface SimulatorOptions {
  variant?: LabelVariant;
  /** Clock in ms; tests pass a fake one. */
  now?: () => number;
}

interface DeviceCounters {
  energyMj: number;
  nvlinkBandwidthTotal: number;
  lastMs: number;
}

export interface SlotAssignment {
  node: string;
  gpu: number;
  uuid: string;
  resource: string;
  migProfile?: string;
  gpuInstanceId?: number;
  holders: { namespace: string; pod: string; container: string; profile: string; startMs: number }[];
}

export class DcgmSimulator {
  variant: LabelVariant;
  private readonly now: () => number;
  private readonly startedMs: number;
  private readonly assigner = new GpuAssigner();
  // dcgm-exporter keeps reporting the last XID after recovery (dcgm-exporter #500), even once the pod is gone.
  private readonly lastXid = new Map<string, number>();
  private readonly counters = new Map<string, DeviceCounters>();

  constructor(
    private readonly source: ClusterSource,
    options: SimulatorOptions = {},
  ) {
    this.variant = options.variant ?? 'default';
    this.now = options.now ?? Date.now;
    this.startedMs = this.now();
  }

  /** The GPU nodes and their devices, with allocations brought up to date. */
  syncNodes(): NodeGpus[] {
    const nodes = this.source
      .nodes()
      .map(describeNodeGpus)
      .filter((n): n is NodeGpus => n !== undefined)
      .sort((a, b) => a.node.localeCompare(b.node));
    this.assigner.sync(nodes, this.source.pods());
    return nodes;
  }

  devices(): DeviceSeries[] {
    const now = this.now();
    return this.syncNodes().flatMap((node) => node.slots.map((slot) => this.deviceSeries(node, slot, now)));
  }

  renderMetrics(variant: LabelVariant = this.variant): string {
    return renderDcgm(this.devices(), variant);
  }

  /** HAMi's per-container figures on the HAMi nodes' shared GPUs: each holder's own load, memory split evenly. */
  renderHami(): string {
    const now = this.now();
    const readings: HamiContainerReading[] = [];
    for (const node of this.syncNodes().filter((n) => n.hami)) {
      for (const slot of node.slots) {
        const holders = this.assigner.holders(node.node, slot.key);
        for (const h of holders) {
          const caps = { ...node.model, fbTotalMiB: node.fbTotalMiB };
          const r = gpuReading(
            h.load.profile,
            (now - h.startMs) / 1000,
            slot.gpu.index,
            caps,
            h.load.options,
          );
          readings.push({
            namespace: h.namespace,
            pod: h.pod,
            container: h.container,
            vdeviceIndex: 0,
            deviceUuid: slot.gpu.uuid,
            utilization: r.grEngineActive,
            memoryBytes: Math.round((r.fbUsedMiB * 1_048_576) / holders.length),
          });
        }
      }
    }
    return renderHami(readings);
  }

  renderKsm(): string {
    return renderKsm({
      nodes: this.source.nodes(),
      pods: this.source.pods(),
      namespaces: this.source.namespaces(),
    });
  }

  assignments(): SlotAssignment[] {
    return this.syncNodes().flatMap((node) =>
      node.slots.map((slot) => ({
        node: node.node,
        gpu: slot.gpu.index,
        uuid: slot.gpu.uuid,
        resource: slot.resource,
        ...(slot.mig ? { migProfile: slot.mig.profile, gpuInstanceId: slot.mig.instanceId } : {}),
        holders: this.assigner.holders(node.node, slot.key).map((h) => ({
          namespace: h.namespace,
          pod: h.pod,
          container: h.container,
          profile: h.load.profile,
          startMs: h.startMs,
        })),
      })),
    );
  }

  private deviceSeries(node: NodeGpus, slot: DeviceSlot, now: number): DeviceSeries {
    const key = `${node.node}/${slot.key}`;
    // On a shared GPU the oldest holder sets the load; the others ride along.
    const holder = this.assigner.holders(node.node, slot.key)[0];
    const caps = { ...node.model, fbTotalMiB: slot.mig?.fbTotalMiB ?? node.fbTotalMiB };
    const reading = holder
      ? gpuReading(
          holder.load.profile,
          (now - holder.startMs) / 1000,
          slot.gpu.index,
          caps,
          holder.load.options,
        )
      : gpuReading('unallocated', (now - this.startedMs) / 1000, slot.gpu.index, caps);
    if (reading.xid > 0) this.lastXid.set(key, reading.xid);
    else reading.xid = this.lastXid.get(key) ?? 0;

    const counters = this.advanceCounters(
      key,
      slot.gpu.index,
      reading.powerW,
      reading.nvlinkBytesPerSec,
      now,
    );
    return {
      hostname: node.node,
      gpu: slot.gpu,
      modelName: node.model.modelName,
      driverVersion: node.driverVersion,
      ...(slot.mig ? { mig: { profile: slot.mig.profile, instanceId: slot.mig.instanceId } } : {}),
      fbTotalMiB: caps.fbTotalMiB,
      ...(holder && !node.shared
        ? { workload: { namespace: holder.namespace, pod: holder.pod, container: holder.container } }
        : {}),
      reading,
      energyMj: Math.round(counters.energyMj),
      nvlinkBandwidthTotal: Math.round(counters.nvlinkBandwidthTotal),
    };
  }

  private advanceCounters(
    key: string,
    index: number,
    powerW: number,
    nvlinkRate: number,
    now: number,
  ): DeviceCounters {
    let c = this.counters.get(key);
    if (!c) {
      // A GPU has been up a while before the simulator "boots": start each one at a different, fixed total.
      c = { energyMj: (index + 1) * 1e9, nvlinkBandwidthTotal: 0, lastMs: now };
      this.counters.set(key, c);
    }
    const dt = Math.max(0, now - c.lastMs) / 1000;
    c.energyMj += powerW * dt * 1000;
    c.nvlinkBandwidthTotal += nvlinkRate * dt;
    c.lastMs = now;
    return c;
  }
}
