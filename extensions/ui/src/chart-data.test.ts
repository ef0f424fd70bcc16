import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toChartRows } from './chart-data.js';

test('toChartRows merges series by timestamp, fills gaps with null, parses strings', () => {
  const rows = toChartRows([
    {
      name: 'gpu-0',
      points: [
        [20, '50'],
        [10, '40'],
      ],
    },
    {
      name: 'gpu-1',
      points: [
        [20, 70],
        [30, 'NaN'],
      ],
    },
  ]);
  assert.deepEqual(rows, [
    { time: 10, 'gpu-0': 40, 'gpu-1': null },
    { time: 20, 'gpu-0': 50, 'gpu-1': 70 },
    { time: 30, 'gpu-1': null, 'gpu-0': null },
  ]);
  assert.deepEqual(toChartRows([]), []);
});
