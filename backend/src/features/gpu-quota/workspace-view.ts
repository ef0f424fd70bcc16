// A workspace's GPU quota page (GET, and the answer to a save): its rows split across its projects, the
// projects that hold something, and whether the caller may change it.
import type { WorkspaceGpuQuota } from '@ks-gpu-ml/contracts';
import { contractRow } from './answers.js';
import type { Caller, QuotaContext } from './context.js';
import type { FieldProblem } from './problems.js';
import { workspaceSplit } from './workspace.js';

export async function workspaceView(
  ctx: QuotaContext,
  caller: Caller,
  workspace: string,
  extraWarnings: FieldProblem[] = [],
): Promise<WorkspaceGpuQuota> {
  const [stored, { projects, mismatch }, canEdit] = await Promise.all([
    ctx.workspaces.read(workspace),
    ctx.holdings.ofWorkspace(workspace),
    // Only a cluster-level role sets a workspace's quota; its own admin sees it read-only.
    ctx.authority(caller, undefined).then((a) => a === 'cluster'),
  ]);
  return {
    workspace,
    storage: stored.storage,
    rows: workspaceSplit(stored.rows, projects),
    projects: projects
      .filter((p) => p.rows.length > 0)
      .map((p) => ({ namespace: p.namespace, rows: p.rows.map(contractRow) })),
    warnings: [...extraWarnings, ...mismatch].map((w) => ctx.answers.localize(caller.lang, w)),
    canEdit,
  };
}
