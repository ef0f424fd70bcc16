// Shared fixtures for this feature's unit tests: a catalogue shaped like the sandbox's nodes.
import type { V1Node } from '@kubernetes/client-node';
import { buildCatalogue, type GpuCatalogue } from './catalogue.js';

export const A100 = 'NVIDIA-A100-SXM4-80GB';
export const H100 = 'NVIDIA-H100-80GB-HBM3';

/** A quota the sandbox-like catalogue accepts, with a row of each kind: per model, a MIG profile, a HAMi amount. */
export const validQuotaRows = [
  { resource: 'nvidia.com/gpu', model: A100, base: 2, max: 4 },
  { resource: 'nvidia.com/gpu', model: H100, base: 0, max: 2 },
  { resource: 'nvidia.com/mig-1g.10gb', base: 1, max: 7 },
  { resource: 'nvidia.com/gpumem', base: 0, max: 163840 },
];

export function fakeNode(
  name: string,
  labels: Record<string, string>,
  resources: Record<string, string>,
  extra: { unschedulable?: boolean; ready?: boolean; allocatable?: Record<string, string> } = {},
): V1Node {
  return {
    metadata: { name, labels },
    ...(extra.unschedulable ? { spec: { unschedulable: true } } : {}),
    status: {
      capacity: { cpu: '96', memory: '1Ti', ...resources },
      allocatable: { cpu: '96', memory: '1Ti', ...(extra.allocatable ?? resources) },
      conditions: [{ type: 'Ready', status: extra.ready === false ? 'False' : 'True' }],
    },
  };
}

export const sandboxLikeNodes: V1Node[] = [
  fakeNode('gpu-node-0', { 'nvidia.com/gpu.product': A100 }, { 'nvidia.com/gpu': '8' }),
  fakeNode('gpu-node-1', { 'nvidia.com/gpu.product': H100 }, { 'nvidia.com/gpu': '8' }),
  fakeNode(
    'gpu-node-mig',
    { 'nvidia.com/gpu.product': A100, 'nvidia.com/mig.strategy': 'mixed' },
    { 'nvidia.com/mig-1g.10gb': '14', 'nvidia.com/mig-3g.40gb': '4' },
  ),
  fakeNode(
    'gpu-node-hami',
    { 'nvidia.com/gpu.product': A100, 'nvidia.com/gpu.count': '4' },
    { 'nvidia.com/gpu': '40', 'nvidia.com/gpumem': '327680', 'nvidia.com/gpucores': '400' },
  ),
];

export const sandboxCatalogue = (): GpuCatalogue => buildCatalogue(sandboxLikeNodes);

/** A catalogue without MIG: the same nodes minus the MIG node. */
export const noMigCatalogue = (): GpuCatalogue =>
  buildCatalogue(sandboxLikeNodes.filter((n) => n.metadata?.name !== 'gpu-node-mig'));
