// Contract-typed answers for the gpu-quota component tests. The contract server checks each against its route's
// response schema when a test sends it, so a fixture that drifts from contracts/ fails the test.
// Under testing/: no extension entry imports it, so no bundle holds it.
import type {
  GpuQuotaProblem,
  GpuResourceList,
  ProjectGpuQuota,
  WorkspaceGpuQuota,
} from '@ks-gpu-ml/contracts';
import { refusal } from '@ks-gpu-ml/ui/testing/contract-server';

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

/** The API's refusal of a quota write: 400 Invalid naming the problem's field, the problem in details. */
export const quotaRefusal = (message: string, problem: GpuQuotaProblem) =>
  refusal(400, 'Invalid', message, { field: problem.path, problems: [problem] });
