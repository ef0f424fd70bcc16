import type { FastifyInstance } from 'fastify';
import { platformRoutes as spec } from '@ks-gpu-ml/contracts';
import { mountRoute } from '../../platform/mount.js';
import type { PlatformService } from './service.js';

/** Routes of `platform.ks-gpu-ml.io`: always served, whatever FEATURES says. */
export async function platformRoutes(
  app: FastifyInstance,
  opts: { service: PlatformService },
): Promise<void> {
  const { service } = opts;
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
