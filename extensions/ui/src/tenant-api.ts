// KubeSphere's own tenant API (tenant.kubesphere.io): not ours, so no route spec of ours types it.
import { clusterPrefix } from './api-client.js';
import { useApi } from './use-api.js';

/** KubeSphere's project list: of one workspace, or every project the caller can see. */
export const projectsPath = (opts: { workspace?: string; cluster?: string }) =>
  opts.workspace
    ? `${clusterPrefix(opts.cluster)}/kapis/tenant.kubesphere.io/v1beta1/workspaces/${encodeURIComponent(opts.workspace)}/namespaces`
    : `${clusterPrefix(opts.cluster)}/kapis/tenant.kubesphere.io/v1beta1/namespaces`;

/** KubeSphere's answer to "which projects of this workspace may I see" (a member gets only its own). */
export interface TenantProjectList {
  items: { metadata: { name: string } }[];
}

/** The caller's projects of a workspace, as KubeSphere answers them for the caller. */
export const useTenantProjects = (workspace: string, cluster?: string) =>
  useApi<TenantProjectList>(projectsPath({ workspace, ...(cluster ? { cluster } : {}) }));
