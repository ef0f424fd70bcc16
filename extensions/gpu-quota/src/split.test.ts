// The console's side of the split: which rows being edited count as workspace rows. The rule itself is tested
// in contracts (quota-split.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldByProjects } from './split.js';

const GPU = 'nvidia.com/gpu';
const projects = [
  { namespace: 'p1', rows: [{ resource: GPU, model: 'A100', base: 1, max: 2 }] },
  { namespace: 'p2', rows: [{ resource: GPU, model: 'H100', base: 0, max: 1 }] },
];
const edited = (model: string | undefined, base: string, max: string) => ({
  resource: GPU,
  ...(model ? { model } : {}),
  base,
  max,
});

test('heldByProjects: a new row holds what it would once saved with the rows entered beside it', () => {
  assert.deepEqual(heldByProjects({ resource: GPU }, projects, []), { base: 1, max: 3 });
  assert.deepEqual(heldByProjects({ resource: GPU, model: 'A100' }, projects, []), { base: 1, max: 2 });
  // Beside a row for any model of the GPU, a row per model holds nothing: the server counts every project GPU
  // row under the any-model row.
  const rows = [edited(undefined, '4', '8'), edited('A100', '', '5')];
  assert.deepEqual(heldByProjects({ resource: GPU, model: 'A100' }, projects, rows), { base: 0, max: 0 });
  assert.deepEqual(heldByProjects({ resource: GPU }, projects, rows), { base: 1, max: 3 });
});

test('heldByProjects: a row with nothing entered is not sent, so it governs nothing', () => {
  const rows = [edited(undefined, ' ', ''), edited('A100', '', '5')];
  assert.deepEqual(heldByProjects({ resource: GPU, model: 'A100' }, projects, rows), { base: 1, max: 2 });
});
