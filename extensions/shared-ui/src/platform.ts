// Paths and row shaping for the platform API (`platform.ks-gpu-ml.io`, served by our backend through
// ks-apiserver). Types come from @ks-gpu-ml/contracts (type-only imports: the schemas stay out of the bundle).
import type { CapabilityList, FeatureList } from '@ks-gpu-ml/contracts';

export const PLATFORM_API = '/kapis/platform.ks-gpu-ml.io/v1alpha1';

/** Prefix for a member cluster's API ("" for the current/host context). */
export const clusterPrefix = (cluster?: string) =>
  cluster ? `/clusters/${encodeURIComponent(cluster)}` : '';

export const featuresPath = (cluster?: string) => `${clusterPrefix(cluster)}${PLATFORM_API}/features`;

export const namespaceCapabilitiesPath = (namespace: string, cluster?: string) =>
  `${clusterPrefix(cluster)}${PLATFORM_API}/namespaces/${encodeURIComponent(namespace)}/capabilities`;

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
