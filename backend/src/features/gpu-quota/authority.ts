// Who may set which GPU quota, as a cloud provider would (docs/adr/0013):
// - a cluster-level role (update gpuquotas at cluster scope): workspace quotas, any project quota, and an
//   explicit over-commitment of the cluster's guarantee;
// - a workspace's admin (update gpuquotas in the workspace): its projects' quotas, within the workspace quota;
// - a project's own roles, admin included: nothing; a project never raises its own quota.
// The route's own check (update gpuquotas in the namespace) only lets the request in; this decides.
import { gpuQuotaAuthority } from '@ks-gpu-ml/contracts';
import type { Authorizer } from '../../platform/authz.js';
import type { Identity } from '../../platform/identity.js';

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
