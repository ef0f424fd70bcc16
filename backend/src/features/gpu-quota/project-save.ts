// Saving a project's GPU quota (docs/adr/0013): validate, decide the caller's authority, then under the write
// lock: the workspace's line and split, the cluster's guarantee, nobody else's queue in the way, and the write
// with its undo (project-write.ts). Returns the warnings the answer carries.
import type { GpuQuotaUpdate } from '@ks-gpu-ml/contracts';
import { acceptedOvercommit, forbidden } from './answers.js';
import {
  outsideWorkspaceReason,
  projectSaveRefusal,
  type Authority,
  type OutsideReason,
} from './authority.js';
import type { Caller, QuotaContext } from './context.js';
import { readCurrentProject } from './current-project.js';
import { overcommitProblems, type Holding } from './holdings.js';
import type { QuotaRow } from './model.js';
import type { FieldProblem } from './problems.js';
import { foreignInTheWay } from './project-queues.js';
import { writeProjectQuota } from './project-write.js';
import { acceptedRows } from './save-input.js';
import { checkProjectInWorkspace } from './workspace.js';

export async function saveProjectQuota(
  ctx: QuotaContext,
  caller: Caller,
  namespace: string,
  body: GpuQuotaUpdate,
): Promise<FieldProblem[]> {
  const { kube, table } = ctx;
  const project = await readCurrentProject(ctx, namespace);
  const { rows, warnings } = acceptedRows(ctx, caller.lang, body.resources, {
    scope: 'project',
    name: namespace,
    catalogue: project.catalogue,
    used: project.used,
    force: body.force === true,
  });

  const who = await ctx.authority(caller, project.workspace);
  const overcommitAsked = body.allowBaseOvercommit === true;
  const refusal = projectSaveRefusal(who, { overcommit: overcommitAsked });
  if (refusal) throw forbidden(refusal, { user: caller.user.name, namespace });

  const written = await ctx.writeLock(async (claim) => {
    const holdings = await ctx.holdings.all({ collect: true });
    const previous = holdings.get(namespace)?.rows ?? [];
    const save = { who, namespace, workspace: project.workspace, rows, previous };
    await checkAgainstWorkspace(ctx, caller, save, holdings);
    const overcommit = overcommitProblems({ catalogue: project.catalogue, holdings, namespace, rows });
    if (overcommit.length > 0 && !overcommitAsked) throw ctx.answers.refuse(caller.lang, overcommit, 409);
    const inTheWay = await foreignInTheWay(kube, table, { namespace, rows, choice: project.choice });
    if (inTheWay.length > 0) throw ctx.answers.refuse(caller.lang, inTheWay, 409);
    const kept = await writeProjectQuota(kube, table, {
      namespace,
      previous,
      rows,
      quotaExists: project.read.quota !== undefined,
      choice: project.choice,
      claim,
    });
    return [...overcommit.map(acceptedOvercommit), ...kept];
  });
  return [...warnings, ...written];
}

/**
 * The workspace's part of a project save: the authority line a workspace admin may not cross (403), and the
 * workspace's split (409 naming the holders when it overflows).
 */
async function checkAgainstWorkspace(
  ctx: QuotaContext,
  caller: Caller,
  save: {
    who: Authority;
    namespace: string;
    workspace: string | undefined;
    rows: QuotaRow[];
    previous: readonly QuotaRow[];
  },
  holdings: ReadonlyMap<string, Holding>,
): Promise<void> {
  const { namespace, workspace, rows } = save;
  const outside = (why: OutsideReason) =>
    forbidden('GPU_QUOTA_FORBIDDEN_OUTSIDE_WORKSPACE_QUOTA', {
      user: caller.user.name,
      namespace,
      reason: ctx.answers.text(caller.lang, why.code, why.params),
    });
  if (!workspace) {
    const reason = outsideWorkspaceReason({ ...save, workspaceRows: [] });
    if (reason) throw outside(reason);
    return;
  }
  const [stored, { projects }] = await Promise.all([
    ctx.workspaces.read(workspace),
    ctx.holdings.ofWorkspace(workspace, holdings),
  ]);
  const reason = outsideWorkspaceReason({ ...save, workspaceRows: stored.rows });
  if (reason) throw outside(reason);
  if (stored.rows.length === 0) return;
  const problems = checkProjectInWorkspace({
    workspace,
    workspaceRows: stored.rows,
    projects,
    namespace,
    rows,
  });
  if (problems.length > 0) {
    const overflow = problems.some((p) => p.code === 'GPU_QUOTA_WORKSPACE_OVERFLOW');
    throw ctx.answers.refuse(caller.lang, problems, overflow ? 409 : 400);
  }
}
