import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeQuotaAnnotation } from './resourcequota.js';
import { A100, H100 } from './test-fixtures.js';
import {
  checkProjectInWorkspace,
  checkWorkspaceAgainstProjects,
  kubesphereWorkspaceQuota,
  workspaceSplit,
} from './workspace.js';

const gpu = (base: number, max: number, model?: string) => ({
  resource: 'nvidia.com/gpu',
  ...(model ? { model } : {}),
  base,
  max,
});
const workspaceRows = [gpu(4, 10), { resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 7 }];
const projects = [
  { namespace: 'alpha-train', rows: [gpu(2, 4)] },
  { namespace: 'alpha-serve', rows: [gpu(1, 3, A100), gpu(0, 2, H100)] },
  { namespace: 'alpha-lab', rows: [{ resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 3 }] },
];

describe('workspaceSplit', () => {
  it('sums project shares under each workspace row, models included, holders largest first', () => {
    const [gpuSplit, migSplit] = workspaceSplit(workspaceRows, projects);
    assert.deepEqual(gpuSplit, {
      resource: 'nvidia.com/gpu',
      base: 4,
      max: 10,
      allocatedBase: 3,
      allocatedMax: 9,
      remainingBase: 1,
      remainingMax: 1,
      holders: [
        { namespace: 'alpha-serve', base: 1, max: 5 },
        { namespace: 'alpha-train', base: 2, max: 4 },
      ],
    });
    assert.equal(migSplit?.remainingMax, 4);
  });
});

describe('checkProjectInWorkspace', () => {
  const check = (namespace: string, rows: ReturnType<typeof gpu>[]) =>
    checkProjectInWorkspace({ workspace: 'ws-alpha', workspaceRows, projects, namespace, rows });

  it('lets a project grow into what is left, its own current share given back', () => {
    assert.deepEqual(check('alpha-train', [gpu(3, 5)]), []);
    assert.deepEqual(check('alpha-new', [gpu(1, 1)]), []);
  });

  it('refuses more than is left and names the holders, largest first', () => {
    const problems = check('alpha-new', [gpu(2, 3)]);
    assert.deepEqual(
      problems.map((p) => `${p.path} ${p.code}`),
      [
        'spec.resources[0].max GPU_QUOTA_WORKSPACE_OVERFLOW',
        'spec.resources[0].base GPU_QUOTA_WORKSPACE_OVERFLOW',
      ],
    );
    assert.equal(
      problems[0]?.message,
      'workspace ws-alpha has 1 nvidia.com/gpu left for max; 3 asked. Held by: alpha-serve (5), alpha-train (4). Lower this request or raise the workspace quota',
    );
    assert.match(problems[1]!.message, /Held by: alpha-train \(2\), alpha-serve \(1\)/);
  });

  it('leaves resources the workspace does not limit alone', () => {
    assert.deepEqual(check('alpha-new', [{ resource: 'nvidia.com/gpu.shared', base: 0, max: 100 }]), []);
  });

  it('with per-model workspace rows: unlisted models have nothing left, any-model rows need a model', () => {
    const perModel = [gpu(2, 4, A100)];
    const problems = checkProjectInWorkspace({
      workspace: 'ws-beta',
      workspaceRows: perModel,
      projects: [],
      namespace: 'beta-research',
      rows: [gpu(0, 1, H100), gpu(0, 1)],
    });
    assert.deepEqual(
      problems.map((p) => `${p.path} ${p.code}`),
      [
        'spec.resources[1].model GPU_QUOTA_WORKSPACE_NEEDS_MODEL',
        'spec.resources[0].max GPU_QUOTA_WORKSPACE_OVERFLOW',
      ],
    );
    assert.match(
      problems[1]!.message,
      /has 0 nvidia\.com\/gpu \(NVIDIA-H100-80GB-HBM3\) left for max; 1 asked\. Held by: no other project/,
    );
  });
});

describe('checkWorkspaceAgainstProjects', () => {
  it('refuses a workspace max below what projects hold', () => {
    const problems = checkWorkspaceAgainstProjects('ws-alpha', [gpu(3, 8)], projects);
    assert.deepEqual(
      problems.map((p) => p.path),
      ['spec.resources[0].max'],
    );
    assert.match(
      problems[0]!.message,
      /below what its projects hold \(9: alpha-serve \(5\), alpha-train \(4\)\)/,
    );
  });
});

describe('kubesphereWorkspaceQuota', () => {
  it('is the cluster-scoped KubeSphere workspace quota with our requests.* keys only', () => {
    const q = kubesphereWorkspaceQuota('ws-alpha', [
      ...workspaceRows,
      { resource: 'nvidia.com/gpumem', base: 0, max: 1024 },
    ]);
    assert.equal(q.apiVersion, 'quota.kubesphere.io/v1alpha2');
    assert.equal(q.metadata.name, 'ws-alpha');
    assert.deepEqual(q.spec, {
      selector: { 'kubesphere.io/workspace': 'ws-alpha' },
      quota: { hard: { 'requests.nvidia.com/gpu': '10', 'requests.nvidia.com/mig-1g.10gb': '7' } },
    });
    assert.equal(decodeQuotaAnnotation(q.metadata.annotations['gpu-quota.ks-gpu-ml.io/quota'])?.length, 3);
  });
});
