import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldByProjects } from './split.js';

const GPU = 'nvidia.com/gpu';
const projects = [
  {
    namespace: 'p1',
    rows: [
      { resource: GPU, model: 'A100', base: 1, max: 2 },
      { resource: GPU, model: 'H100', base: 0, max: 1 },
      { resource: 'nvidia.com/mig-1g.10gb', base: 2, max: 7 },
    ],
  },
  { namespace: 'p2', rows: [{ resource: GPU, model: 'A100', base: 2, max: 3 }] },
  { namespace: 'p3', rows: [] },
];
const draft = (resource: string, model: string | undefined, base: string, max: string) => ({
  resource,
  ...(model ? { model } : {}),
  base,
  max,
});

test('heldByProjects: a row without a model holds every model of its resource; with one, that model only', () => {
  assert.deepEqual(heldByProjects({ resource: GPU }, projects, []), { base: 3, max: 6 });
  assert.deepEqual(heldByProjects({ resource: GPU, model: 'A100' }, projects, []), { base: 3, max: 5 });
  assert.deepEqual(heldByProjects({ resource: 'nvidia.com/mig-1g.10gb' }, projects, []), { base: 2, max: 7 });
  assert.deepEqual(heldByProjects({ resource: 'amd.com/gpu' }, projects, []), { base: 0, max: 0 });
});

test("heldByProjects: the server's rule over the rows being entered: a row for any model takes the resource", () => {
  // The workspace is given a row for any model of the GPU beside its A100 row: the server then counts every
  // project GPU row under the any-model row, none under the A100 row (contracts' quota-split).
  const rows = [draft(GPU, undefined, '4', '8'), draft(GPU, 'A100', '', '5')];
  assert.deepEqual(heldByProjects({ resource: GPU, model: 'A100' }, projects, rows), { base: 0, max: 0 });
  assert.deepEqual(heldByProjects({ resource: GPU }, projects, rows), { base: 3, max: 6 });
  // A row with nothing entered is not sent, so it governs nothing.
  const unsent = [draft(GPU, undefined, ' ', ''), draft(GPU, 'A100', '', '5')];
  assert.deepEqual(heldByProjects({ resource: GPU, model: 'A100' }, projects, unsent), { base: 3, max: 5 });
});
