import { Type, type Static } from '@sinclair/typebox';
import { CMDB_ALERTING_GROUP, SecretRef } from './cmdb-alerting.js';
import { DnsLabel, defineRoute } from './routes.js';

/**
 * cmdb-alerting's CMDB connection and routing by business (issue 15; docs/adr/0043). Platform admins' routes: the
 * CMDB connection is the cluster's one, and routing policies decide who hears of every alert of the cluster.
 */

// ---- CMDB connection settings ---------------------------------------------------------------------------------

export const CMDB_KINDS = ['bk-cmdb', 'netbox', 'generic'] as const;
export type CmdbKindName = (typeof CMDB_KINDS)[number];

/** A dot path into a JSON answer (`data.items`, `owners.0.name`). */
const DotPath = Type.String({ pattern: '^[A-Za-z0-9_$-]+(\\.[A-Za-z0-9_$-]+)*$', maxLength: 256 });
const HttpUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 });

/** How a generic HTTP/JSON CMDB answers: where its systems are and which field is which. */
export const GenericCmdbFields = Type.Object(
  {
    /** GET URL of a namespace's system, with `{namespace}` (and optionally `{cluster}`) in it. */
    namespaceUrl: HttpUrl,
    /** GET URL of a system by name, with `{name}` in it. */
    businessUrl: HttpUrl,
    /** The request header the Secret's value goes in (e.g. `authorization`, `x-api-key`). */
    header: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$' })),
    /** A prefix written before the Secret's value in that header (e.g. `Bearer `). */
    headerPrefix: Type.Optional(Type.String({ maxLength: 32 })),
    items: DotPath,
    name: DotPath,
    importance: Type.Optional(DotPath),
    owners: Type.Optional(DotPath),
    owner: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(DotPath),
          role: Type.Optional(DotPath),
          priority: Type.Optional(DotPath),
          wecomUserId: Type.Optional(DotPath),
          mobile: Type.Optional(DotPath),
          email: Type.Optional(DotPath),
        },
        { additionalProperties: false },
      ),
    ),
    code: Type.Optional(
      Type.Object(
        { path: DotPath, ok: Type.Union([Type.String({ maxLength: 64 }), Type.Number()]) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type GenericCmdbFields = Static<typeof GenericCmdbFields>;

const FieldName = Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' });

/**
 * The cluster's CMDB connection. Credentials only as a Secret reference (`secretRef`): the BK-CMDB app secret, the
 * NetBox token, or the generic CMDB's header value; the API stores and returns the reference, never the value.
 */
export const CmdbSettingsInput = Type.Object(
  {
    kind: Type.Union(CMDB_KINDS.map((k) => Type.Literal(k))),
    /** Off: saved but not asked; the mapping uses the cluster's own facts only. */
    enabled: Type.Boolean(),
    /** BK-CMDB: the API gateway's stage URL; NetBox: its base URL (the API is under /api/); generic: unused. */
    url: Type.Optional(HttpUrl),
    secretRef: Type.Optional(SecretRef),
    /** BK-CMDB: the app code and the BlueKing user the gateway acts as. */
    appCode: Type.Optional(Type.String({ pattern: '^[-_a-zA-Z0-9]{1,64}$' })),
    username: Type.Optional(Type.String({ pattern: '^[-_.@a-zA-Z0-9]{1,64}$' })),
    /** BK-CMDB: only namespaces of this cluster (cluster_uid). */
    clusterUid: Type.Optional(Type.String({ maxLength: 128 })),
    /** The custom attribute / field holding a system's importance (BK `biz_level`, NetBox `importance`). */
    importanceField: Type.Optional(FieldName),
    /** NetBox: the tenant custom field listing its namespaces, and the contact custom field with the WeCom id. */
    namespaceField: Type.Optional(FieldName),
    wecomField: Type.Optional(FieldName),
    generic: Type.Optional(GenericCmdbFields),
    /** How long an answer is fresh; after it the CMDB is asked again. */
    ttlSeconds: Type.Integer({ minimum: 5, maximum: 86_400 }),
    /** How long the last known answer is served while the CMDB cannot answer. */
    lastKnownSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 7 * 86_400 })),
    /** The deadline of one CMDB lookup. */
    timeoutMs: Type.Integer({ minimum: 100, maximum: 30_000 }),
  },
  { additionalProperties: false },
);
export type CmdbSettingsInput = Static<typeof CmdbSettingsInput>;

export const CmdbSettings = Type.Object({
  /** False until a platform admin saves a connection: the mapping then uses the cluster's own facts only. */
  configured: Type.Boolean(),
  settings: Type.Optional(CmdbSettingsInput),
  updatedAt: Type.Optional(Type.String({ description: 'RFC 3339' })),
});
export type CmdbSettings = Static<typeof CmdbSettings>;

/** Settings to try (saved or not) and what to look up with them. */
export const CmdbConnectionTestInput = Type.Object(
  {
    settings: CmdbSettingsInput,
    /** Look up this namespace's system (default: `default`). */
    namespace: Type.Optional(DnsLabel),
    /** Or this system by name. */
    system: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);
export type CmdbConnectionTestInput = Static<typeof CmdbConnectionTestInput>;

/** What the CMDB answered the test: the mapping it gave, or its error as it said it (reduced, no credentials). */
export const CmdbConnectionTest = Type.Object({
  ok: Type.Boolean(),
  /** The HTTP status of the CMDB's last answer, when it answered at all. */
  status: Type.Optional(Type.Integer()),
  latencyMs: Type.Integer({ minimum: 0 }),
  /** What was looked up, e.g. `namespace default`. */
  query: Type.String(),
  /** The system the CMDB gave (absent when it has none for the query). */
  sample: Type.Optional(
    Type.Object({
      name: Type.String(),
      importance: Type.Optional(Type.String()),
      owners: Type.Array(
        Type.Object({
          name: Type.String(),
          role: Type.Optional(Type.String()),
          wecomUserId: Type.Optional(Type.String()),
          email: Type.Optional(Type.String()),
          mobile: Type.Optional(Type.String()),
        }),
      ),
      rule: Type.String(),
    }),
  ),
  /** A CMDB_* message key (en and zh in locales) and the CMDB's own words, cut short and scrubbed of secrets. */
  error: Type.Optional(
    Type.Object({ key: Type.String(), detail: Type.String(), answer: Type.Optional(Type.String()) }),
  ),
});
export type CmdbConnectionTest = Static<typeof CmdbConnectionTest>;

// ---- routing policies by business -----------------------------------------------------------------------------

const Names = (max = 32) => Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: max });
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

/**
 * When a policy applies, in its time zone: on `days` from `start` to `end` (an `end` before `start` runs past
 * midnight: 19:00–09:00 is the night), never on `holidays`. `outside: true` turns it round: the policy applies
 * whenever the window does not (nights, weekends and holidays of a working-hours window).
 */
export const RoutingWindow = Type.Object(
  {
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA, e.g. Asia/Shanghai' }),
    days: Type.Array(Type.Union(WEEKDAYS.map((d) => Type.Literal(d))), { minItems: 1, maxItems: 7 }),
    start: HourMinute,
    end: HourMinute,
    holidays: Type.Optional(Type.Array(IsoDate, { maxItems: 366 })),
    outside: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RoutingWindow = Static<typeof RoutingWindow>;

/** What an alert must be for the policy to take it; every field given must match (a list: any of its values). */
export const RoutingMatch = Type.Object(
  {
    systems: Type.Optional(Names()),
    importance: Type.Optional(Names(16)),
    severities: Type.Optional(Names(16)),
    clusters: Type.Optional(Names()),
    namespaces: Type.Optional(Type.Array(DnsLabel, { maxItems: 64 })),
    labels: Type.Optional(
      Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 1024 }), { maxProperties: 16 }),
    ),
    /** Only alerts no source maps to a business system (the unowned bucket). */
    unowned: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RoutingMatch = Static<typeof RoutingMatch>;

export const RoutingPolicyInput = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', minLength: 1, maxLength: 63 }),
    description: Type.Optional(Type.String({ maxLength: 512 })),
    /** Lower is tried first; ties by name. The first policy that matches routes the alert. */
    priority: Type.Integer({ minimum: 0, maximum: 10_000 }),
    match: RoutingMatch,
    window: Type.Optional(RoutingWindow),
    /** The cluster's receivers notified at once (empty: the alert is routed to nobody, e.g. a muted bucket). */
    receivers: Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 10 }),
    /** A cluster escalation policy whose steps follow (its first step gains the receivers above). */
    escalationPolicy: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    /** The platform default: taken when no other policy matches (at most one). */
    default: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type RoutingPolicyInput = Static<typeof RoutingPolicyInput>;

export const RoutingPolicy = Type.Object({
  ...RoutingPolicyInput.properties,
  updatedAt: Type.String({ description: 'RFC 3339' }),
});
export type RoutingPolicy = Static<typeof RoutingPolicy>;
export const RoutingPolicyList = Type.Object({ items: Type.Array(RoutingPolicy) });
export type RoutingPolicyList = Static<typeof RoutingPolicyList>;

const clusterAdmin = { group: CMDB_ALERTING_GROUP, scope: 'cluster', grant: 'admin' } as const;

export const cmdbRoutingRoutes = {
  getCmdbSettings: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.getCmdbSettings',
    method: 'GET',
    resource: 'cmdbsettings',
    named: false,
    summary: "The cluster's CMDB connection (Secret references only, never a credential)",
    schemas: { response: { 200: CmdbSettings } },
  }),
  updateCmdbSettings: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.updateCmdbSettings',
    method: 'PUT',
    resource: 'cmdbsettings',
    named: false,
    summary: "Replaces the cluster's CMDB connection",
    schemas: { body: CmdbSettingsInput, response: { 200: CmdbSettings } },
  }),
  testCmdbConnection: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.testCmdbConnection',
    method: 'POST',
    resource: 'cmdbconnectiontests',
    named: false,
    summary: 'Asks the CMDB with the given settings, under their deadline, and shows what it answered',
    schemas: { body: CmdbConnectionTestInput, response: { 200: CmdbConnectionTest } },
  }),
  listRoutingPolicies: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.listRoutingPolicies',
    method: 'GET',
    resource: 'routingpolicies',
    named: false,
    summary: 'Routing policies by business, in the order they are tried',
    schemas: { response: { 200: RoutingPolicyList } },
  }),
  createRoutingPolicy: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.createRoutingPolicy',
    method: 'POST',
    resource: 'routingpolicies',
    named: false,
    summary: 'Adds a routing policy (409 when the name is taken)',
    schemas: { body: RoutingPolicyInput, response: { 200: RoutingPolicy } },
  }),
  updateRoutingPolicy: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.updateRoutingPolicy',
    method: 'PUT',
    resource: 'routingpolicies',
    named: true,
    summary: "Replaces a routing policy (the body's name must be the path's)",
    schemas: { body: RoutingPolicyInput, response: { 200: RoutingPolicy } },
  }),
  deleteRoutingPolicy: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.deleteRoutingPolicy',
    method: 'DELETE',
    resource: 'routingpolicies',
    named: true,
    summary: 'Removes a routing policy',
    schemas: { response: { 200: Type.Object({ name: Type.String() }) } },
  }),
};
