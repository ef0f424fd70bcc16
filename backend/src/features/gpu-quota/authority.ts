// Who may set which GPU quota, as a cloud provider would (docs/adr/0013):
// - a cluster-level role (update gpuquotas at cluster scope): workspace quotas, any project quota, and an
//   explicit over-commitment of the cluster's guarantee;
// - a workspace's admin (update gpuquotas in the workspace): its projects' quotas, within the workspace quota;
// - a project's own roles, admin included: nothing; a project never raises its own quota.
// The route's own check (update gpuquotas in the namespace) only lets the request in; this decides.
import { gpuQuotaAuthority } from '@ks-gpu-ml/contracts';
import type { Authorizer } from '../../core/authz.js';
import type { Identity } from '../../core/identity.js';
import type { QuotaRow } from './model.js';
import { rowsOutsideWorkspace } from './workspace.js';

export type Authority = 'cluster' | 'workspace' | 'none';

export interface AuthorityCaller {
  user: Identity;
  token: string;
}

/** The caller's authority over the quotas of `workspace` (undefined: a project in no workspace). */
export function authorityOf(authorizer: Authorizer) {
  const allowed = async (
    caller: AuthorityCaller,
    check: (typeof gpuQuotaAuthority)[keyof typeof gpuQuotaAuthority],
    scopeName?: string,
  ) =>
    (
      await authorizer.authorize({
        user: caller.user,
        token: caller.token,
        verb: check.verb,
        group: check.group,
        resource: check.resource,
        scope: check.scope,
        ...(scopeName !== undefined ? { scopeName } : {}),
      })
    ).allowed;

  return async (caller: AuthorityCaller, workspace: string | undefined): Promise<Authority> => {
    if (await allowed(caller, gpuQuotaAuthority.cluster)) return 'cluster';
    if (workspace && (await allowed(caller, gpuQuotaAuthority.workspace, workspace))) return 'workspace';
    return 'none';
  };
}

/** The 403 a project save gets before anything is read, by the caller's authority; undefined: it may go on. */
export function projectSaveRefusal(
  who: Authority,
  request: { overcommit: boolean },
): 'GPU_QUOTA_FORBIDDEN_OWN_PROJECT' | 'GPU_QUOTA_FORBIDDEN_OVERCOMMIT' | undefined {
  if (who === 'none') return 'GPU_QUOTA_FORBIDDEN_OWN_PROJECT';
  if (request.overcommit && who !== 'cluster') return 'GPU_QUOTA_FORBIDDEN_OVERCOMMIT';
  return undefined;
}

/** Why a save is outside a workspace admin's line: a locale key (locales/<lang>/backend.json) and its params. */
export interface OutsideReason {
  code:
    | 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE'
    | 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE_QUOTA'
    | 'GPU_QUOTA_OUTSIDE_NOT_COVERED';
  params: Record<string, string>;
}

/**
 * Why a save crosses the line a workspace admin may not cross (the reason of
 * GPU_QUOTA_FORBIDDEN_OUTSIDE_WORKSPACE_QUOTA): a project in no workspace, a workspace without a GPU quota, or
 * a row raising a resource the workspace quota does not govern. Undefined: within the line.
 */
export function outsideWorkspaceReason(save: {
  who: Authority;
  workspace: string | undefined;
  workspaceRows: readonly QuotaRow[];
  rows: readonly QuotaRow[];
  previous: readonly QuotaRow[];
}): OutsideReason | undefined {
  const { who, workspace, workspaceRows, rows } = save;
  if (who === 'cluster') return undefined;
  if (!workspace) return { code: 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE', params: {} };
  if (workspaceRows.length === 0 && rows.length > 0)
    return { code: 'GPU_QUOTA_OUTSIDE_NO_WORKSPACE_QUOTA', params: { workspace } };
  const beyond = rowsOutsideWorkspace(workspaceRows, rows, save.previous);
  if (beyond.length > 0)
    return { code: 'GPU_QUOTA_OUTSIDE_NOT_COVERED', params: { workspace, resource: beyond[0]!.resource } };
  return undefined;
}

/** Whether the project's editor is offered: a workspace admin saves only within a workspace quota. */
export const mayEditProject = (who: Authority, workspaceHasQuota: boolean): boolean =>
  who === 'cluster' || (who === 'workspace' && workspaceHasQuota);
