import type { FastifyRequest } from 'fastify';
import type { AccessRequest, Authorizer } from './authz.js';
import type { IsPlatformAdmin } from './errors.js';
import { bearerToken } from './identity.js';

/**
 * A platform admin may `get` every resource of every API group cluster-wide: Kubernetes' cluster-admin (and
 * system:masters), KubeSphere's platform-admin. Only rules written with `*` grant a request for group and resource
 * `*`, so no feature role of ours makes a tenant one (docs/adr/0012). Asked through the cached authorizer.
 */
export const PLATFORM_ADMIN_ACCESS: Omit<AccessRequest, 'user'> = {
  verb: 'get',
  group: '*',
  resource: '*',
  scope: 'cluster',
};

export function platformAdminCheck(authorizer: Authorizer): IsPlatformAdmin {
  return async (request: FastifyRequest) => {
    if (!request.identity) return false;
    const token = bearerToken(request.headers);
    try {
      const decision = await authorizer.authorize({
        ...PLATFORM_ADMIN_ACCESS,
        user: request.identity,
        ...(token ? { token } : {}),
      });
      return decision.allowed;
    } catch {
      // The authorizer's upstream is failing too: answer as to a tenant, which tells less.
      return false;
    }
  };
}
