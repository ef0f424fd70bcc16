// Which scheduler enforces base (the guaranteed part), and what each row of a quota is enforced by.
//
// Only queue-aware schedulers can guarantee a share: Kueue (ClusterQueue nominalQuota in a cohort) or
// Volcano (Queue guarantee/deserved). Which one is installed is read from the CRDs; an administrator can
// pin the choice per cluster. Without either, base is recorded and shown as "recorded, not enforced".
import type { QuotaRow } from './model.js';
import { problem, type FieldProblem } from './problems.js';
import { describeResource, KNOWN_GPU_RESOURCES, type ResourceTable } from './resources.js';

export type Enforcer = 'kueue' | 'volcano' | 'none';
/** Per-cluster setting: `auto` detects; a named enforcer pins it. */
export type EnforcerSetting = 'auto' | Enforcer;

/** All must be present for the enforcer to work (Kueue needs all three kinds). */
export const ENFORCER_CRDS: Record<Exclude<Enforcer, 'none'>, readonly string[]> = {
  kueue: ['clusterqueues.kueue.x-k8s.io', 'localqueues.kueue.x-k8s.io', 'resourceflavors.kueue.x-k8s.io'],
  volcano: ['queues.scheduling.volcano.sh'],
};

export interface EnforcerChoice {
  enforcer: Enforcer;
  setting: EnforcerSetting;
  /** Queue-aware schedulers whose CRDs are installed. */
  installed: Exclude<Enforcer, 'none'>[];
  /** Set when the pinned enforcer is not installed (then base is not enforced). */
  problem?: FieldProblem;
}

/**
 * Picks the enforcer from installed CRD names. With both installed, `auto` picks Kueue: it admits ordinary
 * Jobs and pods through a LocalQueue label without replacing the scheduler, whereas Volcano only governs
 * pods that use its scheduler.
 */
export function chooseEnforcer(
  crdNames: Iterable<string>,
  setting: EnforcerSetting = 'auto',
): EnforcerChoice {
  const names = new Set(crdNames);
  const installed = (['kueue', 'volcano'] as const).filter((e) =>
    ENFORCER_CRDS[e].every((crd) => names.has(crd)),
  );
  if (setting === 'auto') return { enforcer: installed[0] ?? 'none', setting, installed: [...installed] };
  if (setting === 'none' || installed.includes(setting))
    return { enforcer: setting, setting, installed: [...installed] };
  return {
    enforcer: 'none',
    setting,
    installed: [...installed],
    problem: problem('enforcer', 'GPU_QUOTA_ENFORCER_NOT_INSTALLED', { requested: setting }),
  };
}

/**
 * - `enforced`: exactly as set.
 * - `enforced-as-total`: enforced for the resource as a whole (per-model rows added up), not per model.
 * - `recorded`: stored and shown, not enforced.
 */
export type EnforcementState = 'enforced' | 'enforced-as-total' | 'recorded';
export type Enforcement = 'resourcequota' | 'hami-scheduler' | 'kueue' | 'volcano';

export interface RowEnforcement {
  base: { state: EnforcementState; by: Enforcement[]; problem?: FieldProblem };
  max: { state: EnforcementState; by: Enforcement[] };
}

/** Why base is not enforced when no enforcer is in use: none installed, turned off, or the pinned one missing. */
function notEnforced(path: string, choice: Pick<EnforcerChoice, 'setting' | 'problem'>): FieldProblem {
  if (choice.problem) return { ...choice.problem, path };
  if (choice.setting === 'none') return problem(path, 'GPU_QUOTA_BASE_NOT_ENFORCED_BY_SETTING', {});
  return problem(path, 'GPU_QUOTA_BASE_NOT_ENFORCED', {});
}

/**
 * How one row's base and max are enforced under the chosen enforcer; the editor shows this per row. Given the
 * whole choice (not only the enforcer), a base that is not enforced says why.
 */
export function rowEnforcement(
  row: QuotaRow,
  choice: Enforcer | Pick<EnforcerChoice, 'enforcer' | 'setting' | 'problem'>,
  path = 'spec.resources',
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): RowEnforcement {
  const { enforcer, ...why } =
    typeof choice === 'string' ? { enforcer: choice, setting: 'auto' as const } : choice;
  const descriptor = describeResource(row.resource, table);
  const perModel = row.model !== undefined;
  const recorded = () => ({
    state: 'recorded' as const,
    by: [],
    problem: notEnforced(`${path}.base`, why),
  });

  // HAMi amounts: the project total is enforced by HAMi's scheduler from limits.* keys; neither queue
  // system understands per-card amounts (volcano#4168), so their base stays informational.
  if (descriptor && !descriptor.countable) {
    return { base: recorded(), max: { state: 'enforced', by: ['hami-scheduler'] } };
  }
  const quotaMax = perModel ? 'enforced-as-total' : 'enforced';
  switch (enforcer) {
    case 'kueue':
      // Kueue flavors carry the model, so per-model rows are enforced per model by Kueue.
      return {
        base: { state: 'enforced', by: ['kueue'] },
        max: { state: 'enforced', by: perModel ? ['kueue'] : ['resourcequota', 'kueue'] },
      };
    case 'volcano':
      // A Volcano queue sees resource names only: models under one name are summed.
      return {
        base: { state: perModel ? 'enforced-as-total' : 'enforced', by: ['volcano'] },
        max: { state: quotaMax, by: ['resourcequota', 'volcano'] },
      };
    case 'none':
      return { base: recorded(), max: { state: quotaMax, by: ['resourcequota'] } };
  }
}
