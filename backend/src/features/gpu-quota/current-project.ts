// One project as it is now, read fresh for its page and its save: its workspace, its ResourceQuotas (ours
// read), use, blocked work, the enforcer and the catalogue. 404 when the namespace does not exist.
import { AppError } from '../../core/errors.js';
import { buildCatalogue } from './catalogue.js';
import type { QuotaContext } from './context.js';
import { blockedWork } from './pending.js';
import { GPU_QUOTA_OBJECT_NAME, readProjectQuota } from './resourcequota.js';
import { mergeUsage, modelOfNode, usageFromPods } from './usage.js';
import { WORKSPACE_LABEL } from './workspace.js';

export type CurrentProject = Awaited<ReturnType<typeof readCurrentProject>>;

async function requireNamespace(ctx: QuotaContext, namespace: string) {
  const ns = await ctx.kube.namespace(namespace);
  if (!ns) throw new AppError(404, 'NotFound', 'GPU_QUOTA_NAMESPACE_NOT_FOUND', { namespace }, { namespace });
  return ns;
}

export async function readCurrentProject(ctx: QuotaContext, namespace: string) {
  const { kube, table } = ctx;
  const [ns, quotas, pods, events, nodes, choice] = await Promise.all([
    requireNamespace(ctx, namespace),
    kube.resourceQuotas(namespace),
    kube.pods(namespace),
    kube.events(namespace),
    kube.nodes(),
    ctx.enforcer(),
  ]);
  const ours = quotas.find((q) => q.metadata?.name === GPU_QUOTA_OBJECT_NAME);
  const read = { ...readProjectQuota(ours, table), quota: ours };
  return {
    workspace: ns.metadata?.labels?.[WORKSPACE_LABEL],
    quotas,
    read,
    used: mergeUsage(read.used, usageFromPods(pods, modelOfNode(nodes), table).get(namespace)),
    blocked: blockedWork(pods, events, { table }),
    choice,
    catalogue: buildCatalogue(nodes, table),
  };
}
