// The capacity chart's data: allocatable vs Σbase vs Σmax vs use per resource (and model), one chart per unit,
// so that whole devices are never drawn on the same axis as HAMi's MiB of GPU memory or percent of GPU cores.
// Pure (no UI imports), so its shaping is unit-tested.

export interface CapacityResource {
  resource: string;
  model?: string | undefined;
  unit: string;
  allocatable: number;
  sumBase: number;
  sumMax: number;
  used: number;
}

/** The series names as the chart's legend shows them (translated by the caller). */
export interface CapacitySeriesNames {
  capacity: string;
  sumBase: string;
  sumMax: string;
  used: string;
}

export type CapacityBar = { label: string } & Record<string, number | string>;

export interface CapacityGroup {
  unit: string;
  bars: CapacityBar[];
}

/** Devices first (what "how many GPUs" means), then amounts by unit name. */
const unitOrder = (unit: string) => (unit === 'device' ? '' : unit);

/**
 * One group per unit, each with a bar set per resource (and model) in the order given; `label` names a bar
 * (e.g. "nvidia.com/gpu (NVIDIA-A100-SXM4-80GB)").
 */
export function capacityByUnit(
  resources: readonly CapacityResource[],
  names: CapacitySeriesNames,
  label: (r: CapacityResource) => string,
): CapacityGroup[] {
  const groups = new Map<string, CapacityBar[]>();
  for (const r of resources) {
    let bars = groups.get(r.unit);
    if (!bars) groups.set(r.unit, (bars = []));
    bars.push({
      label: label(r),
      [names.capacity]: r.allocatable,
      [names.sumBase]: r.sumBase,
      [names.sumMax]: r.sumMax,
      [names.used]: r.used,
    });
  }
  return [...groups]
    .sort(([a], [b]) => (unitOrder(a) < unitOrder(b) ? -1 : unitOrder(a) > unitOrder(b) ? 1 : 0))
    .map(([unit, bars]) => ({ unit, bars }));
}
