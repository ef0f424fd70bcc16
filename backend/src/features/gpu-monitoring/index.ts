import { gpuMonitoringRoutes as routeSpecs } from '@ks-gpu-ml/contracts';
import type { FeatureModule } from '../feature.js';
import { createMonitoringIo } from './io.js';
import { gpuMonitoringRoutes } from './routes.js';
import { createGpuMonitoringService } from './service.js';

/** The gpu-monitoring feature: GPU dashboards and GPU-hours from Prometheus (docs/adr/0005, 0008). */
export const gpuMonitoringFeature: FeatureModule = {
  name: 'gpu-monitoring',
  routes: Object.values(routeSpecs),
  async plugin(app, deps) {
    // PROMETHEUS_URL has a default (KubeSphere's monitoring stack), so app.ts always builds a client.
    if (!deps.prometheus) throw new Error('gpu-monitoring needs a Prometheus client (PROMETHEUS_URL)');
    const io = createMonitoringIo(deps.prometheus, deps.membership, {
      exporterJob: deps.settings.gpuExporterJob,
      hamiMonitorJob: deps.settings.gpuHamiMonitorJob,
    });
    const service = createGpuMonitoringService({ io, translate: deps.translate });
    await app.register(gpuMonitoringRoutes, { service });
  },
};
