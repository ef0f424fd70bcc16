import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortRows } from '../pagination.js';
import { timeColumn, valueColumn } from './columns.js';

interface Row {
  name: string;
  owner?: string;
  at: string;
}
const rows: Row[] = [
  { name: 'b', owner: 'zoe', at: '2026-12-06T05:00:00.000Z' },
  { name: 'a', at: '2026-12-06T04:00:00.000Z' },
  { name: 'c', owner: 'amy', at: '2026-12-06T06:00:00.000Z' },
];

test('valueColumn shows the value, "-" where there is none, and sorts by it with the missing last', () => {
  const owner = valueColumn<Row>('owner', 'Owner', (r) => r.owner);
  assert.deepEqual(
    rows.map((r) => owner.render?.(r)),
    ['zoe', '-', 'amy'],
  );
  const sorted = sortRows(rows, owner.sortValue!, 'asc').map((r) => r.name);
  assert.deepEqual(sorted, ['c', 'b', 'a']);
});

test('timeColumn shows the moment in local time and sorts by it', () => {
  const at = timeColumn<Row>('at', 'At', (r) => r.at);
  assert.equal(at.render?.(rows[0]!), new Date('2026-12-06T05:00:00.000Z').toLocaleString());
  assert.deepEqual(
    sortRows(rows, at.sortValue!, 'desc').map((r) => r.name),
    ['c', 'b', 'a'],
  );
});
