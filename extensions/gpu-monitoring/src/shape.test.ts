import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { GpuSeries } from '@ks-gpu-ml/contracts';
import {
  csvFileName,
  dateStart,
  defaultReportDates,
  gpuName,
  holderText,
  hoursRows,
  modelRows,
  reportRange,
  utilizationCell,
  resourceTotals,
  seriesName,
  toChartSeries,
} from './shape.js';

const OPTS = { clusterName: 'Cluster', unknown: '(unknown)' };

test('seriesName names a series by its level', () => {
  assert.equal(seriesName({}, 'cluster', 'Cluster'), 'Cluster');
  assert.equal(seriesName({ node: 'n1' }, 'node', ''), 'n1');
  assert.equal(seriesName({ node: 'n1', gpu: '3', uuid: 'GPU-A' }, 'gpu', ''), 'n1/3');
  assert.equal(seriesName({ uuid: 'GPU-A', migProfile: '1g.10gb' }, 'gpu', ''), 'GPU-A 1g.10gb');
  assert.equal(seriesName({ workspace: 'ws' }, 'workspace', ''), 'ws');
  assert.equal(seriesName({ namespace: 'ns' }, 'namespace', ''), 'ns');
  assert.equal(seriesName({ namespace: 'ns', pod: 'p', container: 'c' }, 'workload', ''), 'ns/p (c)');
  assert.equal(seriesName({ namespace: 'ns', pod: 'p' }, 'workload', ''), 'ns/p');
});

const series = (level: GpuSeries['level'], items: [string, number[]][]): GpuSeries => ({
  metric: 'utilization',
  level,
  start: 0,
  end: 60,
  step: 30,
  series: items.map(([node, values]) => ({
    labels: { node },
    points: values.map((v, i) => [i * 30, v] as [number, number]),
  })),
});

test('toChartSeries keeps every series (in order) up to the limit', () => {
  const answer = series('node', [
    ['b', [0.1, 0.2]],
    ['a', [0.9, 0.8]],
  ]);
  const out = toChartSeries(answer, OPTS);
  assert.equal(out.total, 2);
  assert.deepEqual(
    out.series.map((s) => s.name),
    ['b', 'a'],
  );
  assert.deepEqual(out.series[0]!.points, [
    [0, 0.1],
    [30, 0.2],
  ]);
});

test('toChartSeries draws only the series with the highest mean beyond the limit', () => {
  const answer = series('node', [
    ['low', [0.1, 0.1]],
    ['high', [0.9, 0.7]],
    ['mid', [0.5, 0.5]],
    ['nan', [Number.NaN, Number.NaN]],
  ]);
  const out = toChartSeries(answer, { ...OPTS, maxSeries: 2 });
  assert.equal(out.total, 4);
  assert.deepEqual(
    out.series.map((s) => s.name),
    ['high', 'mid'],
  );
});

test('toChartSeries numbers duplicate names and names unlabelled series', () => {
  const answer = series('node', [
    ['x', [1]],
    ['x', [2]],
    ['', [3]],
  ]);
  assert.deepEqual(
    toChartSeries(answer, OPTS).series.map((s) => s.name),
    ['x', 'x #2', '(unknown)'],
  );
  assert.deepEqual(toChartSeries(undefined, OPTS), { series: [], total: 0 });
  assert.deepEqual(
    toChartSeries({ level: 'cluster', series: [{ labels: {}, points: [[0, 1]] }] }, OPTS).series[0]!.name,
    'Cluster',
  );
});

test('modelRows keeps the figures and adds the allocated share', () => {
  const rows = modelRows({
    models: [
      { model: 'A100', devices: 8, allocated: 6, busy: 4, idleAllocated: 2 },
      { model: 'A100', migProfile: '1g.10gb', devices: 0, allocated: 0, busy: 0, idleAllocated: 0 },
    ],
  });
  assert.deepEqual(rows[0], {
    key: 'A100|',
    model: 'A100',
    devices: 8,
    allocated: 6,
    busy: 4,
    idleAllocated: 2,
    allocatedRatio: 0.75,
  });
  assert.equal(rows[1]!.key, 'A100|1g.10gb');
  assert.equal(rows[1]!.allocatedRatio, undefined);
});

test('holderText and gpuName', () => {
  assert.equal(holderText([]), '');
  assert.equal(
    holderText([
      { namespace: 'ns', pod: 'p', container: 'c' },
      { namespace: 'ns', pod: 'q' },
    ]),
    'ns/p (c), ns/q',
  );
  assert.equal(gpuName({ node: 'n', gpu: '0' }), 'n/0');
  assert.equal(gpuName({ node: 'n', gpu: '0', migProfile: '1g.10gb', migInstance: '7' }), 'n/0 · 1g.10gb#7');
});

const local = (y: number, m: number, d: number) => Math.floor(new Date(y, m - 1, d).getTime() / 1000);

test('dateStart reads only real dates, at local midnight', () => {
  assert.equal(dateStart('2025-03-01'), local(2025, 3, 1));
  assert.equal(dateStart('2025-02-30'), undefined);
  assert.equal(dateStart('2025-3-1'), undefined);
  assert.equal(dateStart(''), undefined);
});

test('reportRange covers whole days, stops at now, and refuses bad ranges', () => {
  const now = new Date(2025, 2, 10, 12, 0, 0).getTime();
  assert.deepEqual(reportRange('2025-03-01', '2025-03-07', now), {
    ok: true,
    start: local(2025, 3, 1),
    end: local(2025, 3, 8),
  });
  // Today's report runs until now.
  assert.deepEqual(reportRange('2025-03-09', '2025-03-10', now), {
    ok: true,
    start: local(2025, 3, 9),
    end: now / 1000,
  });
  assert.deepEqual(reportRange('2025-03-07', '2025-03-01', now), { ok: false, problem: 'order' });
  assert.deepEqual(reportRange('2025-03-11', '2025-03-12', now), { ok: false, problem: 'future' });
  assert.deepEqual(reportRange('2024-01-01', '2025-03-01', now), { ok: false, problem: 'tooLong' });
  assert.deepEqual(reportRange('nope', '2025-03-01', now), { ok: false, problem: 'invalid' });
});

test('defaultReportDates is the last 7 days including today', () => {
  const now = new Date(2025, 2, 3, 9, 30).getTime();
  assert.deepEqual(defaultReportDates(now), { start: '2025-02-25', end: '2025-03-03' });
});

test('hoursRows and resourceTotals', () => {
  const rows = hoursRows({
    groupBy: 'namespace',
    rows: [
      {
        workspace: 'ws',
        namespace: 'a',
        allocatedByResource: { 'nvidia.com/gpu': 10 },
        allocatedGpuHours: 10,
        utilizedGpuHours: 2.5,
      },
      {
        namespace: 'b',
        allocatedByResource: { 'nvidia.com/gpu': 0, 'nvidia.com/mig-1g.10gb': 1 },
        allocatedGpuHours: 0,
        utilizedGpuHours: 0,
      },
    ],
  });
  assert.equal(rows[0]!.key, 'ws/a');
  assert.equal(rows[0]!.efficiency, 0.25);
  assert.equal(rows[1]!.key, '/b');
  assert.equal(rows[1]!.efficiency, undefined);
  assert.deepEqual(resourceTotals(rows, ['nvidia.com/gpu', 'nvidia.com/mig-1g.10gb']), {
    'nvidia.com/gpu': 10,
    'nvidia.com/mig-1g.10gb': 1,
  });
  const byWs = hoursRows({
    groupBy: 'workspace',
    rows: [{ workspace: 'w', allocatedByResource: {}, allocatedGpuHours: 1, utilizedGpuHours: 1 }],
  });
  assert.equal(byWs[0]!.key, 'w');
});

test('csvFileName keeps only safe characters', () => {
  assert.equal(
    csvFileName('cluster host', 'namespace', '2025-03-01', '2025-03-07'),
    'gpu-hours-cluster_host-namespace-2025-03-01-2025-03-07.csv',
  );
});

test('utilization of a usage row: its own; on a shared GPU HAMi\'s figure or "shared", never the device\'s', () => {
  assert.deepEqual(utilizationCell({ utilization: 0.4 }), { kind: 'own', ratio: 0.4 });
  assert.deepEqual(utilizationCell({}), { kind: 'own', ratio: undefined });
  assert.deepEqual(utilizationCell({ shared: true, utilization: 0.9 }), { kind: 'shared' });
  assert.deepEqual(utilizationCell({ shared: true, sharedUtilization: 0.25 }), { kind: 'hami', ratio: 0.25 });
  assert.deepEqual(utilizationCell({ shared: true, sharedUtilization: 0 }), { kind: 'hami', ratio: 0 });
});
