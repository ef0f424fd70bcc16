// The quota model: per GPU resource (optionally per device model) a base and a max, and its validation.
//
// base: what the project is guaranteed (enforced by Kueue or Volcano where installed, otherwise recorded).
// max:  what it may use at most (enforced by the namespace ResourceQuota, and by the queue where installed).
// Validation returns every problem at once, each naming its field, so a form can mark all of them.
import { capacityOf, findResource, type GpuCatalogue } from './catalogue.js';
import { describeRow, problem, type FieldProblem } from './problems.js';
import {
  describeResource,
  isMigProfile,
  KNOWN_GPU_RESOURCES,
  rowKey,
  type ResourceTable,
} from './resources.js';

export interface QuotaRow {
  resource: string;
  /** One device model (node label value, e.g. NVIDIA-A100-SXM4-80GB); absent means any model. */
  model?: string;
  base: number;
  max: number;
}

export interface GpuQuotaSpec {
  resources: QuotaRow[];
}

export interface ValidationContext {
  scope: 'project' | 'workspace';
  /** Namespace or workspace name, for messages. */
  name: string;
  catalogue: GpuCatalogue;
  /** Current use per row key (see rowKey); missing keys mean 0. */
  used?: ReadonlyMap<string, number>;
  /** The caller confirmed a max below current use. */
  force?: boolean;
  table?: ResourceTable;
  /** The largest amount one field may hold (GPU_QUOTA_MAX_AMOUNT); DEFAULT_MAX_AMOUNT when absent. */
  maxAmount?: number;
}

/** GPU_QUOTA_MAX_AMOUNT's default: far above any real amount, far below where sums lose precision (2^53). */
export const DEFAULT_MAX_AMOUNT = 1_000_000_000;

export interface ValidationResult {
  ok: boolean;
  errors: FieldProblem[];
  warnings: FieldProblem[];
}

/** Checks one number field; returns the problem or undefined. */
function checkAmount(
  path: string,
  field: 'base' | 'max',
  value: unknown,
  resource: string,
  unit: string,
  limit: number,
): FieldProblem | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return problem(path, 'GPU_QUOTA_NOT_A_NUMBER', { field, resource });
  }
  if (value < 0) return problem(path, 'GPU_QUOTA_NEGATIVE', { field, resource, value });
  // Every GPU extended resource is requested in whole units (kube-apiserver refuses fractional extended
  // resource requests), so a fractional quota could never be used exactly: refuse it rather than round.
  if (!Number.isInteger(value))
    return problem(path, 'GPU_QUOTA_NOT_INTEGER', { field, resource, value, unit });
  // Above the limit, amounts print as "1e+21" in a ResourceQuota and sums stop being exact.
  if (value > limit) return problem(path, 'GPU_QUOTA_AMOUNT_TOO_LARGE', { field, resource, value, limit });
  return undefined;
}

function listOrNone(values: readonly string[]): string {
  return values.length > 0 ? values.join(', ') : 'none';
}

/** Checks that the row names a resource (and model) this cluster has. */
function checkResource(
  path: string,
  row: QuotaRow,
  ctx: ValidationContext,
  table: ResourceTable,
): FieldProblem | undefined {
  const { resource, model } = row;
  if (typeof resource !== 'string' || !describeResource(resource, table)) {
    return problem(`${path}.resource`, 'GPU_QUOTA_NOT_A_GPU_RESOURCE', { resource: String(resource) });
  }
  const entry = findResource(ctx.catalogue, resource);
  if (!entry) {
    if (isMigProfile(resource)) {
      return problem(`${path}.resource`, 'GPU_QUOTA_MIG_UNAVAILABLE', {
        resource,
        available: listOrNone(ctx.catalogue.migProfiles),
      });
    }
    return problem(`${path}.resource`, 'GPU_QUOTA_UNKNOWN_RESOURCE', {
      resource,
      available: listOrNone(ctx.catalogue.resources.map((r) => r.resource)),
    });
  }
  if (model === undefined) return undefined;
  if (!entry.modelLabel) return problem(`${path}.model`, 'GPU_QUOTA_MODEL_NOT_SUPPORTED', { resource });
  if (!entry.models.some((m) => m.model === model)) {
    return problem(`${path}.model`, 'GPU_QUOTA_UNKNOWN_MODEL', {
      resource,
      model,
      available: listOrNone(entry.models.map((m) => m.model)),
    });
  }
  return undefined;
}

export function validateQuota(spec: GpuQuotaSpec, ctx: ValidationContext): ValidationResult {
  const table = ctx.table ?? KNOWN_GPU_RESOURCES;
  const errors: FieldProblem[] = [];
  const warnings: FieldProblem[] = [];
  const firstRowOfKey = new Map<string, number>();
  const modelRowsOf = new Map<string, { anyModel?: number; perModel?: number }>();

  spec.resources.forEach((row, index) => {
    const path = `spec.resources[${index}]`;
    const resourceProblem = checkResource(path, row, ctx, table);
    if (resourceProblem) errors.push(resourceProblem);
    const descriptor = describeResource(row.resource, table);
    const unit = descriptor?.unit ?? 'device';

    const limit = ctx.maxAmount ?? DEFAULT_MAX_AMOUNT;
    const baseProblem = checkAmount(`${path}.base`, 'base', row.base, row.resource, unit, limit);
    const maxProblem = checkAmount(`${path}.max`, 'max', row.max, row.resource, unit, limit);
    if (baseProblem) errors.push(baseProblem);
    if (maxProblem) errors.push(maxProblem);

    const key = rowKey(row.resource, row.model);
    const first = firstRowOfKey.get(key);
    if (first !== undefined) {
      errors.push(
        problem(path, 'GPU_QUOTA_DUPLICATE_ROW', {
          what: describeRow(row.resource, row.model),
          first,
          second: index,
        }),
      );
    } else firstRowOfKey.set(key, index);

    const shape = modelRowsOf.get(row.resource) ?? {};
    if (row.model === undefined) shape.anyModel ??= index;
    else shape.perModel ??= index;
    modelRowsOf.set(row.resource, shape);

    if (baseProblem || maxProblem || resourceProblem) return;
    if (row.base > row.max) {
      errors.push(
        problem(`${path}.base`, 'GPU_QUOTA_BASE_ABOVE_MAX', {
          resource: describeRow(row.resource, row.model),
          base: row.base,
          max: row.max,
        }),
      );
    }
    const used = ctx.used?.get(key) ?? 0;
    if (row.max < used) {
      const params = {
        scope: ctx.scope,
        name: ctx.name,
        used,
        what: describeRow(row.resource, row.model),
        max: row.max,
      };
      if (ctx.force) warnings.push(problem(`${path}.max`, 'GPU_QUOTA_MAX_BELOW_USED_FORCED', params));
      else errors.push(problem(`${path}.max`, 'GPU_QUOTA_MAX_BELOW_USED', params));
    }
    const capacity = capacityOf(ctx.catalogue, row.resource, row.model)?.allocatable;
    if (capacity !== undefined && row.base > capacity) {
      warnings.push(
        problem(`${path}.base`, 'GPU_QUOTA_BASE_ABOVE_CAPACITY', {
          base: row.base,
          what: describeRow(row.resource, row.model),
          capacity,
        }),
      );
    }
  });

  // A row for any model next to rows per model would make max mean two things at once (the ResourceQuota
  // total vs per-flavor quotas), so one shape per resource.
  for (const [resource, shape] of modelRowsOf) {
    if (shape.anyModel !== undefined && shape.perModel !== undefined) {
      const index = Math.max(shape.anyModel, shape.perModel);
      errors.push(problem(`spec.resources[${index}].model`, 'GPU_QUOTA_MIXED_MODEL_ROWS', { resource }));
    }
  }
  return { ok: errors.length === 0, errors, warnings };
}

/** Rows in a stable order (resource, then model), so objects written from them diff cleanly. */
export function sortRows(rows: readonly QuotaRow[]): QuotaRow[] {
  return [...rows].sort((a, b) => {
    const ka = rowKey(a.resource, a.model);
    const kb = rowKey(b.resource, b.model);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

/**
 * Totals per resource over its rows (per-model rows added up), in resource-name order: what a ResourceQuota,
 * a Volcano queue or KubeSphere's workspace quota can hold, since none can tell models apart under one
 * resource name; the order keeps the objects we apply the same from one save to the next.
 */
export function totalsPerResource(rows: readonly QuotaRow[]): Map<string, { base: number; max: number }> {
  const totals = new Map<string, { base: number; max: number }>();
  for (const row of rows) {
    const t = totals.get(row.resource) ?? { base: 0, max: 0 };
    t.base += row.base;
    t.max += row.max;
    totals.set(row.resource, t);
  }
  return new Map([...totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
