// Saving a workspace's GPU quota (docs/adr/0013): a cluster-level role only; under the write lock, refused
// (409) when it would leave less than its projects already hold. Returns the warnings the answer carries.
import type { GpuQuotaRowInput } from '@ks-gpu-ml/contracts';
import { forbidden } from './answers.js';
import type { Caller, QuotaContext } from './context.js';
import { sortRows } from './model.js';
import type { FieldProblem } from './problems.js';
import { acceptedRows } from './save-input.js';
import { checkWorkspaceAgainstProjects } from './workspace.js';

export async function saveWorkspaceQuota(
  ctx: QuotaContext,
  caller: Caller,
  workspace: string,
  body: { resources: GpuQuotaRowInput[] },
): Promise<FieldProblem[]> {
  const { rows, warnings } = acceptedRows(ctx, caller.lang, body.resources, {
    scope: 'workspace',
    name: workspace,
    catalogue: await ctx.catalogue(),
  });
  if ((await ctx.authority(caller, undefined)) !== 'cluster')
    throw forbidden('GPU_QUOTA_FORBIDDEN_WORKSPACE', { user: caller.user.name, workspace });
  const kept = await ctx.writeLock(async (claim) => {
    const [stored, { projects }] = await Promise.all([
      ctx.workspaces.read(workspace),
      ctx.holdings.ofWorkspace(workspace),
    ]);
    const problems = checkWorkspaceAgainstProjects(workspace, rows, projects);
    if (problems.length > 0) throw ctx.answers.refuse(caller.lang, problems, 409);
    await claim();
    return ctx.workspaces.write(workspace, stored.storage, sortRows(rows));
  });
  return [...warnings, ...kept];
}
