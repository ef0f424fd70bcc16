// Contract-typed answers for the gpu-quota component tests. The contract server checks each against its route's
// response schema when a test sends it, so a fixture that drifts from contracts/ fails the test.
// Under testing/: no extension entry imports it, so no bundle holds it.
import type { GpuResourceList, ProjectGpuQuota, WorkspaceGpuQuota } from '@ks-gpu-ml/contracts';

const noEnforcer = { enforcer: 'none', setting: 'auto', installed: [] };
const figures = { capacity: 8, allocatable: 8, unavailable: 0, nodes: 2 };

export const catalog = (): GpuResourceList => ({
  items: [
    {
      resource: 'nvidia.com/gpu',
      vendor: 'nvidia',
      kind: 'device',
      unit: 'GPU',
      countable: true,
      ...figures,
      models: [],
      sharedNodes: 0,
    },
  ],
  migStrategies: {},
  migProfiles: [],
  enforcer: noEnforcer,
});

const enforcement = {
  base: { state: 'recorded', by: [] },
  max: { state: 'enforced', by: ['resourcequota'] },
};

export const projectQuota = (over: Partial<ProjectGpuQuota> = {}): ProjectGpuQuota => ({
  namespace: 'team-a',
  workspace: 'ws-a',
  enforcer: noEnforcer,
  rows: [{ resource: 'nvidia.com/gpu', base: 1, max: 2, used: 1, pending: 0, unit: 'GPU', enforcement }],
  unlimitedUse: {},
  blocked: [],
  warnings: [],
  canEdit: true,
  canOvercommit: false,
  ...over,
});

export const workspaceQuota = (over: Partial<WorkspaceGpuQuota> = {}): WorkspaceGpuQuota => ({
  workspace: 'ws-a',
  storage: 'kubesphere',
  rows: [
    {
      resource: 'nvidia.com/gpu',
      base: 2,
      max: 4,
      allocatedBase: 1,
      allocatedMax: 2,
      remainingBase: 1,
      remainingMax: 2,
      holders: [{ namespace: 'team-a', base: 1, max: 2 }],
    },
  ],
  projects: [{ namespace: 'team-a', rows: [{ resource: 'nvidia.com/gpu', base: 1, max: 2 }] }],
  warnings: [],
  canEdit: false,
  ...over,
});
