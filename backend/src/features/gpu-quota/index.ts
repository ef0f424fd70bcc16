import { gpuQuotaRoutes as routeSpecs } from '@ks-gpu-ml/contracts';
import type { FeatureModule } from '../feature.js';
import { createGpuQuotaKube } from './kube-io.js';
import { gpuQuotaRoutes } from './routes.js';
import { createGpuQuotaService } from './service.js';

/** The gpu-quota feature: base/max GPU quotas per project and workspace (docs/adr/0004, 0006). */
export const gpuQuotaFeature: FeatureModule = {
  name: 'gpu-quota',
  routes: Object.values(routeSpecs),
  async plugin(app, deps) {
    const kube = createGpuQuotaKube(deps.kube, deps.membership, {
      watchCacheMaxBytes: deps.settings.kubeWatchCacheMaxBytes,
      onError: (err) => app.log.warn({ err }, 'gpu-quota watch cache error'),
    });
    const service = createGpuQuotaService({
      kube,
      authorizer: deps.authorizer,
      translate: deps.translate,
      enforcerSetting: deps.settings.gpuQuotaEnforcer,
      maxAmount: deps.settings.gpuQuotaMaxAmount,
    });
    app.addHook('onClose', async () => kube.stop());
    await app.register(gpuQuotaRoutes, { service });
  },
};
