import type { FastifyInstance } from 'fastify';
import { mlAppsRoutes as spec } from '@ks-gpu-ml/contracts';
import { mountRoute } from '../../core/mount.js';
import type { MlAppsService } from './service.js';

/** Routes of `ml-apps.ks-gpu-ml.io`: parameters in, service out (the guard has authorized the caller). */
export async function mlAppsRoutes(app: FastifyInstance, opts: { service: MlAppsService }): Promise<void> {
  const { service } = opts;
  mountRoute(app, spec.listOperators, async () => service.listOperators());
  mountRoute(app, spec.listNotebooks, async (ctx) => service.listNotebooks(ctx.params.namespace));
  mountRoute(app, spec.getNotebookOptions, async (ctx) => service.notebookOptions(ctx.params.namespace));
  mountRoute(app, spec.createNotebook, async (ctx) =>
    service.createNotebook(ctx.params.namespace, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.updateNotebook, async (ctx) =>
    service.setStopped(ctx.params.namespace, ctx.params.name, ctx.body.stopped),
  );
  mountRoute(app, spec.deleteNotebook, async (ctx) =>
    service.deleteNotebook(ctx.params.namespace, ctx.params.name),
  );
  mountRoute(app, spec.listTrainJobs, async (ctx) => service.listTrainJobs(ctx.params.namespace));
  mountRoute(app, spec.listTrainingJobs, async (ctx) => service.listTrainingJobs(ctx.params.namespace));
  mountRoute(app, spec.createTrainJob, async (ctx) =>
    service.createTrainJob(ctx.params.namespace, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.createTrainingJob, async (ctx) =>
    service.createTrainingJob(ctx.params.namespace, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.deleteTrainingJob, async (ctx) =>
    service.deleteTrainingJob(ctx.params.namespace, ctx.params.name, ctx.query.kind),
  );
  mountRoute(app, spec.listAppEvents, async (ctx) =>
    service.appEvents(ctx.params.namespace, ctx.query.kind, ctx.query.name),
  );
  mountRoute(app, spec.getPodLog, async (ctx) =>
    service.podLog(ctx.params.namespace, ctx.params.name, ctx.query),
  );
  mountRoute(app, spec.deleteTrainJob, async (ctx) =>
    service.deleteTrainJob(ctx.params.namespace, ctx.params.name),
  );
}
