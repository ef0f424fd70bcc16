// ks-apiserver authorizes /kapis/<group>/... with KubeSphere IAM before proxying it. The sandbox has only
// Kubernetes RBAC, so the shim asks kube-apiserver an authorization.k8s.io/v1 SubjectAccessReview instead,
// with the attributes below. Kubernetes RBAC has no workspaces, so workspace scope is expressed as the
// subresource of a cluster-scoped `workspaces` resource of the same API group, named after the workspace:
//   /kapis/<g>/<v>/workspaces/{ws}/<resource>[/...]   -> {verb, group: g, resource: workspaces, subresource: <resource>, name: ws}
//   /kapis/<g>/<v>/namespaces/{ns}/<resource>[/{name}[/<sub>]] -> {namespace: ns, verb, group, resource, subresource, name}
//   /kapis/<g>/<v>/<resource>[/{name}[/<sub>]]          -> the same without a namespace (cluster scope)
//   /kapis/<g>/<v>                                        -> nonResourceAttributes {path, verb: lower-case method}
import type { RequestInfo } from './requestinfo.js';

export interface ResourceAttributes {
  namespace?: string;
  verb: string;
  group: string;
  version?: string;
  resource: string;
  subresource?: string;
  name?: string;
}

export interface NonResourceAttributes {
  path: string;
  verb: string;
}

export interface SubjectAccessReviewSpec {
  user: string;
  groups: string[];
  resourceAttributes?: ResourceAttributes;
  nonResourceAttributes?: NonResourceAttributes;
}

export interface SubjectAccessReview {
  apiVersion: 'authorization.k8s.io/v1';
  kind: 'SubjectAccessReview';
  spec: SubjectAccessReviewSpec;
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** The Kubernetes attributes that stand for a KubeSphere request (see the mapping at the top of this file). */
export function sarAttributes(
  info: RequestInfo,
): Pick<SubjectAccessReviewSpec, 'resourceAttributes' | 'nonResourceAttributes'> {
  if (!info.isResourceRequest) {
    // Kubernetes RBAC writes non-resource verbs in lower case (get, post, ...); KubeSphere keeps the HTTP method.
    return { nonResourceAttributes: { path: info.path, verb: info.verb.toLowerCase() } };
  }
  const common = { verb: info.verb, group: info.apiGroup, version: info.apiVersion };
  if (info.scope === 'Namespace') {
    return {
      resourceAttributes: compact({
        ...common,
        namespace: info.namespace,
        resource: info.resource,
        subresource: info.subresource,
        name: info.name,
      }),
    };
  }
  if (info.scope === 'Workspace') {
    // The workspace object itself (/workspaces/{ws}) has resource "workspaces" already.
    const onWorkspace = info.resource === 'workspaces';
    return {
      resourceAttributes: compact({
        ...common,
        resource: 'workspaces',
        subresource: onWorkspace ? info.subresource : info.resource,
        name: info.workspace,
      }),
    };
  }
  return {
    resourceAttributes: compact({
      ...common,
      resource: info.resource,
      subresource: info.subresource,
      name: info.name,
    }),
  };
}

export function subjectAccessReview(user: string, groups: string[], info: RequestInfo): SubjectAccessReview {
  return {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SubjectAccessReview',
    spec: { user, groups, ...sarAttributes(info) },
  };
}

/** The message Kubernetes' responsewriters.Forbidden writes, extended with the workspace for workspace scope. */
export function forbiddenMessage(user: string, info: RequestInfo, reason = ''): string {
  const suffix = reason ? `: ${reason}` : '';
  if (!info.isResourceRequest) {
    return `forbidden: User "${user}" cannot ${info.verb.toLowerCase()} path "${info.path}"${suffix}`;
  }
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const groupResource = info.apiGroup ? `${info.resource}.${info.apiGroup}` : info.resource;
  const subject = info.name ? `${groupResource} "${info.name}"` : groupResource;
  const where =
    info.scope === 'Namespace'
      ? ` in the namespace "${info.namespace}"`
      : info.scope === 'Workspace'
        ? ` in the workspace "${info.workspace}"`
        : ' at the cluster scope';
  return `${subject} is forbidden: User "${user}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}"${where}${suffix}`;
}
