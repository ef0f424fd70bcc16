// Row shaping for the platform API (`platform.ks-gpu-ml.io`, served by our backend through ks-apiserver; its
// calls go through the typed client by route spec), and the path of KubeSphere's own project list (no spec of ours).
import type { CapabilityList, FeatureList } from '@ks-gpu-ml/contracts';
import { clusterPrefix } from './api-client.js';

/** KubeSphere's project list: of one workspace, or every project the caller can see. */
export const projectsPath = (opts: { workspace?: string; cluster?: string }) =>
  opts.workspace
    ? `${clusterPrefix(opts.cluster)}/kapis/tenant.kubesphere.io/v1beta1/workspaces/${encodeURIComponent(opts.workspace)}/namespaces`
    : `${clusterPrefix(opts.cluster)}/kapis/tenant.kubesphere.io/v1beta1/namespaces`;

export interface CapabilityRow {
  key: string;
  project: string;
  resource: string;
  group: string;
  verbs: string;
}

export function capabilityRows(lists: readonly CapabilityList[]): CapabilityRow[] {
  return lists.flatMap((list) =>
    list.items.map((item) => {
      const resource = item.subresource ? `${item.resource}/${item.subresource}` : item.resource;
      return {
        key: `${list.scopeName}/${item.group}/${resource}`,
        project: list.scopeName,
        resource,
        group: item.group,
        verbs: item.verbs.join(', '),
      };
    }),
  );
}

export function featureStatus(list: FeatureList | undefined, feature: string) {
  return list?.items.find((f) => f.name === feature);
}
