import { Type, type Static } from '@sinclair/typebox';
import { API_VERSION, FEATURE_NAMES, PLATFORM_GROUP } from './api-groups.js';
import { defineRoute, DnsLabel, VERBS } from './routes.js';

/**
 * The core's built-in API group `platform.ks-gpu-ml.io`: what the backend serves, and what the caller may do.
 * The console uses it to hide actions the user cannot take, instead of letting them fail with 403.
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

const base = { group: PLATFORM_GROUP } as const;

export const platformRoutes = {
  listFeatures: defineRoute({
    ...base,
    id: 'platform.listFeatures',
    method: 'GET',
    scope: 'cluster',
    resource: 'features',
    named: false,
    grant: 'authenticated',
    summary: 'The features this backend serves, with their API groups and versions',
    schemas: { response: { 200: FeatureList } },
  }),
  listNamespaceCapabilities: defineRoute({
    ...base,
    id: 'platform.listNamespaceCapabilities',
    method: 'GET',
    scope: 'namespace',
    resource: 'capabilities',
    named: false,
    grant: 'view',
    summary: 'What the caller may do in this project, per resource of the served API groups',
    schemas: { response: { 200: CapabilityList } },
  }),
  listWorkspaceCapabilities: defineRoute({
    ...base,
    id: 'platform.listWorkspaceCapabilities',
    method: 'GET',
    scope: 'workspace',
    resource: 'capabilities',
    named: false,
    grant: 'admin',
    summary: 'What the caller may do in this workspace, per resource of the served API groups',
    schemas: { response: { 200: CapabilityList } },
  }),
  createAccessReview: defineRoute({
    ...base,
    id: 'platform.createAccessReview',
    method: 'POST',
    scope: 'namespace',
    resource: 'accessreviews',
    named: false,
    grant: 'view',
    summary: 'Whether the caller may perform one action in this project',
    schemas: { body: AccessReviewRequest, response: { 200: AccessReviewResult } },
  }),
  createSelfAccessReview: defineRoute({
    ...base,
    id: 'platform.createSelfAccessReview',
    method: 'POST',
    scope: 'cluster',
    resource: 'selfaccessreviews',
    named: false,
    grant: 'authenticated',
    summary: 'Whether the caller may perform one action in a workspace or project, asked before offering it',
    schemas: { body: SelfAccessReviewRequest, response: { 200: AccessReviewResult } },
  }),
} as const;

export const PLATFORM_VERSION = API_VERSION;
