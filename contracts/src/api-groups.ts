/**
 * API groups and URL builders shared by the backend and the console extensions.
 *
 * Every feature serves its own group `<feature>.ks-gpu-ml.io`, version `v1alpha1`, under `/kapis`, because
 * ks-apiserver proxies `/kapis/<group>/<version>/...` to the APIService registered for that group and authorizes
 * the path with KubeSphere IAM first (kubesphere-extensions.md §3.2). See docs/adr/0003.
 */

/** The product features; each one is an extension, an API group and a backend plugin. */
export const FEATURE_NAMES = ['gpu-quota', 'gpu-monitoring', 'cmdb-alerting', 'ml-apps'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export const GROUP_DOMAIN = 'ks-gpu-ml.io';
export const API_VERSION = 'v1alpha1';

/** The core's own group: always served, whatever FEATURES says. */
export const PLATFORM_GROUP = `platform.${GROUP_DOMAIN}`;

export const groupOf = (feature: FeatureName | 'platform'): string => `${feature}.${GROUP_DOMAIN}`;

/** Where a request is scoped, as KubeSphere's RequestInfo derives it from the path. */
export type Scope = 'cluster' | 'workspace' | 'namespace';

export interface ResourcePath {
  group: string;
  scope: Scope;
  /** Workspace name when scope is `workspace`, namespace name when scope is `namespace`. */
  scopeName?: string;
  resource: string;
  name?: string;
  subresource?: string;
}

/**
 * Builds `/kapis/<group>/v1alpha1/[workspaces/{ws}/ | namespaces/{ns}/]<resource>[/{name}[/<subresource>]]`;
 * `seg` writes the scope's name and the object's name into the path: escaped as one segment by default, as a
 * placeholder for the route templates (routes.ts).
 */
export function kapisPath(p: ResourcePath, seg: (name: string) => string = encodeURIComponent): string {
  let path = `/kapis/${p.group}/${API_VERSION}`;
  if (p.scope !== 'cluster') {
    if (!p.scopeName) throw new Error(`kapisPath: ${p.scope} scope needs a scopeName`);
    path += `/${p.scope === 'workspace' ? 'workspaces' : 'namespaces'}/${seg(p.scopeName)}`;
  }
  path += `/${p.resource}`;
  if (p.name !== undefined) path += `/${seg(p.name)}`;
  if (p.subresource !== undefined) {
    if (p.name === undefined) throw new Error('kapisPath: a subresource needs a name');
    path += `/${p.subresource}`;
  }
  return path;
}
