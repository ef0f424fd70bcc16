import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterView, type ProjectState } from './cluster-view.js';
import { A100, H100, sandboxCatalogue } from './test-fixtures.js';

const project = (
  namespace: string,
  rows: ProjectState['rows'],
  used: Record<string, number>,
  pending: Record<string, number> = {},
): ProjectState => ({
  namespace,
  workspace: 'ws',
  rows,
  used: new Map(Object.entries(used)),
  pending: new Map(Object.entries(pending)),
});

describe('clusterView', () => {
  const view = clusterView(sandboxCatalogue(), [
    project(
      'a',
      [{ resource: 'nvidia.com/gpu', model: H100, base: 6, max: 8 }],
      { 'nvidia.com/gpu': 4, [`nvidia.com/gpu@${H100}`]: 4 },
      { 'nvidia.com/gpu': 2 },
    ),
    project(
      'b',
      [
        { resource: 'nvidia.com/gpu', model: H100, base: 4, max: 4 },
        { resource: 'nvidia.com/gpu', model: A100, base: 1, max: 2 },
      ],
      { 'nvidia.com/gpu': 5, [`nvidia.com/gpu@${H100}`]: 4, [`nvidia.com/gpu@${A100}`]: 1 },
    ),
    project('c', [{ resource: 'nvidia.com/mig-1g.10gb', base: 2, max: 7 }], { 'nvidia.com/mig-1g.10gb': 3 }),
    project('d', [], { 'nvidia.com/gpu': 1 }),
  ]);
  const row = (resource: string, model?: string) =>
    view.resources.find((r) => r.resource === resource && r.model === model)!;

  it('puts capacity next to Σbase and Σmax per resource and per model', () => {
    const gpu = row('nvidia.com/gpu');
    assert.deepEqual(
      [gpu.allocatable, gpu.physicalDevices, gpu.sumBase, gpu.sumMax, gpu.used, gpu.pending, gpu.projects],
      [56, 20, 11, 14, 10, 2, 2],
    );
    const h100 = row('nvidia.com/gpu', H100);
    assert.deepEqual(
      [h100.allocatable, h100.sumBase, h100.sumMax, h100.used, h100.pending, h100.projects],
      [8, 10, 12, 8, 0, 2],
    );
  });

  it('flags over-commitment where Σbase exceeds allocatable', () => {
    assert.equal(row('nvidia.com/gpu', H100).overcommitted, true);
    assert.equal(row('nvidia.com/gpu', A100).overcommitted, false);
    assert.equal(row('nvidia.com/gpu').overcommitted, false);
    assert.equal(view.overcommitted, 1);
  });

  it('lists every project with base/max/used/pending per row, in input order', () => {
    assert.deepEqual(
      view.projects.map((p) => p.namespace),
      ['a', 'b', 'c', 'd'],
    );
    assert.deepEqual(view.projects[0]?.rows, [
      { resource: 'nvidia.com/gpu', model: H100, base: 6, max: 8, used: 4, pending: 0 },
    ]);
  });

  it('ranks top consumers per resource, with their max', () => {
    assert.deepEqual(
      row('nvidia.com/gpu').topConsumers.map((c) => [c.namespace, c.used, c.max]),
      [
        ['b', 5, 6],
        ['a', 4, 8],
        ['d', 1, undefined],
      ],
    );
    assert.deepEqual(row('nvidia.com/gpu', H100).topConsumers, []);
  });

  it('keeps resources in order, models after their resource, amounts with their unit', () => {
    assert.deepEqual(
      view.resources.map((r) => r.model ?? r.resource),
      [
        'nvidia.com/gpu',
        A100,
        H100,
        'nvidia.com/gpucores',
        'nvidia.com/gpumem',
        'nvidia.com/mig-1g.10gb',
        'nvidia.com/mig-3g.40gb',
      ],
    );
    assert.equal(row('nvidia.com/gpumem').unit, 'MiB');
  });

  it('stays linear: 5,000 namespaces in well under the endpoint budget, top-k bounded', () => {
    const many: ProjectState[] = [];
    for (let i = 0; i < 5000; i++) {
      const model = i % 2 ? A100 : H100;
      many.push(
        project(
          `ns-${i}`,
          [
            { resource: 'nvidia.com/gpu', model, base: 1, max: 2 },
            { resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 1 },
          ],
          { 'nvidia.com/gpu': i % 3, [`nvidia.com/gpu@${model}`]: i % 3 },
        ),
      );
    }
    // Its speed at this size is measured by the gpu-quota benchmark, not asserted here.
    const big = clusterView(sandboxCatalogue(), many, { top: 5 });
    assert.equal(big.projects.length, 5000);
    assert.equal(
      big.resources.find((r) => r.resource === 'nvidia.com/gpu' && !r.model)?.topConsumers.length,
      5,
    );
  });
});
