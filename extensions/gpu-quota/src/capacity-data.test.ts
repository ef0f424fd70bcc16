import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capacityByUnit, type CapacityResource } from './capacity-data.js';

const names = { capacity: 'Allocatable', sumBase: 'Σ base', sumMax: 'Σ max', used: 'Used' };
const label = (r: CapacityResource) => (r.model ? `${r.resource} (${r.model})` : r.resource);
const figures = (allocatable: number, sumBase: number, sumMax: number, used: number) => ({
  allocatable,
  sumBase,
  sumMax,
  used,
});

test('capacityByUnit puts each unit on its own chart: devices first, never beside MiB or percent', () => {
  const groups = capacityByUnit(
    [
      { resource: 'nvidia.com/gpumem', unit: 'MiB', ...figures(327680, 0, 163840, 20480) },
      { resource: 'nvidia.com/gpu', unit: 'device', ...figures(16, 6, 12, 3) },
      { resource: 'nvidia.com/gpucores', unit: 'percent', ...figures(400, 0, 200, 50) },
      { resource: 'nvidia.com/gpu', model: 'NVIDIA-A100', unit: 'device', ...figures(8, 2, 4, 1) },
      { resource: 'nvidia.com/mig-1g.10gb', unit: 'device', ...figures(14, 1, 7, 0) },
    ],
    names,
    label,
  );
  assert.deepEqual(
    groups.map((g) => [g.unit, g.bars.map((b) => b.label)]),
    [
      ['device', ['nvidia.com/gpu', 'nvidia.com/gpu (NVIDIA-A100)', 'nvidia.com/mig-1g.10gb']],
      ['MiB', ['nvidia.com/gpumem']],
      ['percent', ['nvidia.com/gpucores']],
    ],
  );
  assert.deepEqual(groups[0]!.bars[1], {
    label: 'nvidia.com/gpu (NVIDIA-A100)',
    Allocatable: 8,
    'Σ base': 2,
    'Σ max': 4,
    Used: 1,
  });
  assert.equal(groups[1]!.bars[0]!.Allocatable, 327680);
});

test('capacityByUnit: no resources, no charts; one unit, one chart', () => {
  assert.deepEqual(capacityByUnit([], names, label), []);
  const only = capacityByUnit(
    [{ resource: 'nvidia.com/gpumem', unit: 'MiB', ...figures(1024, 0, 512, 0) }],
    names,
    label,
  );
  assert.deepEqual(
    only.map((g) => g.unit),
    ['MiB'],
  );
});
