import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  sortRows,
  totalsPerResource,
  validateQuota,
  type GpuQuotaSpec,
  type ValidationContext,
} from './model.js';
import { A100, H100, noMigCatalogue, sandboxCatalogue, validQuotaRows } from './test-fixtures.js';

const ctx = (extra: Partial<ValidationContext> = {}): ValidationContext => ({
  scope: 'project',
  name: 'ml-team',
  catalogue: sandboxCatalogue(),
  ...extra,
});
const spec = (...resources: GpuQuotaSpec['resources']): GpuQuotaSpec => ({ resources });
const codes = (problems: { path: string; code: string }[]) => problems.map((p) => `${p.path} ${p.code}`);

describe('validateQuota', () => {
  it('accepts a valid quota, per model and any-model rows for different resources', () => {
    const result = validateQuota(spec(...validQuotaRows), ctx());
    assert.deepEqual(result, { ok: true, errors: [], warnings: [] });
  });

  it('names negative, non-integer and non-number fields precisely', () => {
    const result = validateQuota(
      spec(
        { resource: 'nvidia.com/gpu', base: 0, max: 4 },
        { resource: 'nvidia.com/mig-1g.10gb', base: -1, max: 1.5 },
        { resource: 'nvidia.com/gpumem', base: Number.NaN, max: 10 },
      ),
      ctx(),
    );
    assert.deepEqual(codes(result.errors), [
      'spec.resources[1].base GPU_QUOTA_NEGATIVE',
      'spec.resources[1].max GPU_QUOTA_NOT_INTEGER',
      'spec.resources[2].base GPU_QUOTA_NOT_A_NUMBER',
    ]);
    assert.equal(result.errors[0]?.params.value, -1);
    assert.match(result.errors[1]!.message, /whole device units/);
  });

  it('refuses base above max', () => {
    const result = validateQuota(spec({ resource: 'nvidia.com/gpu', base: 3, max: 2 }), ctx());
    assert.deepEqual(codes(result.errors), ['spec.resources[0].base GPU_QUOTA_BASE_ABOVE_MAX']);
    assert.equal(
      result.errors[0]?.message,
      'base 3 of nvidia.com/gpu is above max 2; lower the base or raise the max (base is the guaranteed part of max)',
    );
  });

  it('refuses names that are not GPU resources, and GPU resources no node offers', () => {
    const result = validateQuota(
      spec({ resource: 'cpu', base: 0, max: 1 }, { resource: 'amd.com/gpu', base: 0, max: 1 }),
      ctx(),
    );
    assert.deepEqual(codes(result.errors), [
      'spec.resources[0].resource GPU_QUOTA_NOT_A_GPU_RESOURCE',
      'spec.resources[1].resource GPU_QUOTA_UNKNOWN_RESOURCE',
    ]);
    assert.match(result.errors[1]!.message, /choose one of: nvidia\.com\/gpu, nvidia\.com\/gpucores/);
  });

  it('refuses a MIG profile on a cluster without MIG, saying so', () => {
    const result = validateQuota(
      spec({ resource: 'nvidia.com/mig-1g.10gb', base: 0, max: 1 }),
      ctx({ catalogue: noMigCatalogue() }),
    );
    assert.deepEqual(codes(result.errors), ['spec.resources[0].resource GPU_QUOTA_MIG_UNAVAILABLE']);
    assert.match(result.errors[0]!.message, /MIG profiles here: none/);
    const other = validateQuota(spec({ resource: 'nvidia.com/mig-2g.20gb', base: 0, max: 1 }), ctx());
    assert.match(
      other.errors[0]!.message,
      /MIG profiles here: nvidia\.com\/mig-1g\.10gb, nvidia\.com\/mig-3g\.40gb/,
    );
  });

  it('checks models: known for the resource, only where the resource has models', () => {
    const result = validateQuota(
      spec(
        { resource: 'nvidia.com/gpu', model: 'NVIDIA-T4', base: 0, max: 1 },
        { resource: 'nvidia.com/mig-1g.10gb', model: A100, base: 0, max: 1 },
      ),
      ctx(),
    );
    assert.deepEqual(codes(result.errors), [
      'spec.resources[0].model GPU_QUOTA_UNKNOWN_MODEL',
      'spec.resources[1].model GPU_QUOTA_MODEL_NOT_SUPPORTED',
    ]);
  });

  it('refuses duplicate rows and any-model rows next to per-model rows', () => {
    const result = validateQuota(
      spec(
        { resource: 'nvidia.com/gpu', model: A100, base: 0, max: 1 },
        { resource: 'nvidia.com/gpu', model: A100, base: 0, max: 2 },
        { resource: 'nvidia.com/gpu', base: 0, max: 2 },
      ),
      ctx(),
    );
    assert.deepEqual(codes(result.errors), [
      'spec.resources[1] GPU_QUOTA_DUPLICATE_ROW',
      'spec.resources[2].model GPU_QUOTA_MIXED_MODEL_ROWS',
    ]);
  });

  it('refuses max below current use unless forced, then warns that running pods keep their GPUs', () => {
    const used = new Map([['nvidia.com/gpu', 3]]);
    const refused = validateQuota(spec({ resource: 'nvidia.com/gpu', base: 0, max: 2 }), ctx({ used }));
    assert.equal(
      refused.errors[0]?.message,
      'project ml-team uses 3 nvidia.com/gpu; max 2 is below that: stop a workload first, or confirm with force',
    );
    assert.equal(refused.errors[0]?.path, 'spec.resources[0].max');
    const forced = validateQuota(
      spec({ resource: 'nvidia.com/gpu', base: 0, max: 2 }),
      ctx({ used, force: true }),
    );
    assert.equal(forced.ok, true);
    assert.deepEqual(codes(forced.warnings), ['spec.resources[0].max GPU_QUOTA_MAX_BELOW_USED_FORCED']);
    assert.match(forced.warnings[0]!.message, /running pods keep their GPUs/);
  });

  it('compares per-model rows with per-model use', () => {
    const used = new Map([
      [`nvidia.com/gpu@${H100}`, 2],
      ['nvidia.com/gpu', 5],
    ]);
    const result = validateQuota(
      spec({ resource: 'nvidia.com/gpu', model: H100, base: 0, max: 1 }),
      ctx({ used }),
    );
    assert.match(result.errors[0]!.message, /uses 2 nvidia\.com\/gpu \(NVIDIA-H100-80GB-HBM3\)/);
  });

  it('warns when a base exceeds what the cluster has', () => {
    const result = validateQuota(spec({ resource: 'nvidia.com/gpu', model: H100, base: 9, max: 9 }), ctx());
    assert.equal(result.ok, true);
    assert.deepEqual(codes(result.warnings), ['spec.resources[0].base GPU_QUOTA_BASE_ABOVE_CAPACITY']);
  });
});

describe('sortRows / totalsPerResource', () => {
  it('orders rows by resource then model; totals add per-model rows up, in resource-name order', () => {
    const rows = [
      { resource: 'nvidia.com/gpu', model: H100, base: 1, max: 2 },
      { resource: 'nvidia.com/gpu', model: A100, base: 2, max: 4 },
      { resource: 'amd.com/gpu', base: 0, max: 1 },
    ];
    assert.deepEqual(
      sortRows(rows).map((r) => r.model ?? r.resource),
      ['amd.com/gpu', A100, H100],
    );
    assert.deepEqual(
      [...totalsPerResource(rows)],
      [
        ['amd.com/gpu', { base: 0, max: 1 }],
        ['nvidia.com/gpu', { base: 3, max: 6 }],
      ],
    );
  });
});
