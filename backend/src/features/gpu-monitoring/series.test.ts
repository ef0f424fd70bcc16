import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assembleSeries, assembleTop } from './series.js';
import { PLAIN, s } from './test-fixtures.js';

describe('assembleSeries', () => {
  it('keeps gaps as missing points (never 0) and orders series by their labels', () => {
    const series = assembleSeries(
      PLAIN,
      [
        {
          metric: { Hostname: 'gpu-node-2' },
          values: [
            [100, '0.5'],
            [115, 'NaN'],
            [130, '0'],
          ],
        },
        { metric: { Hostname: 'gpu-node-10' }, values: [[100, '1']] },
      ],
      { metric: 'utilization', level: 'node', start: 100, end: 130, step: 15 },
    );
    assert.deepEqual(
      series.series.map((x) => [x.labels.node, x.points]),
      [
        [
          'gpu-node-2',
          [
            [100, 0.5],
            [130, 0],
          ],
        ],
        ['gpu-node-10', [[100, 1]]],
      ],
    );
    assert.equal(series.step, 15);
  });
});

describe('assembleTop', () => {
  it('orders largest first, drops non-finite values and keeps at most n', () => {
    const top = assembleTop(
      PLAIN,
      [
        s({ Hostname: 'a' }, 1),
        s({ Hostname: 'b' }, 3),
        s({ Hostname: 'c' }, 'NaN'),
        s({ Hostname: 'd' }, 2),
      ],
      2,
      { metric: 'powerWatts', level: 'node' },
    );
    assert.deepEqual(
      top.items.map((i) => [i.labels.node, i.value]),
      [
        ['b', 3],
        ['d', 2],
      ],
    );
  });
});
