import {
  API_VERSION,
  PLATFORM_GROUP,
  groupOf,
  platformRoutesFor,
  type AccessReviewRequest,
  type AccessReviewResult,
  type CapabilityList,
  type SelfAccessReviewRequest,
  type FeatureList,
  type FeatureName,
  type RouteSpec,
  type Verb,
} from '@ks-gpu-ml/contracts';
import type { Authorizer } from '../../core/authz.js';
import type { Identity } from '../../core/identity.js';

/** The core's own API: what is served, and what the caller may do with it. */
export interface PlatformService {
  listFeatures(): FeatureList;
  capabilities(
    user: Identity,
    token: string,
    scope: 'workspace' | 'namespace',
    scopeName: string,
  ): Promise<CapabilityList>;
  accessReview(
    user: Identity,
    token: string,
    namespace: string,
    review: AccessReviewRequest,
  ): Promise<AccessReviewResult>;
  /** The same question in a workspace or a project named in the body (asked at cluster scope). */
  selfAccessReview(
    user: Identity,
    token: string,
    review: SelfAccessReviewRequest,
  ): Promise<AccessReviewResult>;
}

export function createPlatformService(deps: {
  authorizer: Authorizer;
  /** For access reviews: its own small cache and a per-user rate limit, since callers choose what they name. */
  reviewAuthorizer?: Authorizer;
  features: readonly FeatureName[];
  /** Every route this process serves, the platform's included. */
  servedRoutes: readonly RouteSpec[];
  buildVersion: string;
  /** The group these routes are served under (default `platform.ks-gpu-ml.io`). */
  group?: string;
}): PlatformService {
  /** One permission question, on the review authorizer (its own small cache and per-user rate limit). */
  async function reviewCallerAccess(
    user: Identity,
    token: string,
    review: SelfAccessReviewRequest,
  ): Promise<AccessReviewResult> {
    const decision = await (deps.reviewAuthorizer ?? deps.authorizer).authorize({
      user,
      token,
      scope: review.scope,
      scopeName: review.scopeName,
      verb: review.verb,
      group: review.group,
      resource: review.resource,
      ...(review.subresource ? { subresource: review.subresource } : {}),
      ...(review.name ? { name: review.name } : {}),
    });
    return { allowed: decision.allowed, ...(decision.reason ? { reason: decision.reason } : {}) };
  }

  return {
    listFeatures() {
      return {
        items: deps.features.map((name) => ({ name, group: groupOf(name), version: API_VERSION })),
        platform: {
          group: deps.group ?? PLATFORM_GROUP,
          version: API_VERSION,
          buildVersion: deps.buildVersion,
        },
      };
    },

    async capabilities(user, token, scope, scopeName) {
      // One entry per (group, resource, subresource), with the verbs its routes use; each verb is one
      // (cached) authorization question, asked in parallel.
      const byResource = new Map<
        string,
        { group: string; resource: string; subresource?: string; verbs: Set<Verb> }
      >();
      for (const route of deps.servedRoutes.filter((r) => r.scope === scope)) {
        const key = `${route.group}/${route.resource}/${route.subresource ?? ''}`;
        const entry = byResource.get(key) ?? {
          group: route.group,
          resource: route.resource,
          ...(route.subresource ? { subresource: route.subresource } : {}),
          verbs: new Set<Verb>(),
        };
        entry.verbs.add(route.verb);
        byResource.set(key, entry);
      }
      const items = await Promise.all(
        [...byResource.values()].map(async ({ verbs, ...resource }) => {
          const allowed = await Promise.all(
            [...verbs].map(async (verb) => {
              const decision = await deps.authorizer.authorize({
                user,
                token,
                verb,
                scope,
                scopeName,
                ...resource,
              });
              return decision.allowed ? verb : undefined;
            }),
          );
          return { ...resource, verbs: allowed.filter((v): v is Verb => v !== undefined) };
        }),
      );
      return { scope, scopeName, items };
    },

    accessReview(user, token, namespace, review) {
      return reviewCallerAccess(user, token, { scope: 'namespace', scopeName: namespace, ...review });
    },

    selfAccessReview: reviewCallerAccess,
  };
}

export type PlatformServiceDeps = Parameters<typeof createPlatformService>[0];

/** The platform routes one process serves: the shared group's, and each served feature's own (docs/adr/0026). */
export interface PlatformServices {
  shared: PlatformService;
  byFeature: ReadonlyMap<FeatureName, PlatformService>;
}

/**
 * The shared service answers for every served feature; a feature's own service answers for that feature alone
 * (its features list, the capabilities of its group's routes), so a page gets the same answer whether its package
 * runs alone or beside the others.
 */
export function createPlatformServices(deps: Omit<PlatformServiceDeps, 'group'>): PlatformServices {
  const byFeature = new Map(
    deps.features.map((feature) => {
      const group = groupOf(feature);
      const service = createPlatformService({
        ...deps,
        group,
        features: [feature],
        servedRoutes: deps.servedRoutes.filter((route) => route.group === group),
      });
      return [feature, service] as const;
    }),
  );
  return { shared: createPlatformService(deps), byFeature };
}

/** The routes the platform services mount: the shared group's and each served feature's. */
export const platformRouteSpecsFor = (features: readonly FeatureName[]): RouteSpec[] =>
  features.flatMap((feature) => Object.values(platformRoutesFor(feature)));
