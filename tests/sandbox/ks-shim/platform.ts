// KubeSphere-shaped objects for the platform endpoints the console's BFF and pages read
// (../../../../shared/reference/console-local.md §8). Pure builders; server.ts does the I/O.
import type { SandboxUser } from '../src/env.js';

export const HOST_CLUSTER = 'host';
export const KS_VERSION = {
  gitVersion: 'v4.1.3',
  gitMajor: '4',
  gitMinor: '1',
  gitCommit: 'ks-shim',
  gitTreeState: 'clean',
  buildDate: '2025-03-24T00:00:00Z',
  goVersion: 'n/a',
  compiler: 'ks-shim',
  platform: 'linux/amd64',
};
export const WORKSPACE_LABEL = 'kubesphere.io/workspace';
export const EXTENSION_REF = 'kubesphere.io/extension-ref';

/** KubeSphere's list answer for /kapis APIs (api.ListResult). */
export interface ListResult<T> {
  items: T[];
  totalItems: number;
}

/** `name` (substring), `sortBy=name|createTime` with `ascending`, `limit` and `page` as KubeSphere's query does. */
export function listResult<T extends { metadata?: { name?: string; creationTimestamp?: string } }>(
  items: T[],
  query: URLSearchParams,
): ListResult<T> {
  const name = query.get('name');
  let selected = name ? items.filter((i) => (i.metadata?.name ?? '').includes(name)) : [...items];
  const sortBy = query.get('sortBy') ?? 'createTime';
  const key = (i: T): string =>
    sortBy === 'name'
      ? (i.metadata?.name ?? '')
      : (i.metadata?.creationTimestamp ?? '') + (i.metadata?.name ?? '');
  selected.sort((a, b) => key(a).localeCompare(key(b)));
  if (query.get('ascending') !== 'true' && sortBy !== 'name') selected.reverse();
  const totalItems = selected.length;
  const limit = Number(query.get('limit') ?? '0');
  if (limit > 0) {
    const page = Math.max(1, Number(query.get('page') ?? '1'));
    selected = selected.slice((page - 1) * limit, page * limit);
  }
  return { items: selected, totalItems };
}

export const isPlatformAdmin = (user: SandboxUser): boolean => user.role === 'platform-admin';
export const globalRoleOf = (user: SandboxUser): string =>
  isPlatformAdmin(user) ? 'platform-admin' : 'platform-regular';

export function userObject(user: SandboxUser, created: string): Record<string, unknown> {
  return {
    apiVersion: 'iam.kubesphere.io/v1beta1',
    kind: 'User',
    metadata: {
      name: user.name,
      creationTimestamp: created,
      annotations: {
        'iam.kubesphere.io/globalrole': globalRoleOf(user),
        // No iam.kubesphere.io/granted-clusters: the 4.1.1 BFF embeds the user in the page as
        // JSON.parse(`<JSON>`), where the \" of a JSON-array value turns into " and breaks the page
        // ("globals is not defined", blank console). Optional for the console (console-local.md §8).
        'kubesphere.io/creator': 'admin',
      },
      labels: { 'kubesphere.io/user-type': 'local' },
    },
    // No spec.lang: the console then follows the browser's language (a user who never chose one).
    spec: { email: `${user.name}@sandbox.local` },
    status: { state: 'Active', lastLoginTime: created },
  };
}

export function globalRoles(created: string): Record<string, unknown>[] {
  return ['platform-admin', 'platform-regular', 'platform-self-provisioner'].map((name) => ({
    apiVersion: 'iam.kubesphere.io/v1beta1',
    kind: 'GlobalRole',
    metadata: {
      name,
      creationTimestamp: created,
      annotations: { 'kubesphere.io/creator': 'admin', 'kubesphere.io/alias-name': name },
      labels: { 'iam.kubesphere.io/role-template': 'true' },
    },
    rules: [],
  }));
}

export function clusterObject(opts: {
  kubernetesVersion: string;
  nodeCount: number;
  created: string;
}): Record<string, unknown> {
  return {
    apiVersion: 'cluster.kubesphere.io/v1alpha1',
    kind: 'Cluster',
    metadata: {
      name: HOST_CLUSTER,
      uid: '00000000-0000-4000-8000-000000000001',
      creationTimestamp: opts.created,
      labels: { 'cluster-role.kubesphere.io/host': '', 'kubesphere.io/managed': 'true' },
      annotations: { 'kubesphere.io/alias-name': 'host', 'kubesphere.io/description': 'ks-gpu-ml sandbox' },
    },
    spec: { provider: 'sandbox', enable: true, joinFederation: false, connection: { type: 'direct' } },
    status: {
      conditions: [
        { type: 'Initialized', status: 'True', reason: 'Initialized', lastUpdateTime: opts.created },
        { type: 'Ready', status: 'True', reason: 'Ready', lastUpdateTime: opts.created },
      ],
      kubernetesVersion: opts.kubernetesVersion,
      kubeSphereVersion: KS_VERSION.gitVersion,
      nodeCount: opts.nodeCount,
      configz: configz(),
      uid: '00000000-0000-4000-8000-000000000001',
    },
  };
}

/** What a 4.1 host answers: the console treats the cluster as multicluster host (console-local.md §7). */
export function configz(): Record<string, unknown> {
  return {
    multicluster: { clusterRole: 'host', hostClusterName: HOST_CLUSTER, enable: true },
    monitoring: { enabled: false },
    terminal: { enabled: false },
  };
}

export function workspaceTemplateObject(
  name: string,
  created: string,
  from?: Record<string, unknown>,
): Record<string, unknown> {
  if (from) return from;
  return {
    apiVersion: 'tenant.kubesphere.io/v1beta1',
    kind: 'WorkspaceTemplate',
    metadata: {
      name,
      creationTimestamp: created,
      annotations: { 'kubesphere.io/creator': 'admin', 'kubesphere.io/alias-name': name },
      labels: { 'kubefed.io/managed': 'false' },
    },
    spec: { template: { spec: { manager: 'admin' } }, placement: { clusters: [{ name: HOST_CLUSTER }] } },
  };
}

/** The Workspace a WorkspaceTemplate stands for (what /kapis/tenant.kubesphere.io/v1beta1/workspaces lists). */
export function workspaceObject(template: Record<string, unknown>): Record<string, unknown> {
  const meta = (template.metadata ?? {}) as Record<string, unknown>;
  const spec = (
    (template.spec as Record<string, unknown> | undefined)?.template as { spec?: unknown } | undefined
  )?.spec;
  return {
    apiVersion: 'tenant.kubesphere.io/v1beta1',
    kind: 'Workspace',
    metadata: {
      name: meta.name,
      creationTimestamp: meta.creationTimestamp,
      annotations: meta.annotations ?? {},
      labels: meta.labels ?? {},
    },
    spec: spec ?? { manager: 'admin' },
  };
}

// ---------------------------------------------------------------------------------------------------------
// Role templates. The console decides which menus and actions to show from the RoleTemplates a user has
// per scope (annotation iam.kubesphere.io/role-template-rules = {module: action}). The sandbox has no
// KubeSphere IAM, so they are derived from the user's sandbox role:
//
//   scope       platform-admin  workspace-admin (its ws / its ws's namespaces)  project-member (its ns)  project-viewer (its ns)
//   global      admin           regular                                         regular                  regular
//   cluster     admin           none                                            none                     none
//   workspace   admin           admin                                           regular (its ns's ws)    regular (its ns's ws)
//   namespace   admin           admin                                           operator                 viewer
//
// admin = every module at "manage" (plus "view"/"create"), operator = workloads manage + settings/members/roles view,
// viewer = every module view, regular = the basic templates KubeSphere aggregates to every member, none = [].
// RoleTemplate objects installed in the cluster (iam.kubesphere.io/v1beta1, e.g. by our charts) are added:
// all of a scope for admin, and by their aggregate-to-<role> labels for the other grants.

export type Scope = 'global' | 'cluster' | 'workspace' | 'namespace';
export type Grant = 'admin' | 'operator' | 'viewer' | 'regular' | 'none';

export interface ScopeTarget {
  workspace?: string;
  namespace?: string;
  /** The workspace the target namespace belongs to (label kubesphere.io/workspace). */
  namespaceWorkspace?: string;
  /** The workspace of the user's own namespace (project members and viewers). */
  userNamespaceWorkspace?: string;
}

export function grantFor(user: SandboxUser, scope: Scope, target: ScopeTarget = {}): Grant {
  if (isPlatformAdmin(user)) return 'admin';
  switch (scope) {
    case 'global':
      return 'regular';
    case 'cluster':
      return 'none';
    case 'workspace':
      if (user.role === 'workspace-admin') return target.workspace === user.workspace ? 'admin' : 'none';
      return target.workspace !== undefined && target.workspace === target.userNamespaceWorkspace
        ? 'regular'
        : 'none';
    case 'namespace':
      if (user.role === 'workspace-admin') {
        return target.namespaceWorkspace !== undefined && target.namespaceWorkspace === user.workspace
          ? 'admin'
          : 'none';
      }
      if (target.namespace === undefined || target.namespace !== user.namespace) return 'none';
      return user.role === 'project-member' ? 'operator' : 'viewer';
  }
}

const workloadModules = [
  'deployments',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'pods',
  'services',
  'ingresses',
  'configmaps',
  'secrets',
  'serviceaccounts',
];

/** Built-in templates: name -> {module: action}, per scope and grant. */
const builtin: Record<Scope, Partial<Record<Grant, Record<string, Record<string, string>>>>> = {
  global: {
    admin: {
      'global-create-workspaces': { workspaces: 'create' },
      'global-view-workspaces': { workspaces: 'view' },
      'global-manage-workspaces': { workspaces: 'manage' },
      'global-view-clusters': { clusters: 'view' },
      'global-manage-clusters': { clusters: 'manage' },
      'global-manage-platform-settings': { 'platform-settings': 'manage' },
      'global-view-roles': { roles: 'view' },
      'global-manage-roles': { roles: 'manage' },
      'global-view-users': { users: 'view' },
      'global-manage-users': { users: 'manage' },
    },
  },
  cluster: {
    admin: {
      'cluster-view-cluster-settings': { 'cluster-settings': 'view' },
      'cluster-manage-cluster-settings': { 'cluster-settings': 'manage' },
      'cluster-view-crds': { customresources: 'view' },
      'cluster-manage-crds': { customresources: 'manage' },
      'cluster-view-members': { members: 'view' },
      'cluster-manage-members': { members: 'manage' },
      'cluster-view-roles': { roles: 'view' },
      'cluster-manage-roles': { roles: 'manage' },
      'cluster-view-nodes': { nodes: 'view' },
      'cluster-manage-nodes': { nodes: 'manage' },
      'cluster-view-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'view'])),
      'cluster-manage-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'manage'])),
      'cluster-view-projects': { projects: 'view' },
      'cluster-manage-projects': { projects: 'manage' },
      'cluster-view-storageclasses': { storageclasses: 'view' },
      'cluster-manage-storageclasses': { storageclasses: 'manage' },
      'cluster-view-persistentvolumeclaims': { persistentvolumeclaims: 'view' },
      'cluster-manage-persistentvolumeclaims': { persistentvolumeclaims: 'manage' },
      'cluster-view-components': { components: 'view' },
    },
  },
  workspace: {
    admin: {
      'workspace-view-workspace-settings': { 'workspace-settings': 'view' },
      'workspace-manage-workspace-settings': { 'workspace-settings': 'manage' },
      'workspace-create-projects': { projects: 'create' },
      'workspace-view-projects': { projects: 'view' },
      'workspace-manage-projects': { projects: 'manage' },
      'workspace-view-members': { members: 'view' },
      'workspace-manage-members': { members: 'manage' },
      'workspace-view-roles': { roles: 'view' },
      'workspace-manage-roles': { roles: 'manage' },
    },
    regular: {
      'workspace-view-workspace-settings': { 'workspace-settings': 'view' },
    },
  },
  namespace: {
    admin: {
      'namespace-view-project-settings': { 'project-settings': 'view' },
      'namespace-manage-project-settings': { 'project-settings': 'manage' },
      'namespace-view-members': { members: 'view' },
      'namespace-manage-members': { members: 'manage' },
      'namespace-view-roles': { roles: 'view' },
      'namespace-manage-roles': { roles: 'manage' },
      'namespace-view-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'view'])),
      'namespace-manage-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'manage'])),
      'namespace-view-persistentvolumeclaims': { persistentvolumeclaims: 'view' },
      'namespace-manage-persistentvolumeclaims': { persistentvolumeclaims: 'manage' },
    },
    operator: {
      'namespace-view-project-settings': { 'project-settings': 'view' },
      'namespace-view-members': { members: 'view' },
      'namespace-view-roles': { roles: 'view' },
      'namespace-view-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'view'])),
      'namespace-manage-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'manage'])),
      'namespace-view-persistentvolumeclaims': { persistentvolumeclaims: 'view' },
      'namespace-manage-persistentvolumeclaims': { persistentvolumeclaims: 'manage' },
    },
    viewer: {
      'namespace-view-project-settings': { 'project-settings': 'view' },
      'namespace-view-members': { members: 'view' },
      'namespace-view-roles': { roles: 'view' },
      'namespace-view-app-workloads': Object.fromEntries(workloadModules.map((m) => [m, 'view'])),
      'namespace-view-persistentvolumeclaims': { persistentvolumeclaims: 'view' },
    },
  },
};

/** The aggregate-to-<x> labels (values "") that give a cluster RoleTemplate to a grant other than admin. */
const aggregationLabels: Record<Exclude<Grant, 'admin' | 'none'>, string[]> = {
  operator: ['iam.kubesphere.io/aggregate-to-operator', 'iam.kubesphere.io/aggregate-to-viewer'],
  viewer: ['iam.kubesphere.io/aggregate-to-viewer'],
  regular: ['iam.kubesphere.io/aggregate-to-regular', 'iam.kubesphere.io/aggregate-to-authenticated'],
};

export interface RoleTemplateObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: unknown;
}

export function roleTemplates(
  scope: Scope,
  grant: Grant,
  installed: RoleTemplateObject[] = [],
): RoleTemplateObject[] {
  if (grant === 'none') return [];
  const out: RoleTemplateObject[] = Object.entries(builtin[scope][grant] ?? {}).map(([name, rules]) => ({
    apiVersion: 'iam.kubesphere.io/v1beta1',
    kind: 'RoleTemplate',
    metadata: {
      name,
      labels: { 'iam.kubesphere.io/scope': scope, 'kubesphere.io/managed': 'true' },
      annotations: { 'iam.kubesphere.io/role-template-rules': JSON.stringify(rules) },
    },
    spec: { rules: [] },
  }));
  const names = new Set(out.map((t) => t.metadata.name));
  for (const template of installed) {
    const labels = template.metadata.labels ?? {};
    if (labels['iam.kubesphere.io/scope'] !== scope || names.has(template.metadata.name)) continue;
    if (grant === 'admin' || aggregationLabels[grant].some((l) => l in labels)) out.push(template);
  }
  return out;
}

/** A JSBundle for an extension built into `<dist-dir>/<ext>/index.js` without a JSBundle object in the cluster. */
export function distJsBundle(ext: string, resourceVersion: string): Record<string, unknown> {
  return {
    apiVersion: 'extensions.kubesphere.io/v1alpha1',
    kind: 'JSBundle',
    metadata: { name: `${ext}-dist`, labels: { [EXTENSION_REF]: ext }, resourceVersion },
    spec: {},
    status: { link: `/dist/${ext}/index.js`, state: 'Available' },
  };
}

export function emptyList(apiVersion: string, kind: string): Record<string, unknown> {
  return { apiVersion, kind, metadata: { resourceVersion: '0' }, items: [] };
}

/** `/kapis/tenant.kubesphere.io/v1beta1/metrics`: the platform counters the dashboard cards show. */
export function platformMetrics(counts: Record<string, number>, now = Date.now()): Record<string, unknown> {
  return {
    results: Object.entries(counts).map(([metric_name, value]) => ({
      metric_name,
      data: { resultType: 'vector', result: [{ metric: {}, value: [now / 1000, String(value)] }] },
    })),
  };
}
