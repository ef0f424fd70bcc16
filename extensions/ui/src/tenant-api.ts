// KubeSphere's own tenant API (tenant.kubesphere.io): not ours, so no route spec of ours types it.
import { clusterPrefix } from './api-client.js';

/** KubeSphere's project list: of one workspace, or every project the caller can see. */
export const projectsPath = (opts: { workspace?: string; cluster?: string }) =>
  opts.workspace
    ? `${clusterPrefix(opts.cluster)}/kapis/tenant.kubesphere.io/v1beta1/workspaces/${encodeURIComponent(opts.workspace)}/namespaces`
    : `${clusterPrefix(opts.cluster)}/kapis/tenant.kubesphere.io/v1beta1/namespaces`;
