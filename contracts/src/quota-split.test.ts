import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workspaceGovernor, workspaceRowHoldings, type ProjectQuotaRows } from './quota-split.js';

const GPU = 'nvidia.com/gpu';
const projects: ProjectQuotaRows[] = [
  {
    namespace: 'p1',
    rows: [
      { resource: GPU, model: 'A100', base: 1, max: 2 },
      { resource: GPU, model: 'H100', base: 0, max: 1 },
      { resource: 'nvidia.com/mig-1g.10gb', base: 2, max: 7 },
    ],
  },
  { namespace: 'p2', rows: [{ resource: GPU, model: 'A100', base: 2, max: 3 }] },
  { namespace: 'p3', rows: [{ resource: GPU, base: 1, max: 1 }] },
];

describe('the workspace split', () => {
  it('gives a row for any model every project row of its resource, largest max first', () => {
    const [gpu] = workspaceRowHoldings([{ resource: GPU }], projects);
    assert.deepEqual(gpu, {
      allocatedBase: 4,
      allocatedMax: 7,
      holders: [
        { namespace: 'p1', base: 1, max: 3 },
        { namespace: 'p2', base: 2, max: 3 },
        { namespace: 'p3', base: 1, max: 1 },
      ],
    });
  });

  it('gives a row per model the rows of that model; a project row for any model is held by none', () => {
    const [a100, h100] = workspaceRowHoldings(
      [
        { resource: GPU, model: 'A100' },
        { resource: GPU, model: 'H100' },
      ],
      projects,
    );
    assert.deepEqual([a100?.allocatedBase, a100?.allocatedMax], [3, 5]);
    assert.deepEqual([h100?.allocatedBase, h100?.allocatedMax], [0, 1]);
    assert.deepEqual(workspaceGovernor([{ resource: GPU, model: 'A100' }])({ resource: GPU }), {
      needsModel: true,
      models: ['A100'],
    });
  });

  it('lets a row for any model govern the resource even where a row per model exists beside it', () => {
    const [any, a100] = workspaceRowHoldings([{ resource: GPU }, { resource: GPU, model: 'A100' }], projects);
    assert.equal(any?.allocatedMax, 7);
    assert.deepEqual(a100, { allocatedBase: 0, allocatedMax: 0, holders: [] });
  });

  it('leaves a resource without a workspace row unlimited', () => {
    assert.equal(workspaceGovernor([{ resource: GPU }])({ resource: 'amd.com/gpu' }), undefined);
  });
});
