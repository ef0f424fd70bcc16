import type { FastifyInstance, FastifyRequest } from 'fastify';
import { gpuMonitoringRoutes as spec } from '@ks-gpu-ml/contracts';
import { pickLanguage } from '../../core/i18n.js';
import { mountRoute } from '../../core/mount.js';
import type { GpuMonitoringService } from './service.js';

const lang = (request: FastifyRequest) => pickLanguage(request.headers['accept-language']);

/** Routes of `gpu-monitoring.ks-gpu-ml.io`: parameters in, service out. */
export async function gpuMonitoringRoutes(
  app: FastifyInstance,
  opts: { service: GpuMonitoringService },
): Promise<void> {
  const { service } = opts;
  const cluster = { kind: 'cluster' } as const;
  const workspace = (name: string) => ({ kind: 'workspace', name }) as const;
  const project = (name: string) => ({ kind: 'namespace', name }) as const;

  mountRoute(app, spec.getClusterSummary, async (ctx) => service.summary(ctx.query));
  mountRoute(app, spec.listNodes, async (ctx) => service.nodes(ctx.query));
  mountRoute(app, spec.getNode, async (ctx) => service.node(ctx.params.name, ctx.query));
  mountRoute(app, spec.listGpus, async (ctx) => service.gpus(ctx.query));
  mountRoute(app, spec.listIdleGpus, async (ctx) => service.idleGpus(ctx.query));
  mountRoute(app, spec.listWorkspaceUsage, async (ctx) => service.workspaceUsageList(ctx.query));
  mountRoute(app, spec.listProjectUsage, async (ctx) => service.projectUsageList(ctx.query));
  mountRoute(app, spec.getClusterSeries, async (ctx) => service.series(cluster, ctx.query));
  mountRoute(app, spec.getTopN, async (ctx) => service.topN(ctx.query));
  mountRoute(app, spec.getClusterGpuHours, async (ctx) =>
    service.gpuHours(cluster, ctx.query, lang(ctx.request)),
  );

  mountRoute(app, spec.getWorkspaceUsage, async (ctx) =>
    service.workspaceUsage(ctx.params.workspace, ctx.query),
  );
  mountRoute(app, spec.getWorkspaceSeries, async (ctx) =>
    service.series(workspace(ctx.params.workspace), ctx.query),
  );
  mountRoute(app, spec.getWorkspaceGpuHours, async (ctx) =>
    service.gpuHours(workspace(ctx.params.workspace), ctx.query, lang(ctx.request)),
  );

  mountRoute(app, spec.getProjectUsage, async (ctx) => service.projectUsage(ctx.params.namespace, ctx.query));
  mountRoute(app, spec.getProjectSeries, async (ctx) =>
    service.series(project(ctx.params.namespace), ctx.query),
  );
  mountRoute(app, spec.getProjectGpuHours, async (ctx) =>
    service.gpuHours(project(ctx.params.namespace), ctx.query, lang(ctx.request)),
  );
  mountRoute(app, spec.getWorkloadUsage, async (ctx) =>
    service.workloadUsage(ctx.params.namespace, ctx.params.name),
  );
}
