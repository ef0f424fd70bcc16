import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gpuQuotaRoutes as spec } from '@ks-gpu-ml/contracts';
import { mountRoute, RawReply } from '../../core/mount.js';
import { pickLanguage } from '../../core/i18n.js';
import type { Identity } from '../../core/identity.js';
import type { Caller, GpuQuotaService } from './service.js';

const caller = (ctx: { user: Identity; token: string; request: FastifyRequest }): Caller => ({
  user: ctx.user,
  token: ctx.token,
  lang: pickLanguage(ctx.request.headers['accept-language']),
});

/** Routes of `gpu-quota.ks-gpu-ml.io`: parameters in, service out. */
export async function gpuQuotaRoutes(
  app: FastifyInstance,
  opts: { service: GpuQuotaService },
): Promise<void> {
  const { service } = opts;
  mountRoute(app, spec.listGpuResources, async (ctx) => service.listGpuResources(caller(ctx)));
  mountRoute(app, spec.getProjectQuota, async (ctx) =>
    service.getProjectQuota(caller(ctx), ctx.params.namespace),
  );
  mountRoute(app, spec.updateProjectQuota, async (ctx) =>
    service.updateProjectQuota(caller(ctx), ctx.params.namespace, ctx.body),
  );
  mountRoute(app, spec.getWorkspaceQuota, async (ctx) =>
    service.getWorkspaceQuota(caller(ctx), ctx.params.workspace),
  );
  mountRoute(app, spec.updateWorkspaceQuota, async (ctx) =>
    service.updateWorkspaceQuota(caller(ctx), ctx.params.workspace, ctx.body),
  );
  // The cluster view's body is shared by every request until the caches change (service.clusterViewJson): sent
  // as it is, not serialized again per request; a unit test holds it to the response schema.
  mountRoute(
    app,
    spec.getClusterView,
    async (ctx) =>
      new RawReply(await service.clusterViewJson(caller(ctx)), 'application/json; charset=utf-8'),
  );
}
