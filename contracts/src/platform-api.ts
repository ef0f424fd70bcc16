import { Type, type Static } from '@sinclair/typebox';
import { API_VERSION, FEATURE_NAMES, PLATFORM_GROUP, groupOf, type FeatureName } from './api-groups.js';
import { defineRoute, DnsLabel, VERBS } from './routes.js';

/**
 * The platform API: what the backend serves, and what the caller may do, under `platform.ks-gpu-ml.io` and under
 * each feature's own group (docs/adr/0026). The console uses it to hide actions the user cannot take, instead of
 * letting them fail with 403.
 */

export const FeatureInfo = Type.Object({
  name: Type.Union(FEATURE_NAMES.map((f) => Type.Literal(f))),
  group: Type.String(),
  version: Type.String(),
});
export type FeatureInfo = Static<typeof FeatureInfo>;

export const FeatureList = Type.Object({
  /** The features this backend serves (its FEATURES setting). */
  items: Type.Array(FeatureInfo),
  platform: Type.Object({ group: Type.String(), version: Type.String(), buildVersion: Type.String() }),
});
export type FeatureList = Static<typeof FeatureList>;

export const VerbEnum = Type.Union(VERBS.map((v) => Type.Literal(v)));

export const ResourceCapability = Type.Object({
  group: Type.String(),
  resource: Type.String(),
  subresource: Type.Optional(Type.String()),
  /** The verbs the caller is allowed, out of those the served routes use. */
  verbs: Type.Array(VerbEnum),
});

export const CapabilityList = Type.Object({
  scope: Type.Union([Type.Literal('workspace'), Type.Literal('namespace')]),
  scopeName: Type.String(),
  items: Type.Array(ResourceCapability),
});
export type CapabilityList = Static<typeof CapabilityList>;

/** A question about the caller's own permission, like Kubernetes' SelfSubjectAccessReview, scoped to a namespace. */
export const AccessReviewRequest = Type.Object(
  {
    verb: VerbEnum,
    group: Type.String({ pattern: '^[a-z0-9.-]*$', maxLength: 253 }),
    resource: Type.String({ pattern: '^[a-z0-9-]+$', minLength: 1, maxLength: 63 }),
    subresource: Type.Optional(Type.String({ pattern: '^[a-z0-9-]+$', minLength: 1, maxLength: 63 })),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  },
  { additionalProperties: false },
);
export type AccessReviewRequest = Static<typeof AccessReviewRequest>;

/**
 * The same question in a workspace or a project, asked at cluster scope like Kubernetes' SelfSubjectAccessReview,
 * so every signed-in user may ask it: a project member has no workspace role that would let it ask inside the
 * workspace. The console asks it before offering a link or button (docs/adr/0020); it only ever tells the caller
 * about the caller.
 */
export const SelfAccessReviewRequest = Type.Object(
  {
    scope: Type.Union([Type.Literal('workspace'), Type.Literal('namespace')]),
    scopeName: DnsLabel,
    ...AccessReviewRequest.properties,
  },
  { additionalProperties: false },
);
export type SelfAccessReviewRequest = Static<typeof SelfAccessReviewRequest>;

export const AccessReviewResult = Type.Object({
  allowed: Type.Boolean(),
  reason: Type.Optional(Type.String()),
});
export type AccessReviewResult = Static<typeof AccessReviewResult>;

/**
 * The platform routes under one API group, with route ids prefixed by `idPrefix`. The same five routes are served
 * under `platform.ks-gpu-ml.io` (the all-in-one backend) and under each feature's own group, so each extension
 * package grants and serves them itself and installs alone (docs/adr/0026).
 */
function platformRoutesIn(group: string, idPrefix: string) {
  return {
    listFeatures: defineRoute({
      group,
      id: `${idPrefix}.listFeatures`,
      method: 'GET',
      scope: 'cluster',
      resource: 'features',
      named: false,
      grant: 'authenticated',
      summary: 'The features this backend serves, with their API groups and versions',
      schemas: { response: { 200: FeatureList } },
    }),
    listNamespaceCapabilities: defineRoute({
      group,
      id: `${idPrefix}.listNamespaceCapabilities`,
      method: 'GET',
      scope: 'namespace',
      resource: 'capabilities',
      named: false,
      grant: 'view',
      summary: 'What the caller may do in this project, per resource of the served API groups',
      schemas: { response: { 200: CapabilityList } },
    }),
    listWorkspaceCapabilities: defineRoute({
      group,
      id: `${idPrefix}.listWorkspaceCapabilities`,
      method: 'GET',
      scope: 'workspace',
      resource: 'capabilities',
      named: false,
      grant: 'admin',
      summary: 'What the caller may do in this workspace, per resource of the served API groups',
      schemas: { response: { 200: CapabilityList } },
    }),
    createAccessReview: defineRoute({
      group,
      id: `${idPrefix}.createAccessReview`,
      method: 'POST',
      scope: 'namespace',
      resource: 'accessreviews',
      named: false,
      grant: 'view',
      summary: 'Whether the caller may perform one action in this project',
      schemas: { body: AccessReviewRequest, response: { 200: AccessReviewResult } },
    }),
    createSelfAccessReview: defineRoute({
      group,
      id: `${idPrefix}.createSelfAccessReview`,
      method: 'POST',
      scope: 'cluster',
      resource: 'selfaccessreviews',
      named: false,
      grant: 'authenticated',
      summary:
        'Whether the caller may perform one action in a workspace or project, asked before offering it',
      schemas: { body: SelfAccessReviewRequest, response: { 200: AccessReviewResult } },
    }),
  } as const;
}

export type PlatformRouteSet = ReturnType<typeof platformRoutesIn>;

/** The platform routes under `platform.ks-gpu-ml.io`: served by every backend, granted by no package (ADR 0026). */
export const platformRoutes: PlatformRouteSet = platformRoutesIn(PLATFORM_GROUP, 'platform');

const featurePlatformRoutes = Object.fromEntries(
  FEATURE_NAMES.map((feature) => [feature, platformRoutesIn(groupOf(feature), feature)]),
) as Record<FeatureName, PlatformRouteSet>;

/**
 * The platform routes under a feature's own group `<feature>.ks-gpu-ml.io`, answering for that feature alone:
 * what its extension's pages call, and what its package's RoleTemplates grant (docs/adr/0026).
 */
export const platformRoutesFor = (feature: FeatureName): PlatformRouteSet => featurePlatformRoutes[feature];

/**
 * The platform routes that answer for the group a route belongs to: its feature's own set, or the shared
 * `platform.ks-gpu-ml.io` set for a group that is no feature's. Lets the console ask "may I call this route?" of
 * the extension that serves the route.
 */
export function platformRoutesOfGroup(group: string): PlatformRouteSet {
  const feature = FEATURE_NAMES.find((name) => groupOf(name) === group);
  return feature ? featurePlatformRoutes[feature] : platformRoutes;
}

export const PLATFORM_VERSION = API_VERSION;
