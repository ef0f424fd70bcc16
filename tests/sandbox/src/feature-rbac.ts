// Kubernetes RBAC for our API groups, derived from the backend's route table, so the sandbox (Kubernetes
// authorization mode) grants what KubeSphere's RoleTemplates would: project roles through aggregation into the
// built-in view/edit/admin ClusterRoles, cluster routes meant for everyone through system:authenticated, and
// workspace routes through `workspaces/<resource>` rules limited to the workspace by name (docs/adr/0003).
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import type { SandboxUser } from './env.js';
import { applyObjects } from './kube.js';

/** The fields of a contract RouteSpec this needs (structural: the sandbox project does not import contracts). */
export interface RbacRoute {
  group: string;
  scope: 'cluster' | 'workspace' | 'namespace';
  resource: string;
  subresource?: string;
  verb: string;
  grant: 'authenticated' | 'view' | 'edit' | 'admin';
}

export type RbacTenant = Pick<SandboxUser, 'name' | 'role' | 'workspace'>;

interface PolicyRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

const RBAC = 'rbac.authorization.k8s.io';
const MANAGED = { 'app.kubernetes.io/managed-by': 'ks-gpu-ml-sandbox' };

/** One rule per group/resource, verbs merged and sorted, so the objects are stable across runs. */
function rules(
  routes: RbacRoute[],
  resourceOf: (r: RbacRoute) => string,
  resourceNames?: string[],
): PolicyRule[] {
  const merged = new Map<string, PolicyRule>();
  for (const route of routes) {
    const resource = resourceOf(route);
    const key = `${route.group} ${resource}`;
    const rule = merged.get(key) ?? { apiGroups: [route.group], resources: [resource], verbs: [] };
    if (!rule.verbs.includes(route.verb)) rule.verbs.push(route.verb);
    rule.verbs.sort();
    if (resourceNames) rule.resourceNames = resourceNames;
    merged.set(key, rule);
  }
  return [...merged.values()].sort((a, b) =>
    `${a.apiGroups[0]} ${a.resources[0]}`.localeCompare(`${b.apiGroups[0]} ${b.resources[0]}`),
  );
}

const withSub = (r: RbacRoute) => (r.subresource ? `${r.resource}/${r.subresource}` : r.resource);

export function featureRbacObjects(
  routeTable: readonly RbacRoute[],
  tenants: readonly RbacTenant[],
): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  const namespaced = routeTable.filter((r) => r.scope === 'namespace');

  // view ⊂ edit ⊂ admin already holds for the built-in roles (view is aggregated into edit, edit into admin),
  // so each grant level is labelled for its own role only.
  for (const level of ['view', 'edit', 'admin'] as const) {
    objects.push({
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: {
        name: `ks-gpu-ml:aggregate-to-${level}`,
        labels: { ...MANAGED, [`${RBAC}/aggregate-to-${level}`]: 'true' },
      },
      rules: rules(
        namespaced.filter((r) => r.grant === level),
        withSub,
      ),
    } as KubernetesObject);
  }

  const everyone = routeTable.filter((r) => r.grant === 'authenticated' && r.scope !== 'workspace');
  objects.push(
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRole',
      metadata: { name: 'ks-gpu-ml:authenticated', labels: MANAGED },
      rules: rules(everyone, withSub),
    } as KubernetesObject,
    {
      apiVersion: `${RBAC}/v1`,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'ks-gpu-ml:authenticated', labels: MANAGED },
      subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'system:authenticated' }],
      roleRef: { kind: 'ClusterRole', apiGroup: RBAC, name: 'ks-gpu-ml:authenticated' },
    } as KubernetesObject,
  );

  // A workspace admin may do everything our workspace routes offer, in their workspace only.
  const workspaceRoutes = routeTable.filter((r) => r.scope === 'workspace');
  const admins = new Map<string, string[]>();
  for (const t of tenants) {
    if (t.role === 'workspace-admin' && t.workspace)
      admins.set(t.workspace, [...(admins.get(t.workspace) ?? []), t.name]);
  }
  for (const [workspace, users] of admins) {
    const name = `ks-gpu-ml:workspace-admin:${workspace}`;
    objects.push(
      {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRole',
        metadata: { name, labels: MANAGED },
        rules: rules(workspaceRoutes, (r) => `workspaces/${r.resource}`, [workspace]),
      } as KubernetesObject,
      {
        apiVersion: `${RBAC}/v1`,
        kind: 'ClusterRoleBinding',
        metadata: { name, labels: MANAGED },
        subjects: users.map((user) => ({ kind: 'User', apiGroup: RBAC, name: user })),
        roleRef: { kind: 'ClusterRole', apiGroup: RBAC, name },
      } as KubernetesObject,
    );
  }
  return objects;
}

/** Creates or updates the objects (server-side apply): safe to call on every `up` and from test set-up. */
export async function applyFeatureRbac(
  kc: KubeConfig,
  routeTable: readonly RbacRoute[],
  tenants: readonly RbacTenant[],
): Promise<void> {
  await applyObjects(kc, featureRbacObjects(routeTable, tenants));
}
