import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  clampPage,
  filterRows,
  pageCount,
  pageRange,
  pageSlice,
  pageWindow,
  sortRows,
} from './pagination.js';

test('pageCount: at least one page, rounds up', () => {
  assert.equal(pageCount(0, 20), 1);
  assert.equal(pageCount(20, 20), 1);
  assert.equal(pageCount(21, 20), 2);
  assert.equal(pageCount(4000, 50), 80);
  assert.equal(pageCount(Number.NaN, 10), 1);
});

test('clampPage: stays inside [1, pageCount] and survives junk', () => {
  assert.equal(clampPage(0, 100, 10), 1);
  assert.equal(clampPage(11, 100, 10), 10);
  assert.equal(clampPage(3.7, 100, 10), 3);
  assert.equal(clampPage(Number.NaN, 100, 10), 1);
  assert.equal(clampPage(5, 0, 10), 1);
});

test('pageSlice: the rows of one page; a page past the end shows the last page', () => {
  const rows = Array.from({ length: 45 }, (_, i) => i);
  assert.deepEqual(pageSlice(rows, { page: 1, pageSize: 20 }), rows.slice(0, 20));
  assert.deepEqual(pageSlice(rows, { page: 3, pageSize: 20 }), [40, 41, 42, 43, 44]);
  assert.deepEqual(pageSlice(rows, { page: 9, pageSize: 20 }), [40, 41, 42, 43, 44]);
  assert.deepEqual(pageSlice([], { page: 1, pageSize: 20 }), []);
});

test('pageRange: first and last row numbers', () => {
  assert.deepEqual(pageRange(0, { page: 1, pageSize: 10 }), { first: 0, last: 0 });
  assert.deepEqual(pageRange(4000, { page: 2, pageSize: 20 }), { first: 21, last: 40 });
  assert.deepEqual(pageRange(45, { page: 3, pageSize: 20 }), { first: 41, last: 45 });
});

test('pageWindow: first, last, neighbours and gaps', () => {
  assert.deepEqual(pageWindow(1, 1), [1]);
  assert.deepEqual(pageWindow(1, 2), [1, 2]);
  assert.deepEqual(pageWindow(1, 5), [1, 2, null, 5]);
  assert.deepEqual(pageWindow(5, 200), [1, null, 4, 5, 6, null, 200]);
  assert.deepEqual(pageWindow(200, 200), [1, null, 199, 200]);
  assert.deepEqual(pageWindow(3, 5), [1, 2, 3, 4, 5]);
});

test('sortRows: natural order, stable, empty values last in both directions, input untouched', () => {
  const rows = [{ n: 'gpu-10' }, { n: 'gpu-2' }, { n: '' }, { n: 'gpu-1' }];
  const names = (r: { n: string }[]) => r.map((x) => x.n);
  assert.deepEqual(names(sortRows(rows, (r) => r.n, 'asc')), ['gpu-1', 'gpu-2', 'gpu-10', '']);
  assert.deepEqual(names(sortRows(rows, (r) => r.n, 'desc')), ['gpu-10', 'gpu-2', 'gpu-1', '']);
  assert.deepEqual(names(rows), ['gpu-10', 'gpu-2', '', 'gpu-1']);
  const ties = [
    { k: 1, id: 'a' },
    { k: 0, id: 'b' },
    { k: 1, id: 'c' },
  ];
  assert.deepEqual(
    sortRows(ties, (r) => r.k, 'asc').map((r) => r.id),
    ['b', 'a', 'c'],
  );
});

test('filterRows: every word must match, case-insensitive', () => {
  const rows = ['alpha-train notebook', 'beta-research job', 'alpha-serve inference'];
  assert.deepEqual(
    filterRows(rows, '  ', (r) => r),
    rows,
  );
  assert.deepEqual(
    filterRows(rows, 'ALPHA', (r) => r),
    [rows[0], rows[2]],
  );
  assert.deepEqual(
    filterRows(rows, 'alpha job', (r) => r),
    [],
  );
});

test('sorting and slicing 10,000 rows: natural order over the whole list, the page its own 20 rows', () => {
  // No timing here (timing goals live in bench/): a timed unit test failed whenever the machine was busy.
  const rows = Array.from({ length: 10_000 }, (_, i) => ({
    name: `node-${(i * 7919) % 10_000}`,
    gpus: i % 8,
  }));
  const sorted = sortRows(rows, (r) => r.name, 'asc');
  const page = pageSlice(sorted, { page: 250, pageSize: 20 });
  assert.equal(sorted[0]!.name, 'node-0');
  assert.deepEqual(
    page.map((r) => r.name),
    Array.from({ length: 20 }, (_, i) => `node-${4980 + i}`),
  );
});
