import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { RouteSpec } from '@ks-gpu-ml/contracts';
import { accessFor, forbidden, type Authorizer } from './authz.js';
import { bearerToken, type Authenticator, type Identity } from './identity.js';
import type { Metrics } from './metrics.js';
import { AppError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; set on every route that has a routeSpec. */
    identity: Identity | null;
  }
  interface FastifyContextConfig {
    /** The contract route this fastify route serves; routes without one (health, metrics) are not guarded. */
    routeSpec?: RouteSpec;
  }
}

/**
 * Identity first (onRequest: before the body is even read), authorization second (preValidation: before the
 * body is validated), so the order of answers is 401, then 403, then 400, as ks-apiserver's filter chain gives.
 */
export function installGuards(
  app: FastifyInstance,
  deps: { authenticator: Authenticator; authorizer: Authorizer; metrics: Metrics },
): void {
  app.decorateRequest('identity', null);

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
    if (!request.routeOptions.config.routeSpec) return;
    try {
      // Per connection peer: behind ks-apiserver that is ks-apiserver itself, so the limit is sized for the
      // whole console's new sign-ins, and a client that reaches our Service directly has a bucket of its own.
      request.identity = await deps.authenticator.authenticate(request.headers, request.ip);
    } catch (err) {
      if (err instanceof AppError) deps.metrics.rejections.inc({ reason: err.reason });
      throw err;
    }
    // request.log is already this request's own child logger (shared with reply.log, which writes the
    // "request completed" line): adding the user to it is cheaper than another child per request.
    (request.log as Logger).setBindings({ user: request.identity.name });
  });

  app.addHook('preValidation', async (request) => {
    const spec = request.routeOptions.config.routeSpec;
    if (!spec || !request.identity) return;
    const access = accessFor(spec, request.params as Record<string, string>, request.identity);
    const token = bearerToken(request.headers);
    const decision = await deps.authorizer.authorize({ ...access, ...(token ? { token } : {}) });
    if (!decision.allowed) {
      deps.metrics.rejections.inc({ reason: 'Forbidden' });
      throw forbidden(access, decision);
    }
  });
}
