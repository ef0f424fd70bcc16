// Metric-only GPU nodes for scale benchmarks: a deterministic cluster of 8-GPU nodes, GPU pods and
// namespaces that exists only inside the simulator (no kube-apiserver objects, no KWOK). A machine that
// cannot keep 1,000 KWOK nodes alive still gets the series a 1,000-node fleet exposes. Everything is a pure
// function of the node index, so two runs (and tests) see the same fleet; pods' start times are relative to
// the simulator's start (`epochMs`).
import type { NamespaceLike, NodeLike, PodLike } from './k8s-types.js';
import { ANNOTATIONS, type GpuProfile } from './profiles.js';
import type { ClusterSource } from './simulator.js';

export interface SyntheticOptions {
  /** How many 8-GPU nodes. */
  nodes: number;
  /** Node names are `<prefix><index>`. */
  prefix?: string;
  /** Namespaces the pods are spread over (`sim-ns-<j>`), in `workspaces` workspaces (`sim-ws-<k>`). */
  namespaces?: number;
  workspaces?: number;
  /** Pods started this long before `epochMs` at most (minutes), so held GPUs have a history. */
  maxAgeMinutes?: number;
  /** The simulator's start; pods' start times are before it. */
  epochMs?: number;
}

export const SYNTHETIC_DEFAULTS = {
  prefix: 'sim-node-',
  namespaces: 200,
  workspaces: 25,
  maxAgeMinutes: 240,
} as const;

const MODELS = [
  { product: 'NVIDIA-A100-SXM4-80GB', memoryMiB: 81920 },
  { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559 },
] as const;

const BASE = { cpu: '96', memory: '1024Gi', pods: '110', 'ephemeral-storage': '2Ti' };

/**
 * How a node's 8 GPUs are held, by node index mod 10: pod sizes (GPUs each, free GPUs are the rest).
 * 60 of every 80 GPUs are held (75 %), by 1-, 2-, 4- and 8-GPU pods.
 */
export const LAYOUTS: readonly (readonly number[])[] = [
  [8],
  [8],
  [8],
  [4, 4],
  [4, 4],
  [2, 2, 2, 2],
  [1, 1, 1, 1],
  [4],
  [],
  [2, 2],
];

/** The GPU pods' sizes on node `index` (the rest of its 8 GPUs are free). */
export function syntheticLayout(index: number): readonly number[] {
  return LAYOUTS[index % LAYOUTS.length]!;
}

/** The load a pod runs: mostly busy, ~15 % idle (allocated, unused), a few leaking, overheating or failing. */
export function syntheticProfile(node: number, slot: number): GpuProfile {
  const k = (node * 7 + slot * 3) % 20;
  if (node % 97 === 0 && slot === 0) return 'xid';
  if (node % 89 === 0 && slot === 0) return 'overheat';
  if (k < 3) return 'idle';
  if (k === 3) return 'memory-leak';
  return 'busy';
}

export function syntheticNodeName(index: number, prefix: string = SYNTHETIC_DEFAULTS.prefix): string {
  return `${prefix}${index}`;
}

function syntheticNode(index: number, prefix: string): NodeLike {
  const model = MODELS[index % MODELS.length]!;
  const name = syntheticNodeName(index, prefix);
  const resources = { ...BASE, 'nvidia.com/gpu': '8' };
  return {
    metadata: {
      name,
      uid: `synthetic-node-${index}`,
      labels: {
        'kubernetes.io/hostname': name,
        'nvidia.com/gpu.product': model.product,
        'nvidia.com/gpu.count': '8',
        'nvidia.com/gpu.memory': String(model.memoryMiB),
        'nvidia.com/gpu.present': 'true',
        type: 'synthetic',
      },
    },
    status: { capacity: resources, allocatable: resources },
  };
}

/** A deterministic fleet of `nodes` 8-GPU nodes with their GPU pods and namespaces. */
export class SyntheticCluster implements ClusterSource {
  private readonly nodeList: NodeLike[] = [];
  private readonly podList: PodLike[] = [];
  private readonly namespaceList: NamespaceLike[] = [];

  constructor(options: SyntheticOptions) {
    const prefix = options.prefix ?? SYNTHETIC_DEFAULTS.prefix;
    const namespaces = Math.max(1, options.namespaces ?? SYNTHETIC_DEFAULTS.namespaces);
    const workspaces = Math.max(1, options.workspaces ?? SYNTHETIC_DEFAULTS.workspaces);
    const maxAge = Math.max(1, options.maxAgeMinutes ?? SYNTHETIC_DEFAULTS.maxAgeMinutes);
    const epochMs = options.epochMs ?? Date.now();
    const nsName = (j: number) => `sim-ns-${j}`;
    for (let j = 0; j < namespaces; j++) {
      this.namespaceList.push({
        metadata: {
          name: nsName(j),
          uid: `synthetic-ns-${j}`,
          labels: {
            'kubernetes.io/metadata.name': nsName(j),
            'kubesphere.io/workspace': `sim-ws-${j % workspaces}`,
          },
        },
      });
    }
    for (let i = 0; i < options.nodes; i++) {
      const node = syntheticNode(i, prefix);
      this.nodeList.push(node);
      syntheticLayout(i).forEach((gpus, slot) => {
        const namespace = nsName((i * 31 + slot * 17) % namespaces);
        const name = `job-${i}-${slot}`;
        const started = new Date(epochMs - (((i * 13 + slot * 29) % maxAge) + 1) * 60_000).toISOString();
        this.podList.push({
          metadata: {
            name,
            namespace,
            uid: `synthetic-pod-${i}-${slot}`,
            creationTimestamp: started,
            labels: { app: `job-${i}` },
            annotations: { [ANNOTATIONS.profile]: syntheticProfile(i, slot) },
            ownerReferences: [{ kind: 'Job', name: `job-${i}`, controller: true }],
          },
          spec: {
            nodeName: node.metadata!.name!,
            containers: [
              {
                name: 'trainer',
                resources: {
                  requests: {
                    cpu: String(4 * gpus),
                    memory: `${32 * gpus}Gi`,
                    'nvidia.com/gpu': String(gpus),
                  },
                  limits: { 'nvidia.com/gpu': String(gpus) },
                },
              },
            ],
          },
          status: {
            phase: 'Running',
            startTime: started,
            hostIP: '10.0.0.1',
            podIP: `10.245.${i % 250}.${slot + 1}`,
          },
        });
      });
    }
  }

  nodes(): readonly NodeLike[] {
    return this.nodeList;
  }
  pods(): readonly PodLike[] {
    return this.podList;
  }
  namespaces(): readonly NamespaceLike[] {
    return this.namespaceList;
  }
}

/** Both sources' objects, as if one cluster (the real sandbox plus metric-only nodes). */
export function mergeSources(a: ClusterSource, b: ClusterSource): ClusterSource {
  return {
    nodes: () => [...a.nodes(), ...b.nodes()],
    pods: () => [...a.pods(), ...b.pods()],
    namespaces: () => [...a.namespaces(), ...b.namespaces()],
  };
}
