// What ks-apiserver's RequestInfo filter derives from a request (pkg/apiserver/request/requestinfo.go),
// reduced to what the shim needs: the verb, the scope (Global/Cluster/Workspace/Namespace), group,
// version, resource, subresource and name that authorization is decided on.

export type ResourceScope = 'Global' | 'Cluster' | 'Workspace' | 'Namespace';

export interface RequestInfo {
  /** The path after any `/clusters/<name>` prefix was removed. */
  path: string;
  /** The cluster named by a `/clusters/<name>` prefix, or '' without one. */
  cluster: string;
  isResourceRequest: boolean;
  /** `api`, `apis` or `kapis` for API requests, '' otherwise. */
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  /** Resource requests: get, list, watch, create, update, patch, delete, deletecollection (or proxy).
   *  Non-resource requests: the HTTP method, as ks-apiserver keeps it. */
  verb: string;
  workspace: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  scope: ResourceScope;
}

const apiPrefixes = new Set(['api', 'apis', 'kapis']);
const grouplessPrefixes = new Set(['api']);
const specialVerbs = new Set(['proxy', 'watch']);
const namespaceSubresources = new Set(['status', 'finalize']);
/** Resources ks-apiserver treats as Global scope (RequestInfoFactory.GlobalResources). */
const globalResources = new Set([
  'iam.kubesphere.io/users',
  'iam.kubesphere.io/globalroles',
  'iam.kubesphere.io/globalrolebindings',
  'tenant.kubesphere.io/workspaces',
  'tenant.kubesphere.io/workspacetemplates',
  'cluster.kubesphere.io/clusters',
  'cluster.kubesphere.io/labels',
]);

const clusterPrefix = /^\/clusters\/([^/]+)(\/(?:api|apis|kapis|version)(?:\/.*)?)$/;

/** Splits `/clusters/<name>/{api,apis,kapis,version}...` into the cluster name and the rest of the path. */
export function splitClusterPrefix(path: string): { cluster: string; path: string } {
  const match = clusterPrefix.exec(path);
  return match ? { cluster: match[1]!, path: match[2]! } : { cluster: '', path };
}

function splitPath(path: string): string[] {
  const trimmed = path.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? [] : trimmed.split('/');
}

function watchRequested(query: URLSearchParams): boolean {
  const value = query.get('watch');
  return value !== null && !['false', '0'].includes(value.toLowerCase());
}

/** `metadata.name=<x>` in a field selector names the object, as in Kubernetes' RequestInfo. */
function nameFromFieldSelector(query: URLSearchParams): string {
  for (const term of (query.get('fieldSelector') ?? '').split(',')) {
    const match = /^metadata\.name==?([a-z0-9.-]+)$/.exec(term.trim());
    if (match) return match[1]!;
  }
  return '';
}

export function parseRequestInfo(method: string, url: string): RequestInfo {
  const parsed = new URL(url, 'http://shim.invalid');
  const { cluster, path } = splitClusterPrefix(parsed.pathname);
  const info: RequestInfo = {
    path,
    cluster,
    isResourceRequest: false,
    apiPrefix: '',
    apiGroup: '',
    apiVersion: '',
    verb: method.toUpperCase(),
    workspace: '',
    namespace: '',
    resource: '',
    subresource: '',
    name: '',
    scope: 'Cluster',
  };

  let parts = splitPath(path);
  if (parts.length < 3 || !apiPrefixes.has(parts[0]!)) return info;
  info.apiPrefix = parts[0]!;
  parts = parts.slice(1);

  if (!grouplessPrefixes.has(info.apiPrefix)) {
    // "do we have four parts?" (the prefix is already consumed): /kapis/<group>/<version> alone is non-resource
    if (parts.length < 3) return info;
    info.apiGroup = parts[0]!;
    parts = parts.slice(1);
  }

  info.isResourceRequest = true;
  info.apiVersion = parts[0]!;
  parts = parts.slice(1);

  if (specialVerbs.has(parts[0]!)) {
    info.verb = parts[0]!;
    parts = parts.slice(1);
  } else {
    info.verb =
      { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' }[
        method.toUpperCase()
      ] ?? '';
  }

  if (parts[0] === 'workspaces') {
    if (parts.length > 1) info.workspace = parts[1]!;
    if (parts.length > 2) parts = parts.slice(2);
  }
  if (parts[0] === 'namespaces') {
    if (parts.length > 1) {
      info.namespace = parts[1]!;
      if (parts.length > 2 && !namespaceSubresources.has(parts[2]!)) parts = parts.slice(2);
    }
  }

  if (parts.length >= 3 && info.verb !== 'proxy') info.subresource = parts[2]!;
  if (parts.length >= 2) info.name = parts[1]!;
  if (parts.length >= 1) info.resource = parts[0]!;

  if (info.name === '' && info.verb === 'get') {
    info.verb = watchRequested(parsed.searchParams) ? 'watch' : 'list';
    info.name = nameFromFieldSelector(parsed.searchParams);
  }
  if (info.name === '' && info.verb === 'delete') info.verb = 'deletecollection';

  info.scope = globalResources.has(`${info.apiGroup}/${info.resource}`)
    ? 'Global'
    : info.namespace !== ''
      ? 'Namespace'
      : info.workspace !== ''
        ? 'Workspace'
        : 'Cluster';
  return info;
}
