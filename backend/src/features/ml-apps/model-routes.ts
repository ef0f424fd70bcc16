import type { FastifyInstance } from 'fastify';
import { mlAppsModelRoutes as spec } from '@ks-gpu-ml/contracts';
import { mountRoute } from '../../core/mount.js';
import type { ModelRegistry } from './model-registry.js';

/** The model registry's routes: parameters in, registry out (the guard has authorized the caller). */
export async function modelRoutes(app: FastifyInstance, opts: { registry: ModelRegistry }): Promise<void> {
  const { registry } = opts;
  mountRoute(app, spec.listModels, async (ctx) => registry.list(ctx.params.namespace));
  mountRoute(app, spec.getModel, async (ctx) =>
    registry.get(ctx.params.namespace, ctx.params.name, ctx.query),
  );
  mountRoute(app, spec.createModel, async (ctx) =>
    registry.create(ctx.params.namespace, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.deleteModel, async (ctx) => registry.remove(ctx.params.namespace, ctx.params.name));
  mountRoute(app, spec.createModelVersion, async (ctx) =>
    registry.addVersion(ctx.params.namespace, ctx.params.name, ctx.body, ctx.user.name),
  );
  mountRoute(app, spec.updateModelStage, async (ctx) =>
    registry.setStage(ctx.params.namespace, ctx.params.name, ctx.body, ctx.user.name),
  );
}
