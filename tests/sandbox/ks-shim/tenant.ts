// KubeSphere's tenant, resources and cluster APIs over the sandbox's one cluster: workspaces (from
// WorkspaceTemplates and namespace labels) and their namespaces, filtered to what the caller is a member of,
// the `host` cluster and the platform counts of the overview page.
import { notFound, sendJson, sendStatus } from './errors.js';
import type { KubeReads, Obj } from './kube-reads.js';
import { HOST_CLUSTER, listResult, platformMetrics, workspaceObject } from './platform.js';
import type { Ctx, Handler } from './request-context.js';
import type { RouteTable } from './routing.js';
import type { UsersFile } from './users-file.js';

const T = '/kapis/tenant.kubesphere.io/v1beta1';
const RESOURCES = '/kapis/resources.kubesphere.io/v1alpha3';
const CLUSTERS_API = '/apis/cluster.kubesphere.io/v1alpha1/clusters';

type WorkspaceKind = 'templates' | 'workspaces';

export function tenantRoutes(reads: KubeReads, users: UsersFile): RouteTable {
  async function listWorkspaces(ctx: Ctx, kind: WorkspaceKind): Promise<void> {
    const visible: Record<string, unknown>[] = [];
    for (const t of await reads.workspaceTemplates()) {
      const name = String((t.metadata as { name: string }).name);
      if (await reads.canSeeWorkspace(ctx.user, name)) {
        visible.push(kind === 'templates' ? t : workspaceObject(t));
      }
    }
    sendJson(ctx.res, 200, listResult(visible as Obj[], ctx.url.searchParams));
  }

  async function getWorkspace(ctx: Ctx, kind: WorkspaceKind): Promise<void> {
    const ws = ctx.params.workspace!;
    const t = (await reads.workspaceTemplates()).find((w) => (w.metadata as { name: string }).name === ws);
    if (!t || !(await reads.canSeeWorkspace(ctx.user, ws))) {
      return sendStatus(ctx.res, notFound(`workspacetemplates.tenant.kubesphere.io "${ws}" not found`));
    }
    sendJson(ctx.res, 200, kind === 'templates' ? t : workspaceObject(t));
  }

  const listNamespaces: Handler = async (ctx) => {
    const byWs = await reads.namespacesByWorkspace();
    const ws = ctx.params.workspace;
    const candidates = ws ? (byWs.get(ws) ?? []) : [...byWs.values()].flat();
    const items = candidates.filter((ns) => reads.canSeeNamespace(ctx.user, ns));
    sendJson(ctx.res, 200, listResult(items, ctx.url.searchParams));
  };

  const clusterList: Handler = async (ctx) =>
    sendJson(ctx.res, 200, { items: [await reads.cluster()], totalItems: 1 });
  const hostCluster: Handler = async (ctx) =>
    ctx.params.cluster === HOST_CLUSTER
      ? sendJson(ctx.res, 200, await reads.cluster())
      : sendStatus(ctx.res, notFound(`clusters.cluster.kubesphere.io "${ctx.params.cluster}" not found`));

  const metrics: Handler = async (ctx) => {
    const templates = await reads.workspaceTemplates();
    sendJson(
      ctx.res,
      200,
      platformMetrics({
        platform_cluster_count: 1,
        platform_workspace_count: templates.length,
        platform_user_count: users.all().length,
        platform_installplan_count: 0,
      }),
    );
  };

  return [
    ['GET', `${T}/clusters`, clusterList],
    ['GET', `${RESOURCES}/clusters`, clusterList],
    ['GET', `${RESOURCES}/clusters/:cluster`, hostCluster],
    ['GET', `${T}/workspacetemplates`, (ctx) => listWorkspaces(ctx, 'templates')],
    ['GET', `${T}/workspacetemplates/:workspace`, (ctx) => getWorkspace(ctx, 'templates')],
    ['GET', `${T}/workspaces`, (ctx) => listWorkspaces(ctx, 'workspaces')],
    ['GET', `${T}/workspaces/:workspace`, (ctx) => getWorkspace(ctx, 'workspaces')],
    ['GET', `${T}/workspaces/:workspace/namespaces`, listNamespaces],
    // Every workspace spans the sandbox's single cluster.
    ['GET', `${T}/workspaces/:workspace/clusters`, clusterList],
    ['GET', `${T}/namespaces`, listNamespaces],
    ['GET', `${RESOURCES}/namespaces`, listNamespaces],
    ['GET', `${T}/metrics`, metrics],
    // The Kubernetes-API path of KubeSphere's Cluster kind.
    [
      'GET',
      CLUSTERS_API,
      async (ctx) =>
        sendJson(ctx.res, 200, {
          apiVersion: 'cluster.kubesphere.io/v1alpha1',
          kind: 'ClusterList',
          metadata: {},
          items: [await reads.cluster()],
        }),
    ],
    ['GET', `${CLUSTERS_API}/:cluster`, hostCluster],
  ];
}
