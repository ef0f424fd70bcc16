import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldByProjects } from './split.js';

const projects = [
  {
    rows: [
      { resource: 'nvidia.com/gpu', model: 'A100', base: 1, max: 2 },
      { resource: 'nvidia.com/gpu', model: 'H100', base: 0, max: 1 },
      { resource: 'nvidia.com/mig-1g.10gb', base: 2, max: 7 },
    ],
  },
  { rows: [{ resource: 'nvidia.com/gpu', model: 'A100', base: 2, max: 3 }] },
  { rows: [] },
];

test('heldByProjects: a row without a model holds every model of its resource; with one, that model only', () => {
  assert.deepEqual(heldByProjects({ resource: 'nvidia.com/gpu' }, projects), { base: 3, max: 6 });
  assert.deepEqual(heldByProjects({ resource: 'nvidia.com/gpu', model: 'A100' }, projects), {
    base: 3,
    max: 5,
  });
  assert.deepEqual(heldByProjects({ resource: 'nvidia.com/mig-1g.10gb' }, projects), { base: 2, max: 7 });
  assert.deepEqual(heldByProjects({ resource: 'amd.com/gpu' }, projects), { base: 0, max: 0 });
});
