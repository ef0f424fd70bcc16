// What the shim reads from kube-apiserver as itself (admin) to answer KubeSphere's tenant and cluster APIs:
// workspaces from namespace labels and WorkspaceTemplates, who may see which, the host cluster.
import type { SandboxUser } from '../src/env.js';
import type { KubeClient } from './kube.js';
import {
  WORKSPACE_LABEL,
  clusterObject,
  grantFor,
  workspaceTemplateObject,
  type RoleTemplateObject,
  type Scope,
} from './platform.js';

export type Obj = { metadata: { name: string; labels?: Record<string, string>; creationTimestamp?: string } };
export type List<T = Obj> = { items: T[] };

export interface KubeReads {
  namespacesByWorkspace(): Promise<Map<string, Obj[]>>;
  /** WorkspaceTemplate CRs when the CRD is installed, plus one per distinct namespace label. */
  workspaceTemplates(): Promise<Record<string, unknown>[]>;
  workspaceOfNamespace(ns: string | undefined): Promise<string | undefined>;
  canSeeWorkspace(user: SandboxUser, ws: string): Promise<boolean>;
  canSeeNamespace(user: SandboxUser, ns: Obj): boolean;
  installedRoleTemplates(scope: Scope): Promise<RoleTemplateObject[]>;
  kubernetesVersion(): Promise<Record<string, unknown>>;
  /** The sandbox's one cluster, `host`, as a KubeSphere Cluster. */
  cluster(): Promise<Record<string, unknown>>;
}

export function createKubeReads(kube: KubeClient, started: string): KubeReads {
  async function namespacesByWorkspace(): Promise<Map<string, Obj[]>> {
    const list = await kube.get<List>(
      `/api/v1/namespaces?labelSelector=${encodeURIComponent(WORKSPACE_LABEL)}`,
    );
    const map = new Map<string, Obj[]>();
    for (const ns of list?.items ?? []) {
      const ws = ns.metadata.labels?.[WORKSPACE_LABEL];
      if (ws) map.set(ws, [...(map.get(ws) ?? []), ns]);
    }
    return map;
  }

  async function workspaceTemplates(): Promise<Record<string, unknown>[]> {
    const crs = await kube.get<List<Record<string, unknown> & Obj>>(
      '/apis/tenant.kubesphere.io/v1beta1/workspacetemplates',
    );
    const byName = new Map<string, Record<string, unknown>>();
    for (const cr of crs?.items ?? []) byName.set(cr.metadata.name, cr);
    for (const ws of (await namespacesByWorkspace()).keys()) {
      if (!byName.has(ws)) byName.set(ws, workspaceTemplateObject(ws, started));
    }
    return [...byName.values()];
  }

  async function workspaceOfNamespace(ns: string | undefined): Promise<string | undefined> {
    if (!ns) return undefined;
    const obj = await kube.get<Obj>(`/api/v1/namespaces/${encodeURIComponent(ns)}`);
    return obj?.metadata.labels?.[WORKSPACE_LABEL];
  }

  async function canSeeWorkspace(user: SandboxUser, ws: string): Promise<boolean> {
    return (
      grantFor(user, 'workspace', {
        workspace: ws,
        userNamespaceWorkspace: await workspaceOfNamespace(user.namespace),
      }) !== 'none'
    );
  }

  function canSeeNamespace(user: SandboxUser, ns: Obj): boolean {
    const target = { namespace: ns.metadata.name, namespaceWorkspace: ns.metadata.labels?.[WORKSPACE_LABEL] };
    return grantFor(user, 'namespace', target) !== 'none';
  }

  async function installedRoleTemplates(scope: Scope): Promise<RoleTemplateObject[]> {
    const selector = encodeURIComponent(`iam.kubesphere.io/scope=${scope}`);
    const list = await kube.get<List<RoleTemplateObject>>(
      `/apis/iam.kubesphere.io/v1beta1/roletemplates?labelSelector=${selector}`,
    );
    return list?.items ?? [];
  }

  async function kubernetesVersion(): Promise<Record<string, unknown>> {
    return (await kube.get<Record<string, unknown>>('/version')) ?? {};
  }

  async function cluster(): Promise<Record<string, unknown>> {
    const nodes = await kube.get<List>('/api/v1/nodes');
    const version = await kubernetesVersion();
    return clusterObject({
      kubernetesVersion: String(version.gitVersion ?? ''),
      nodeCount: nodes?.items.length ?? 0,
      created: started,
    });
  }

  return {
    namespacesByWorkspace,
    workspaceTemplates,
    workspaceOfNamespace,
    canSeeWorkspace,
    canSeeNamespace,
    installedRoleTemplates,
    kubernetesVersion,
    cluster,
  };
}
