// A project's GPU quota page (GET, and the answer to a save): the rows it holds with use, blocked work and
// how each row is enforced; the warnings that say what is not as it should be; what the caller may do.
import type { ProjectGpuQuota } from '@ks-gpu-ml/contracts';
import { contractRow } from './answers.js';
import { mayEditProject } from './authority.js';
import type { Caller, QuotaContext } from './context.js';
import { readCurrentProject, type CurrentProject } from './current-project.js';
import { allHoldings, decodeRecords, PROJECT_RECORD_SELECTOR } from './holdings.js';
import type { QuotaRow } from './model.js';
import { pendingByNamespace } from './pending.js';
import { problem, type FieldProblem } from './problems.js';
import { otherGpuQuotas } from './resourcequota.js';
import { describeResource, rowKey, type ResourceTable } from './resources.js';
import { rowEnforcement } from './scheduler.js';

export async function projectView(
  ctx: QuotaContext,
  caller: Caller,
  namespace: string,
  extraWarnings: FieldProblem[] = [],
): Promise<ProjectGpuQuota> {
  const { kube, table } = ctx;
  const [project, records] = await Promise.all([
    readCurrentProject(ctx, namespace),
    kube.ownConfigMaps(PROJECT_RECORD_SELECTOR),
  ]);
  const { read, choice, workspace } = project;
  const holding = allHoldings(decodeRecords(records), read.quota ? [read.quota] : [], table).get(namespace);
  const heldRows = holding?.rows ?? [];
  const who = await ctx.authority(caller, workspace);
  const workspaceHasQuota =
    who === 'workspace' && workspace !== undefined && (await ctx.workspaces.read(workspace)).rows.length > 0;
  const warnings: FieldProblem[] = [
    ...extraWarnings,
    ...(holding?.mismatch ?? []),
    ...read.drift,
    ...otherGpuQuotas(project.quotas, heldRows, table),
  ];
  const rows = enforcedRows(project, heldRows, namespace, table, warnings);
  return {
    namespace,
    ...(workspace ? { workspace } : {}),
    enforcer: ctx.answers.enforcerInfo(choice, caller.lang),
    rows,
    unlimitedUse: unlimitedUse(project.used, heldRows),
    blocked: project.blocked,
    warnings: warnings.map((w) => ctx.answers.localize(caller.lang, w)),
    canEdit: mayEditProject(who, workspaceHasQuota),
    canOvercommit: who === 'cluster',
  };
}

/**
 * The held rows with use, pending work and enforcement; adds to `warnings` that base is not enforced (once,
 * at the first row with a base) and, once, that a pinned enforcer is not installed.
 */
function enforcedRows(
  project: CurrentProject,
  heldRows: readonly QuotaRow[],
  namespace: string,
  table: ResourceTable,
  warnings: FieldProblem[],
): ProjectGpuQuota['rows'] {
  const { choice, used } = project;
  const pending = pendingByNamespace(project.blocked).get(namespace) ?? new Map<string, number>();
  let baseNotEnforced = false;
  const rows = heldRows.map((row, index) => {
    const enforcement = rowEnforcement(row, choice, `spec.resources[${index}]`, table);
    if (enforcement.base.state === 'recorded' && row.base > 0 && !baseNotEnforced) {
      baseNotEnforced = true;
      warnings.push(
        enforcement.base.problem ??
          problem(`spec.resources[${index}].base`, 'GPU_QUOTA_BASE_NOT_ENFORCED', {}),
      );
    }
    const key = rowKey(row.resource, row.model);
    return {
      ...contractRow(row),
      used: used.get(key) ?? 0,
      pending: pending.get(key) ?? pending.get(row.resource) ?? 0,
      unit: describeResource(row.resource, table)?.unit ?? 'device',
      enforcement: {
        base: { state: enforcement.base.state, by: enforcement.base.by },
        max: { state: enforcement.max.state, by: enforcement.max.by },
      },
    };
  });
  // A pinned enforcer that is not installed is said once, at the first row's base if one has a base.
  if (choice.problem && !warnings.some((w) => w.code === choice.problem!.code)) warnings.push(choice.problem);
  return rows;
}

/** Use of GPU resources the project's quota does not limit (resource totals only). */
function unlimitedUse(
  used: ReadonlyMap<string, number>,
  heldRows: readonly QuotaRow[],
): Record<string, number> {
  const limited = new Set(heldRows.map((r) => r.resource));
  const unlimited: Record<string, number> = {};
  for (const [key, value] of used)
    if (!key.includes('@') && !limited.has(key) && value > 0) unlimited[key] = value;
  return unlimited;
}
