import { mlAppsRoutes as routeSpecs } from '@ks-gpu-ml/contracts';
import { createMlAppsKube } from '../../clients/ml-apps-kube.js';
import type { FeatureModule } from '../feature.js';
import { modelServingRoutes, registerModelServing } from './model-serving.js';
import { registerNotebookCulling } from './notebook-cull-setup.js';
import { notebookOpenRoutes } from './notebook-open-routes.js';
import { mlAppsRoutes } from './routes.js';
import { createMlAppsService } from './service.js';

/** The ml-apps feature: which ML operators are installed, and Kubeflow Notebooks with the quota pre-check. */
export const mlAppsFeature: FeatureModule = {
  name: 'ml-apps',
  routes: [...Object.values(routeSpecs), ...modelServingRoutes],
  async plugin(app, deps) {
    const kube = createMlAppsKube(deps.kube);
    const service = createMlAppsService({
      kube,
      images: deps.settings.mlAppsNotebookImages,
    });
    await app.register(mlAppsRoutes, { service });
    await app.register(notebookOpenRoutes, {
      kube,
      authorizer: deps.authorizer,
      standInOrigin: deps.settings.mlAppsNotebookStandInOrigin,
    });
    // One MlAppsKube for the feature: its discovery and placement caches are per instance.
    await registerModelServing(app, deps, kube);
    await registerNotebookCulling(app, deps, kube);
  },
};
