// Node and pod objects shaped like the sandbox's KWOK ones, for the unit tests.
import type { NamespaceLike, NodeLike, PodLike } from './k8s-types.js';

export function gpuNode(name: string, product = 'NVIDIA-A100-SXM4-80GB', count = 8): NodeLike {
  return {
    metadata: {
      name,
      labels: {
        type: 'kwok',
        'nvidia.com/gpu.product': product,
        'nvidia.com/gpu.memory': '81920',
        'nvidia.com/gpu.count': String(count),
      },
      annotations: { 'kwok.x-k8s.io/node': 'fake' },
    },
    status: {
      capacity: { cpu: '64', memory: '512Gi', pods: '110', 'nvidia.com/gpu': String(count) },
      allocatable: { cpu: '63500m', memory: '500Gi', pods: '110', 'nvidia.com/gpu': String(count) },
    },
  };
}

export function migNode(name: string): NodeLike {
  return {
    metadata: {
      name,
      labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', 'nvidia.com/mig.strategy': 'mixed' },
    },
    status: {
      capacity: { cpu: '64', 'nvidia.com/mig-1g.10gb': '14', 'nvidia.com/mig-3g.40gb': '4' },
      allocatable: { cpu: '64', 'nvidia.com/mig-1g.10gb': '14', 'nvidia.com/mig-3g.40gb': '4' },
    },
  };
}

export function hamiNode(name: string): NodeLike {
  const capacity = {
    cpu: '64',
    'nvidia.com/gpu': '8',
    'nvidia.com/gpumem': '327680',
    'nvidia.com/gpucores': '800',
  };
  return {
    metadata: {
      name,
      labels: { 'gpu.hami.io/node': 'true', 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' },
    },
    status: { capacity, allocatable: capacity },
  };
}

export function cpuNode(name: string): NodeLike {
  return { metadata: { name }, status: { capacity: { cpu: '8', memory: '32Gi', pods: '110' } } };
}

export interface PodSpecInput {
  namespace?: string;
  node?: string;
  gpus?: number;
  resource?: string;
  created?: string;
  started?: string;
  phase?: string;
  annotations?: Record<string, string>;
  container?: string;
}

export function gpuPod(name: string, input: PodSpecInput = {}): PodLike {
  const resource = input.resource ?? 'nvidia.com/gpu';
  const count = String(input.gpus ?? 1);
  const created = input.created ?? '2026-01-01T00:00:00Z';
  return {
    metadata: {
      name,
      namespace: input.namespace ?? 'team-a',
      uid: `uid-${name}`,
      creationTimestamp: created,
      annotations: input.annotations ?? {},
      labels: { app: name },
    },
    spec: {
      nodeName: input.node ?? 'gpu-a100-0',
      containers: [
        {
          name: input.container ?? 'trainer',
          resources: { requests: { cpu: '2', [resource]: count }, limits: { [resource]: count } },
        },
      ],
    },
    status: { phase: input.phase ?? 'Running', startTime: input.started ?? created },
  };
}

export function namespace(name: string, workspace?: string): NamespaceLike {
  return { metadata: { name, labels: workspace ? { 'kubesphere.io/workspace': workspace } : {} } };
}

/** A cluster source over mutable arrays, so a test can add and delete objects between scrapes. */
export function fakeCluster(nodes: NodeLike[] = [], pods: PodLike[] = [], namespaces: NamespaceLike[] = []) {
  return {
    nodes: () => nodes,
    pods: () => pods,
    namespaces: () => namespaces,
    nodeList: nodes,
    podList: pods,
  };
}
