// The sandbox's tenants: two KubeSphere-style workspaces (namespaces labelled
// `kubesphere.io/workspace`), users with real kube-apiserver credentials (static tokens) and
// real RBAC bindings. Tests log in as these users; see tests/sandbox/README.md.
import { randomBytes } from 'node:crypto';
import type { SandboxUser } from './env.js';

export const WORKSPACE_LABEL = 'kubesphere.io/workspace';

export const workspaces = {
  'ws-alpha': ['alpha-train', 'alpha-serve'],
  'ws-beta': ['beta-research'],
} as const satisfies Record<string, readonly string[]>;

/** One password for every sandbox user: it is typed on the console's login page by people. */
export const SANDBOX_PASSWORD = 'Sandbox-123';

type UserSpec = Omit<SandboxUser, 'token' | 'password'>;

export const userSpecs: UserSpec[] = [
  { name: 'admin', groups: ['system:authenticated'], role: 'platform-admin' },
  { name: 'ws-admin', groups: ['system:authenticated'], role: 'workspace-admin', workspace: 'ws-alpha' },
  { name: 'alice', groups: ['system:authenticated'], role: 'project-member', namespace: 'alpha-train' },
  { name: 'bob', groups: ['system:authenticated'], role: 'project-member', namespace: 'beta-research' },
  { name: 'viewer', groups: ['system:authenticated'], role: 'project-viewer', namespace: 'alpha-train' },
];

/** Control-plane identities: names the bootstrap RBAC policy of kube-apiserver already knows. */
export const componentUsers = {
  sandboxAdmin: { name: 'sandbox-admin', groups: ['system:masters'] },
  controllerManager: { name: 'system:kube-controller-manager', groups: [] as string[] },
  scheduler: { name: 'system:kube-scheduler', groups: [] as string[] },
  kwok: { name: 'kwok-controller', groups: ['system:masters'] },
};

export const newToken = (): string => randomBytes(24).toString('hex');

export function makeUsers(): SandboxUser[] {
  return userSpecs.map((spec) => ({ ...spec, password: SANDBOX_PASSWORD, token: newToken() }));
}

/** kube-apiserver's --token-auth-file: `token,user,uid,"group1,group2"` per line. */
export function tokenFile(entries: { name: string; token: string; groups: string[] }[]): string {
  return entries.map((e) => `${e.token},${e.name},${e.name},"${e.groups.join(',')}"`).join('\n') + '\n';
}

export function namespacesOf(workspace: string): readonly string[] {
  return (workspaces as Record<string, readonly string[]>)[workspace] ?? [];
}

export function workspaceOf(namespace: string): string | undefined {
  return Object.entries(workspaces).find(([, namespaces]) =>
    (namespaces as readonly string[]).includes(namespace),
  )?.[0];
}

type K8sObject = Record<string, unknown> & { apiVersion: string; kind: string };

const roleFor: Record<SandboxUser['role'], string> = {
  'platform-admin': 'cluster-admin',
  'workspace-admin': 'admin',
  'project-member': 'edit',
  'project-viewer': 'view',
};

/** Namespaces and the RBAC bindings that give each user their role, as Kubernetes objects. */
export function tenantObjects(users: SandboxUser[]): K8sObject[] {
  const objects: K8sObject[] = [];
  for (const [workspace, namespaces] of Object.entries(workspaces)) {
    for (const namespace of namespaces) {
      objects.push({
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace, labels: { [WORKSPACE_LABEL]: workspace } },
      });
    }
  }
  for (const user of users) {
    const subjects = [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user.name }];
    const roleRef = { kind: 'ClusterRole', apiGroup: 'rbac.authorization.k8s.io', name: roleFor[user.role] };
    if (user.role === 'platform-admin') {
      objects.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: { name: `sandbox:${user.name}` },
        subjects,
        roleRef,
      });
      continue;
    }
    const namespaces = user.workspace ? namespacesOf(user.workspace) : user.namespace ? [user.namespace] : [];
    for (const namespace of namespaces) {
      objects.push({
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: `sandbox:${user.name}`, namespace },
        subjects,
        roleRef,
      });
    }
  }
  return objects;
}
