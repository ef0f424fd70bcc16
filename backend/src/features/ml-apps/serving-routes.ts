import type { FastifyInstance } from 'fastify';
import { mlAppsServingRoutes as spec } from '@ks-gpu-ml/contracts';
import { mountRoute } from '../../core/mount.js';
import type { ServingService } from './serving-service.js';

/** The serving routes: parameters in, service out (the guard has authorized the caller). */
export async function servingRoutes(app: FastifyInstance, opts: { service: ServingService }): Promise<void> {
  const { service } = opts;
  mountRoute(app, spec.getServingOptions, async (ctx) => service.options(ctx.params.namespace));
  mountRoute(app, spec.listInferenceServices, async (ctx) => service.list(ctx.params.namespace, ctx.query));
  mountRoute(app, spec.getInferenceService, async (ctx) =>
    service.get(ctx.params.namespace, ctx.params.name, ctx.query),
  );
  mountRoute(app, spec.createInferenceService, async (ctx) =>
    service.create(ctx.params.namespace, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.createLLMInferenceService, async (ctx) =>
    service.createLLM(ctx.params.namespace, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.updateInferenceService, async (ctx) =>
    service.update(ctx.params.namespace, ctx.params.name, ctx.body),
  );
  mountRoute(app, spec.deleteInferenceService, async (ctx) =>
    service.remove(ctx.params.namespace, ctx.params.name),
  );
  mountRoute(app, spec.getLLMInferenceService, async (ctx) =>
    service.getLLM(ctx.params.namespace, ctx.params.name),
  );
  mountRoute(app, spec.deleteLLMInferenceService, async (ctx) =>
    service.removeLLM(ctx.params.namespace, ctx.params.name),
  );
  mountRoute(app, spec.predict, async (ctx) =>
    service.predict(ctx.params.namespace, ctx.params.name, ctx.body),
  );
}
