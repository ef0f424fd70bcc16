// Composition of GPU-aware idle culling (docs/adr/0041): the policy routes and the culler's loop, one run at a
// time every CULL_EVERY_MS (runEvery: a slow run delays the next, never overlaps it).
import { mlAppsRoutes as spec } from '@ks-gpu-ml/contracts';
import type { FastifyInstance } from 'fastify';
import type { MlAppsKube } from '../../clients/ml-apps-kube.js';
import { createNotebookCullClient } from '../../clients/notebook-cull.js';
import { mountRoute } from '../../core/mount.js';
import { runEvery } from '../../core/run-every.js';
import type { FeatureDeps } from '../feature.js';
import { createNotebookCuller } from './notebook-culler.js';
import { cullPolicyStore, type CullPolicyStore } from './notebook-cull-policy.js';

export const CULL_EVERY_MS = 60_000;

/** The project's policy is its workspace's; a project outside any workspace has the default (off). */
export async function projectCullPolicy(
  policies: CullPolicyStore,
  workspaceOf: () => Promise<ReadonlyMap<string, string>>,
  namespace: string,
) {
  return policies.get((await workspaceOf()).get(namespace) ?? '');
}

export async function registerNotebookCulling(
  app: FastifyInstance,
  deps: FeatureDeps,
  kube: MlAppsKube,
): Promise<void> {
  const client = createNotebookCullClient({
    kube: deps.kube,
    prometheus: deps.prometheus,
    alertmanagerUrl: deps.settings.cmdbAlertingEscalation.alertmanagerUrl,
    alertTimeoutMs: deps.settings.cmdbAlertingEscalation.alertmanagerTimeoutMs,
  });
  const policies = cullPolicyStore(client);
  const workspaceOf = () => deps.membership.workspaceOf();

  mountRoute(app, spec.getNotebookCullPolicy, async (ctx) =>
    projectCullPolicy(policies, workspaceOf, ctx.params.namespace),
  );
  mountRoute(app, spec.getWorkspaceNotebookCullPolicy, async (ctx) => policies.get(ctx.params.workspace));
  mountRoute(app, spec.updateNotebookCullPolicy, async (ctx) =>
    policies.put(ctx.params.workspace, ctx.body, ctx.user.name, Date.now()),
  );

  const culler = createNotebookCuller({
    kube,
    client,
    policies,
    namespacesOf: (workspace) => deps.membership.namespacesOf(workspace),
    translate: deps.translate,
    log: (msg, err) => app.log.warn({ err }, msg),
  });
  runEvery(
    app,
    CULL_EVERY_MS,
    async () => {
      await culler.runOnce(); // what it stopped (CullRun) is for its tests; the loop needs no result
    },
    (err) => app.log.warn({ err }, 'notebook culling: run failed; retrying at the next'),
  );
}
