// Composition of ml-apps' models and serving (issue 17), kept beside the notebooks' service.ts so the two grow
// apart: it builds the registry over the store and the clients, and mounts their routes.
import { mlAppsModelRoutes, mlAppsServingRoutes } from '@ks-gpu-ml/contracts';
import type { FastifyInstance } from 'fastify';
import type { MlAppsKube } from '../../clients/ml-apps-kube.js';
import { createServingKube } from '../../clients/serving-kube.js';
import { createModelRegistryStore } from '../../clients/store/model-registry.js';
import type { FeatureDeps } from '../feature.js';
import { createModelRegistry } from './model-registry.js';
import { modelRoutes } from './model-routes.js';
import { operatorKind, servedVersion } from './operators.js';
import { servingRoutes } from './serving-routes.js';
import { createServingService } from './serving-service.js';

/** The routes this part serves (the feature module lists them with its own). */
export const modelServingRoutes = [
  ...Object.values(mlAppsModelRoutes),
  ...Object.values(mlAppsServingRoutes),
];

/** `kube`: the feature's one MlAppsKube (its discovery and placement caches are per instance). */
export async function registerModelServing(
  app: FastifyInstance,
  deps: FeatureDeps,
  kube: MlAppsKube,
): Promise<void> {
  const store = createModelRegistryStore(deps.store);
  const registry = createModelRegistry({
    store,
    async trainJob(namespace, name) {
      const served = await servedVersion(operatorKind('trainjobs'), (g, v) => kube.servedResources(g, v));
      return served ? kube.getTrainJob(namespace, name) : undefined;
    },
  });
  await app.register(modelRoutes, { registry });
  const servingKube = createServingKube(deps.kube, {
    watch: {
      maxBytes: deps.settings.kubeWatchCacheMaxBytes,
      onError: (err) => app.log.warn({ err }, 'serving watch cache error'),
    },
  });
  const serving = createServingService({
    kube,
    serving: servingKube,
    registry: store,
    addresses: { allowLoopback: deps.settings.mlAppsServingAllowLoopback },
  });
  await app.register(servingRoutes, { service: serving });
  app.addHook('onClose', async () => servingKube.watch.stop());
}
