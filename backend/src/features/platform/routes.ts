import type { FastifyInstance } from 'fastify';
import { platformRoutes as sharedSpec, platformRoutesFor, type PlatformRouteSet } from '@ks-gpu-ml/contracts';
import { mountRoute } from '../../core/mount.js';
import type { PlatformService, PlatformServices } from './service.js';

/** One group's platform routes, answered by `service`. */
function mountPlatformRoutes(app: FastifyInstance, spec: PlatformRouteSet, service: PlatformService): void {
  mountRoute(app, spec.listFeatures, async () => service.listFeatures());
  mountRoute(app, spec.listNamespaceCapabilities, async ({ user, token, params }) =>
    service.capabilities(user, token, 'namespace', params.namespace),
  );
  mountRoute(app, spec.listWorkspaceCapabilities, async ({ user, token, params }) =>
    service.capabilities(user, token, 'workspace', params.workspace),
  );
  mountRoute(app, spec.createAccessReview, async ({ user, token, params, body }) =>
    service.accessReview(user, token, params.namespace, body),
  );
  mountRoute(app, spec.createSelfAccessReview, async ({ user, token, body }) =>
    service.selfAccessReview(user, token, body),
  );
}

/**
 * Routes of `platform.ks-gpu-ml.io`, always served whatever FEATURES says, and the same routes under each served
 * feature's group, which that feature's package grants and its pages call (docs/adr/0026).
 */
export async function platformRoutes(
  app: FastifyInstance,
  opts: { services: PlatformServices },
): Promise<void> {
  mountPlatformRoutes(app, sharedSpec, opts.services.shared);
  for (const [feature, service] of opts.services.byFeature)
    mountPlatformRoutes(app, platformRoutesFor(feature), service);
}
