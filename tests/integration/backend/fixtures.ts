// Route-table driven inputs: a URL for any route in any scope, and a valid body for each route that takes one.
import { kapisPath, type RouteSpec } from '@ks-gpu-ml/contracts';

export function urlOf(route: RouteSpec, scopeName: string, name = 'example'): string {
  return kapisPath({
    group: route.group,
    scope: route.scope,
    ...(route.scope !== 'cluster' ? { scopeName } : {}),
    resource: route.resource,
    ...(route.named ? { name } : {}),
    ...(route.subresource ? { subresource: route.subresource } : {}),
  });
}

/** A body each route accepts; a feature adds its routes here when it adds them to the route table. */
export const validBodies: Record<string, unknown> = {
  'platform.createAccessReview': { verb: 'list', group: 'platform.ks-gpu-ml.io', resource: 'capabilities' },
  // An empty quota: valid, and it writes nothing.
  'gpu-quota.updateProjectQuota': { resources: [] },
  'gpu-quota.updateWorkspaceQuota': { resources: [] },
};

export function bodyFor(route: RouteSpec): unknown {
  if (!route.schemas.body) return undefined;
  const body = validBodies[route.id];
  if (body === undefined)
    throw new Error(`no valid body for ${route.id}: add one to tests/integration/backend/fixtures.ts`);
  return body;
}
