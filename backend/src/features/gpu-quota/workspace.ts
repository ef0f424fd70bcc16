// Workspace GPU quota: a base and max per resource for a KubeSphere workspace, split across its projects.
//
// remaining = workspace max − Σ project max (and the same for base). A project's new max (or base) cannot
// exceed what is left once its own current share is given back; the refusal names the projects holding the
// rest, largest first. The workspace quota is also written as KubeSphere's own workspace quota
// (quota.kubesphere.io/v1alpha2 ResourceQuota) so that KubeSphere's admission enforces the total where it
// is installed.
//
// Which workspace row governs a project row, and so what each project holds of it, is the rule the console shows
// too: written once in contracts (quota-split.ts).
import {
  holdingsByGoverningKey,
  largestHolderFirst,
  quotaRowKey,
  workspaceGovernor,
  workspaceRowHoldings,
  type QuotaHolder as Holder,
} from '@ks-gpu-ml/contracts';
import { totalsPerResource, type QuotaRow } from './model.js';
import { describeRow, problem, type FieldProblem } from './problems.js';
import { formatQuantity } from './quantity.js';
import { encodeQuotaAnnotation, GPU_QUOTA_ANNOTATION } from './resourcequota.js';
import { describeResource, KNOWN_GPU_RESOURCES, rowKey, type ResourceTable } from './resources.js';
import { WORKSPACE_LABEL } from '../../shared/workspace-label.js';

// Defined once in shared/ (the membership client and gpu-monitoring's queries read it too); re-exported for
// this feature's modules.
export { WORKSPACE_LABEL };
export const KUBESPHERE_QUOTA_API_VERSION = 'quota.kubesphere.io/v1alpha2';

export interface ProjectRows {
  namespace: string;
  rows: readonly QuotaRow[];
}

export type { Holder };

export interface WorkspaceSplitRow {
  resource: string;
  model?: string;
  base: number;
  max: number;
  allocatedBase: number;
  allocatedMax: number;
  remainingBase: number;
  remainingMax: number;
  /** Projects holding a share, largest max first. */
  holders: Holder[];
}

/** The workspace's rows with what its projects hold and what is left. */
export function workspaceSplit(
  workspaceRows: readonly QuotaRow[],
  projects: readonly ProjectRows[],
): WorkspaceSplitRow[] {
  const holdings = workspaceRowHoldings(workspaceRows, projects);
  return workspaceRows.map((w, i) => {
    const { allocatedBase, allocatedMax, holders } = holdings[i]!;
    return {
      resource: w.resource,
      ...(w.model !== undefined ? { model: w.model } : {}),
      base: w.base,
      max: w.max,
      allocatedBase,
      allocatedMax,
      remainingBase: w.base - allocatedBase,
      remainingMax: w.max - allocatedMax,
      holders,
    };
  });
}

const holderList = (holders: Holder[], field: 'base' | 'max'): string =>
  holders.length > 0 ? holders.map((h) => `${h.namespace} (${h[field]})`).join(', ') : 'no other project';

/**
 * Checks a project's new rows against its workspace: each governing workspace row must have room for the
 * project's total under it once the project's current share is given back.
 */
export function checkProjectInWorkspace(input: {
  workspace: string;
  workspaceRows: readonly QuotaRow[];
  /** Every project of the workspace with its current rows (the edited one may be included; it is replaced). */
  projects: readonly ProjectRows[];
  namespace: string;
  rows: readonly QuotaRow[];
}): FieldProblem[] {
  const { workspace, workspaceRows, namespace, rows } = input;
  const governs = workspaceGovernor(workspaceRows);
  const others = holdingsByGoverningKey(
    governs,
    input.projects.filter((p) => p.namespace !== namespace),
  );
  const limits = new Map(workspaceRows.map((w) => [quotaRowKey(w.resource, w.model), w]));
  const problems: FieldProblem[] = [];

  // The project's own totals per governing key, remembering the first row for the error path.
  const mine = new Map<string, { base: number; max: number; index: number }>();
  rows.forEach((row, index) => {
    const g = governs(row);
    if (!g) return;
    if (!('key' in g)) {
      problems.push(
        problem(`spec.resources[${index}].model`, 'GPU_QUOTA_WORKSPACE_NEEDS_MODEL', {
          workspace,
          resource: row.resource,
          models: g.models.join(', '),
        }),
      );
      return;
    }
    const t = mine.get(g.key) ?? { base: 0, max: 0, index };
    t.base += row.base;
    t.max += row.max;
    mine.set(g.key, t);
  });

  for (const [key, requested] of mine) {
    const limit = limits.get(key);
    const holders = [...(others.get(key)?.values() ?? [])];
    for (const field of ['max', 'base'] as const) {
      const remaining = (limit?.[field] ?? 0) - holders.reduce((s, h) => s + h[field], 0);
      if (requested[field] <= remaining) continue;
      const [resource, model] = key.split('@') as [string, string | undefined];
      problems.push(
        problem(`spec.resources[${requested.index}].${field}`, 'GPU_QUOTA_WORKSPACE_OVERFLOW', {
          workspace,
          field,
          what: describeRow(resource, model),
          remaining: Math.max(remaining, 0),
          requested: requested[field],
          holders: holderList(
            [...holders].filter((h) => h[field] > 0).sort(largestHolderFirst(field)),
            field,
          ),
        }),
      );
    }
  }
  return problems;
}

/** Checks a workspace's new rows: a row cannot drop below what its projects already hold. */
export function checkWorkspaceAgainstProjects(
  workspace: string,
  workspaceRows: readonly QuotaRow[],
  projects: readonly ProjectRows[],
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  workspaceSplit(workspaceRows, projects).forEach((split, index) => {
    for (const field of ['max', 'base'] as const) {
      const allocated = field === 'max' ? split.allocatedMax : split.allocatedBase;
      if (split[field] >= allocated) continue;
      problems.push(
        problem(`spec.resources[${index}].${field}`, 'GPU_QUOTA_WORKSPACE_BELOW_ALLOCATED', {
          workspace,
          field,
          value: split[field],
          what: describeRow(split.resource, split.model),
          allocated,
          holders: holderList([...split.holders].sort(largestHolderFirst(field)), field),
        }),
      );
    }
  });
  return problems;
}

export interface KubeSphereWorkspaceQuota {
  apiVersion: typeof KUBESPHERE_QUOTA_API_VERSION;
  kind: 'ResourceQuota';
  metadata: { name: string; annotations: Record<string, string> };
  spec: { selector: Record<string, string>; quota: { hard: Record<string, string> } };
}

/**
 * KubeSphere's workspace quota as an apply configuration: cluster-scoped, named after the workspace (the
 * object KubeSphere's own workspace quota page edits, so both see one quota), selecting the workspace's
 * namespaces, with only our `requests.<device>` keys. HAMi amounts are left out: KubeSphere's evaluator,
 * like kube-apiserver's, tracks extended resources only as requests.*, which would count per-card values.
 */
export function kubesphereWorkspaceQuota(
  workspace: string,
  rows: readonly QuotaRow[],
  table: ResourceTable = KNOWN_GPU_RESOURCES,
): KubeSphereWorkspaceQuota {
  const hard: Record<string, string> = {};
  const countable = rows.filter((r) => describeResource(r.resource, table)?.countable);
  for (const [resource, { max }] of totalsPerResource(countable)) {
    hard[`requests.${resource}`] = formatQuantity(max);
  }
  return {
    apiVersion: KUBESPHERE_QUOTA_API_VERSION,
    kind: 'ResourceQuota',
    metadata: { name: workspace, annotations: { [GPU_QUOTA_ANNOTATION]: encodeQuotaAnnotation(rows) } },
    spec: { selector: { [WORKSPACE_LABEL]: workspace }, quota: { hard } },
  };
}

/**
 * Rows of a project that no workspace row governs and that ask for more than the project held: outside the
 * workspace quota, which only a cluster-level role may set (docs/adr/0013). Keeping or lowering is allowed.
 */
export function rowsOutsideWorkspace(
  workspaceRows: readonly QuotaRow[],
  rows: readonly QuotaRow[],
  previous: readonly QuotaRow[],
): QuotaRow[] {
  const governs = workspaceGovernor(workspaceRows);
  const before = new Map(previous.map((r) => [rowKey(r.resource, r.model), r]));
  return rows.filter((r) => {
    if (governs(r)) return false;
    const held = before.get(rowKey(r.resource, r.model));
    return !held || r.base > held.base || r.max > held.max;
  });
}
