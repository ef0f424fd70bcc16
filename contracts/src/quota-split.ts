// How a workspace's GPU quota is split across its projects, written once for both sides: the backend reports the
// split and refuses saves by it (backend gpu-quota/workspace.ts), the console shows the same split live while a
// workspace quota is edited (extensions/gpu-quota split.ts), so the two cannot drift apart.
//
// Which workspace row governs a project row:
// - a workspace row for any model of R governs every project row of R (models added up);
// - workspace rows per model of R govern the project rows of those models; a model the workspace does not
//   list has nothing left, and a project row for "any model" of R cannot be checked, so it is refused;
// - no workspace row for R: the workspace does not limit R.

/** A quota row: one GPU resource, optionally one device model; absent model = any model. */
export interface QuotaRowOf {
  resource: string;
  model?: string | undefined;
}
export interface QuotaAmounts extends QuotaRowOf {
  base: number;
  max: number;
}
export interface ProjectQuotaRows {
  namespace: string;
  rows: readonly QuotaAmounts[];
}
/** What one project holds of one workspace row. */
export interface QuotaHolder {
  namespace: string;
  base: number;
  max: number;
}

/** The key of a quota row: `resource` or `resource@model`. */
export const quotaRowKey = (resource: string, model?: string): string =>
  model ? `${resource}@${model}` : resource;

/** The workspace row (by key) governing a project row, or why none can: the rule above. */
export type Governing = { key: string } | { needsModel: true; models: string[] } | undefined;

/** Indexes the workspace rows for the governing rule above. */
export function workspaceGovernor(workspaceRows: readonly QuotaRowOf[]): (row: QuotaRowOf) => Governing {
  const anyModel = new Set<string>();
  const perModel = new Map<string, string[]>();
  for (const r of workspaceRows) {
    if (r.model === undefined) anyModel.add(r.resource);
    else perModel.set(r.resource, [...(perModel.get(r.resource) ?? []), r.model]);
  }
  return (row) => {
    if (anyModel.has(row.resource)) return { key: quotaRowKey(row.resource) };
    const models = perModel.get(row.resource);
    if (!models) return undefined;
    if (row.model === undefined) return { needsModel: true, models };
    return { key: quotaRowKey(row.resource, row.model) };
  };
}

/** Σ per governing key and project of the given projects' rows. */
export function holdingsByGoverningKey(
  governs: (row: QuotaRowOf) => Governing,
  projects: readonly ProjectQuotaRows[],
): Map<string, Map<string, QuotaHolder>> {
  const byKey = new Map<string, Map<string, QuotaHolder>>();
  for (const project of projects) {
    for (const row of project.rows) {
      const g = governs(row);
      if (!g || !('key' in g)) continue;
      let holders = byKey.get(g.key);
      if (!holders) byKey.set(g.key, (holders = new Map()));
      const h = holders.get(project.namespace) ?? { namespace: project.namespace, base: 0, max: 0 };
      h.base += row.base;
      h.max += row.max;
      holders.set(project.namespace, h);
    }
  }
  return byKey;
}

/** Orders holders by the given amount, largest first (then by name, so the order is stable). */
export const largestHolderFirst =
  (field: 'base' | 'max') =>
  (a: QuotaHolder, b: QuotaHolder): number =>
    b[field] - a[field] || (a.namespace < b.namespace ? -1 : 1);

export interface WorkspaceRowHoldings {
  allocatedBase: number;
  allocatedMax: number;
  /** Projects holding a share, largest max first. */
  holders: QuotaHolder[];
}

/** What the projects hold of each workspace row, in the workspace rows' order. */
export function workspaceRowHoldings(
  workspaceRows: readonly QuotaRowOf[],
  projects: readonly ProjectQuotaRows[],
): WorkspaceRowHoldings[] {
  const allocated = holdingsByGoverningKey(workspaceGovernor(workspaceRows), projects);
  return workspaceRows.map((w) => {
    const holders = [...(allocated.get(quotaRowKey(w.resource, w.model))?.values() ?? [])].sort(
      largestHolderFirst('max'),
    );
    return {
      allocatedBase: holders.reduce((s, h) => s + h.base, 0),
      allocatedMax: holders.reduce((s, h) => s + h.max, 0),
      holders,
    };
  });
}
