// Fake GPU nodes for KWOK: whole-GPU nodes of two models, a MIG node and a HAMi-style vGPU node.
// KWOK keeps them Ready (heartbeats, leases); the real scheduler places pods on them by their
// extended resources, and KWOK marks the placed pods Running.

export const KWOK_ANNOTATION = 'kwok.x-k8s.io/node';

export interface GpuModel {
  product: string;
  memoryMiB: number;
}

export const gpuModels: GpuModel[] = [
  { product: 'NVIDIA-A100-SXM4-80GB', memoryMiB: 81920 },
  { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559 },
];

type Resources = Record<string, string>;

export interface NodeSpec {
  name: string;
  labels: Record<string, string>;
  resources: Resources;
}

const base: Resources = { cpu: '96', memory: '1024Gi', pods: '110', 'ephemeral-storage': '2Ti' };

/** The standard GPU nodes (the count is a parameter: benchmarks use hundreds) plus one MIG and one HAMi node. */
export function gpuNodeSpecs(count: number): NodeSpec[] {
  const specs: NodeSpec[] = [];
  for (let i = 0; i < count; i++) {
    const model = gpuModels[i % gpuModels.length]!;
    specs.push({
      name: `gpu-node-${i}`,
      labels: {
        'nvidia.com/gpu.product': model.product,
        'nvidia.com/gpu.count': '8',
        'nvidia.com/gpu.memory': String(model.memoryMiB),
        'nvidia.com/gpu.present': 'true',
      },
      resources: { ...base, 'nvidia.com/gpu': '8' },
    });
  }
  specs.push({
    name: 'gpu-node-mig',
    labels: {
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      'nvidia.com/gpu.count': '4',
      'nvidia.com/gpu.memory': '81920',
      'nvidia.com/gpu.present': 'true',
      'nvidia.com/mig.strategy': 'mixed',
      'nvidia.com/mig.config': 'sandbox-mixed',
    },
    // 2 GPUs as 7 × 1g.10gb each, 2 GPUs as 2 × 3g.40gb each
    resources: { ...base, 'nvidia.com/mig-1g.10gb': '14', 'nvidia.com/mig-3g.40gb': '4' },
  });
  specs.push({
    name: 'gpu-node-hami',
    labels: {
      'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB',
      'nvidia.com/gpu.count': '4',
      'nvidia.com/gpu.memory': '81920',
      'nvidia.com/gpu.present': 'true',
      gpu: 'on', // HAMi's scheduler selects nodes labelled gpu=on
    },
    // HAMi splits 4 physical GPUs into 10 vGPU slots each; gpumem in MiB, gpucores in percent per GPU
    resources: {
      ...base,
      'nvidia.com/gpu': '40',
      'nvidia.com/gpumem': String(4 * 81920),
      'nvidia.com/gpucores': '400',
    },
  });
  return specs;
}

export function nodeObject(spec: NodeSpec): Record<string, unknown> & { apiVersion: string; kind: string } {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      annotations: { [KWOK_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': spec.name,
        'node-role.kubernetes.io/gpu': '',
        type: 'kwok',
        ...spec.labels,
      },
    },
    spec: {},
    // Nodes may carry their status on create (as a kubelet registers); KWOK then keeps it fresh.
    status: {
      capacity: spec.resources,
      allocatable: spec.resources,
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: 'fake',
        kubeProxyVersion: 'fake',
        containerRuntimeVersion: 'fake',
        osImage: 'KWOK fake node',
        kernelVersion: 'fake',
        machineID: '',
        systemUUID: '',
        bootID: '',
      },
      phase: 'Running',
    },
  };
}
