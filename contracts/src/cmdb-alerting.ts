import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { groupOf } from './api-groups.js';
import { KeysetPageQuery, keysetPage } from './keyset-page.js';
import { DnsLabel, DnsSubdomain, defineRoute } from './routes.js';

/**
 * cmdb-alerting's contract. The first part is the intake: the body Alertmanager's webhook receiver POSTs
 * (payload version "4", Alertmanager 0.25 … 0.34; docs/configuration.md `<webhook_config>`) to
 * ALERTMANAGER_WEBHOOK_PATH. That endpoint lives outside `/kapis` and outside the user-token guard: Alertmanager
 * authenticates with a bearer token of its own (http_config.authorization), see docs/adr/0022.
 *
 * Fields a newer Alertmanager adds (e.g. `notification_reason`, 0.34) are accepted and ignored, so an upgrade of
 * Alertmanager never turns its notifications into 400s, which it would not retry.
 */

/** Where Alertmanager's webhook_config `url` points (on the backend's own listener, not under /kapis). */
export const ALERTMANAGER_WEBHOOK_PATH = '/webhooks/alertmanager';

const Status = Type.Union([Type.Literal('firing'), Type.Literal('resolved')]);
const StringMap = Type.Record(Type.String(), Type.String());
/** RFC 3339 as Go's time.Time marshals it; `0001-01-01T00:00:00Z` is a firing alert's endsAt. */
const Rfc3339 = Type.String({ minLength: 20, maxLength: 40, pattern: '^\\d{4}-\\d{2}-\\d{2}T' });

export const AlertmanagerAlert = Type.Object(
  {
    status: Status,
    labels: StringMap,
    annotations: StringMap,
    startsAt: Rfc3339,
    endsAt: Rfc3339,
    generatorURL: Type.String(),
    /** The hash of the alert's label set, 16 hex digits in every Alertmanager release. */
    fingerprint: Type.String({ pattern: '^[0-9a-f]{1,64}$' }),
  },
  { description: 'One alert of the group' },
);
export type AlertmanagerAlert = Static<typeof AlertmanagerAlert>;

export const AlertmanagerWebhookPayload = Type.Object(
  {
    version: Type.Literal('4'),
    /** Identifies the aggregation group (route matchers + group labels). */
    groupKey: Type.String({ minLength: 1, maxLength: 8192 }),
    truncatedAlerts: Type.Integer({ minimum: 0 }),
    status: Status,
    receiver: Type.String({ maxLength: 1024 }),
    groupLabels: StringMap,
    commonLabels: StringMap,
    commonAnnotations: StringMap,
    externalURL: Type.String(),
    alerts: Type.Array(AlertmanagerAlert, { minItems: 1 }),
  },
  { description: 'Alertmanager webhook payload, version 4' },
);
export type AlertmanagerWebhookPayload = Static<typeof AlertmanagerWebhookPayload>;

/** The 200 answer: how many alerts of the batch were new, and how many had been received before (HA peer, retry). */
export const IntakeAnswer = Type.Object({
  recorded: Type.Integer({ minimum: 0 }),
  duplicates: Type.Integer({ minimum: 0 }),
});
export type IntakeAnswer = Static<typeof IntakeAnswer>;

// ---- routes under /kapis ------------------------------------------------------------------------------------

export const CMDB_ALERTING_GROUP = groupOf('cmdb-alerting');

/** One alert state the intake recorded (a firing or a resolve of one label set). */
export const ReceivedAlert = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  fingerprint: Type.String(),
  status: Status,
  startsAt: Type.String(),
  labels: StringMap,
  /** When the intake committed it (RFC 3339). */
  receivedAt: Type.String(),
});
export type ReceivedAlert = Static<typeof ReceivedAlert>;

export const ReceivedAlertList = keysetPage(ReceivedAlert);
export type ReceivedAlertList = Static<typeof ReceivedAlertList>;

export const ReceivedAlertQuery = KeysetPageQuery;
export type ReceivedAlertQuery = Static<typeof ReceivedAlertQuery>;

// ---- receivers and escalation policies (docs/adr/0031) -------------------------------------------------------

/** The delivery channels a receiver can use (backend/src/clients/channels/channel.ts `ChannelType`). */
export const RECEIVER_TYPES = ['wecom-robot', 'wecom-app', 'email', 'voice', 'webhook'] as const;
export type ReceiverType = (typeof RECEIVER_TYPES)[number];

/** A key inside a Kubernetes Secret, by name only: the API stores and returns this reference, never the value. */
export const SecretRef = Type.Object(
  {
    namespace: DnsLabel,
    name: DnsSubdomain,
    key: Type.String({ pattern: '^[-._a-zA-Z0-9]+$', minLength: 1, maxLength: 253 }),
  },
  { additionalProperties: false },
);
export type SecretRef = Static<typeof SecretRef>;

/** A person a receiver reaches; which field a channel needs is in RECEIVER_FIELDS. */
export const ReceiverRecipient = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    wecomUserId: Type.Optional(Type.String({ pattern: '^[-_.@a-zA-Z0-9]{1,64}$' })),
    mobile: Type.Optional(Type.String({ pattern: '^\\+?[0-9]{5,20}$' })),
    email: Type.Optional(Type.String({ pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254 })),
  },
  { additionalProperties: false },
);
export type ReceiverRecipient = Static<typeof ReceiverRecipient>;

/**
 * What each receiver type takes, a rule both the API and the editor apply: its settings (plain values), its
 * secrets (references only) and the recipient field each recipient must have. A setting not listed is refused,
 * so a secret can never be stored as a setting by mistake. Every type takes `language` (RECEIVER_LANGUAGES): the
 * language its messages are written in, English when unset.
 */
export const RECEIVER_LANGUAGES = ['en', 'zh'] as const;
export const RECEIVER_FIELDS: Record<
  ReceiverType,
  {
    settings: { required: readonly string[]; optional: readonly string[] };
    secrets: { required: readonly string[]; optional: readonly string[] };
    recipientField?: keyof ReceiverRecipient;
  }
> = {
  'wecom-robot': {
    settings: { required: [], optional: ['mentionAll', 'language'] },
    secrets: { required: ['webhookKey'], optional: [] },
  },
  'wecom-app': {
    settings: { required: ['corpId', 'agentId'], optional: ['toParty', 'toTag', 'language'] },
    // The callback's Token and EncodingAESKey: with both, people acknowledge by replying "ACK <code>" (ADR 0047).
    secrets: { required: ['corpSecret'], optional: ['callbackToken', 'callbackAesKey'] },
    recipientField: 'wecomUserId',
  },
  email: {
    settings: { required: [], optional: ['cc', 'language'] },
    secrets: { required: [], optional: [] },
    recipientField: 'email',
  },
  voice: {
    settings: { required: [], optional: ['providers', 'language'] },
    secrets: { required: [], optional: [] },
    recipientField: 'mobile',
  },
  webhook: {
    settings: { required: ['url'], optional: ['language'] },
    secrets: { required: [], optional: ['hmacKey'] },
  },
};

const ConfigName = Type.String({
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  minLength: 1,
  maxLength: 63,
  description: 'RFC 1123 label',
});
const Description = Type.Optional(Type.String({ maxLength: 512 }));

export const ReceiverInput = Type.Object(
  {
    name: ConfigName,
    type: Type.Union(RECEIVER_TYPES.map((t) => Type.Literal(t))),
    description: Description,
    settings: Type.Record(Type.String({ maxLength: 63 }), Type.String({ maxLength: 2048 }), {
      maxProperties: 16,
    }),
    secretRefs: Type.Record(Type.String({ maxLength: 63 }), SecretRef, { maxProperties: 8 }),
    recipients: Type.Array(ReceiverRecipient, { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type ReceiverInput = Static<typeof ReceiverInput>;

const UpdatedAt = { updatedAt: Type.String({ description: 'RFC 3339' }) };

export const Receiver = Type.Object({ ...ReceiverInput.properties, ...UpdatedAt });
export type Receiver = Static<typeof Receiver>;
export const ReceiverList = Type.Object({ items: Type.Array(Receiver) });
export type ReceiverList = Static<typeof ReceiverList>;

/** Whose CMDB contacts a step reaches: the business system's owners (role owner) or its maintainers (ops). */
export const CONTACT_GROUPS = ['owners', 'maintainers'] as const;
export type ContactGroup = (typeof CONTACT_GROUPS)[number];

/**
 * The people of the alert's business system, reached directly (docs/adr/0043): `via` names a receiver whose
 * channel (a WeCom app, email, voice, or a group robot that @-mentions them) carries the message, addressed to the
 * contacts the CMDB (or the workload's annotations) gave instead of the receiver's own recipients.
 */
export const StepContacts = Type.Object(
  {
    who: Type.Union(CONTACT_GROUPS.map((g) => Type.Literal(g))),
    via: ConfigName,
    /** Only alerts of these severities (e.g. a phone call for critical ones); every alert when absent. */
    severities: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 8 })),
    /** Only systems of these importance levels (e.g. P1); every system when absent. */
    importance: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 8 })),
  },
  { additionalProperties: false },
);
export type StepContacts = Static<typeof StepContacts>;

export const EscalationStep = Type.Object(
  {
    /**
     * Receivers notified at this step, in this order (names of receivers of the same scope or the cluster); may be
     * empty when the step reaches the system's people (`contacts`).
     */
    receivers: Type.Array(ConfigName, { maxItems: 10 }),
    /** The business system's owners or maintainers, each group through a receiver's channel. */
    contacts: Type.Optional(Type.Array(StepContacts, { maxItems: 6 })),
    /** How long to wait for an acknowledgement before the next step. */
    waitSeconds: Type.Integer({ minimum: 0, maximum: 86_400 }),
    /** Distinct people who must acknowledge at this step before the escalation stops (default 1). */
    acksRequired: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
  },
  { additionalProperties: false },
);
export type EscalationStep = Static<typeof EscalationStep>;

export const EscalationPolicyInput = Type.Object(
  {
    name: ConfigName,
    description: Description,
    /** The policy applies to alerts carrying all these labels (empty: every alert of its scope). */
    matchLabels: Type.Record(Type.String({ maxLength: 128 }), Type.String({ maxLength: 1024 }), {
      maxProperties: 16,
    }),
    steps: Type.Array(EscalationStep, { minItems: 1, maxItems: 20 }),
    /** How many more times the whole chain runs after its last step's wait, while nobody acknowledges. */
    repeat: Type.Integer({ minimum: 0, maximum: 10 }),
  },
  { additionalProperties: false },
);
export type EscalationPolicyInput = Static<typeof EscalationPolicyInput>;

export const EscalationPolicy = Type.Object({ ...EscalationPolicyInput.properties, ...UpdatedAt });
export type EscalationPolicy = Static<typeof EscalationPolicy>;
export const EscalationPolicyList = Type.Object({ items: Type.Array(EscalationPolicy) });
export type EscalationPolicyList = Static<typeof EscalationPolicyList>;

export const DeletedAnswer = Type.Object({ name: Type.String() });

/**
 * Five routes (list, get, create, update, delete) for one kind of configuration in one scope. Platform admins
 * manage the cluster's; a workspace's admins manage their workspace's (the README's promise).
 */
function configRoutes<
  const Noun extends string,
  const Plural extends string,
  const Resource extends string,
  const S extends 'cluster' | 'workspace',
  I extends TSchema,
  T extends TSchema,
  L extends TSchema,
>([noun, plural]: [Noun, Plural], resource: Resource, scope: S, schemas: { input: I; item: T; list: L }) {
  const prefix = `cmdb-alerting.` as const;
  const where = scope === 'cluster' ? 'of the cluster' : 'of a workspace';
  const common = { group: CMDB_ALERTING_GROUP, scope, resource, grant: 'admin' } as const;
  return {
    list: defineRoute({
      ...common,
      id: `${prefix}list${plural}`,
      method: 'GET',
      named: false,
      summary: `The ${resource} ${where}`,
      schemas: { response: { 200: schemas.list } },
    }),
    get: defineRoute({
      ...common,
      id: `${prefix}get${noun}`,
      method: 'GET',
      named: true,
      summary: `One of the ${resource} ${where}`,
      schemas: { response: { 200: schemas.item } },
    }),
    create: defineRoute({
      ...common,
      id: `${prefix}create${noun}`,
      method: 'POST',
      named: false,
      summary: `Adds one of the ${resource} ${where} (409 when the name is taken)`,
      schemas: { body: schemas.input, response: { 200: schemas.item } },
    }),
    update: defineRoute({
      ...common,
      id: `${prefix}update${noun}`,
      method: 'PUT',
      named: true,
      summary: `Replaces one of the ${resource} ${where} (the body's name must be the path's)`,
      schemas: { body: schemas.input, response: { 200: schemas.item } },
    }),
    remove: defineRoute({
      ...common,
      id: `${prefix}delete${noun}`,
      method: 'DELETE',
      named: true,
      summary: `Removes one of the ${resource} ${where}`,
      schemas: { response: { 200: DeletedAnswer } },
    }),
  };
}

const receiverSchemas = { input: ReceiverInput, item: Receiver, list: ReceiverList };
const policySchemas = { input: EscalationPolicyInput, item: EscalationPolicy, list: EscalationPolicyList };
export const clusterReceiverRoutes = configRoutes(
  ['ClusterReceiver', 'ClusterReceivers'],
  'receivers',
  'cluster',
  receiverSchemas,
);
export const workspaceReceiverRoutes = configRoutes(
  ['WorkspaceReceiver', 'WorkspaceReceivers'],
  'receivers',
  'workspace',
  receiverSchemas,
);
export const clusterPolicyRoutes = configRoutes(
  ['ClusterEscalationPolicy', 'ClusterEscalationPolicies'],
  'escalationpolicies',
  'cluster',
  policySchemas,
);
export const workspacePolicyRoutes = configRoutes(
  ['WorkspaceEscalationPolicy', 'WorkspaceEscalationPolicies'],
  'escalationpolicies',
  'workspace',
  policySchemas,
);

// ---- acknowledgements, escalation state and silences ----------------------------------------------------------

/** Where a signed acknowledgement link points (the backend's own listener, outside /kapis and the user guard). */
export const ACK_LINK_PATH = '/alerting/ack';

/**
 * WeCom's "receive messages" callback of a WeCom app receiver (docs/adr/0047): `<path>/<name>` for the cluster's
 * receiver, `<path>/<workspace>/<name>` for a workspace's. Outside /kapis and the user guard; WeCom's msg_signature
 * with the receiver's Token is the credential.
 */
export const WECOM_CALLBACK_PATH = '/alerting/wecom/callback';

/**
 * One alert's key: its fingerprint and the second it started firing (`<16 hex>-<unix seconds>`), so the same label
 * set firing again after a resolve is a new alert with its own escalation. A valid path segment (RFC 1123 subdomain).
 */
export const AlertKey = Type.String({ pattern: '^[0-9a-f]{1,64}-[0-9]{1,12}$', maxLength: 80 });

export const EscalationState = Type.Union([
  Type.Literal('escalating'),
  Type.Literal('acknowledged'),
  Type.Literal('resolved'),
  /** Every step of every round was sent and nobody acknowledged. */
  Type.Literal('exhausted'),
]);

/** Which source and rule set an enriched field (docs/adr/0039). */
export const BusinessProvenance = Type.Object({
  source: Type.String({ description: 'workload, namespace, cmdb, workspace, unowned or template' }),
  rule: Type.String(),
});
const enriched = <T extends TSchema>(value: T) => Type.Object({ value, provenance: BusinessProvenance });
export const BusinessContact = Type.Object({
  name: Type.String(),
  role: Type.Optional(Type.String()),
  priority: Type.Optional(Type.Number()),
  wecomUserId: Type.Optional(Type.String()),
  mobile: Type.Optional(Type.String()),
  email: Type.Optional(Type.String()),
});
/** The business system an alert hits, resolved when its escalation started, every field with its provenance. */
export const AlertBusiness = Type.Object({
  system: enriched(Type.String()),
  unowned: Type.Boolean(),
  importance: Type.Optional(enriched(Type.String())),
  owners: enriched(Type.Array(BusinessContact)),
  workloads: enriched(
    Type.Array(Type.Object({ kind: Type.String(), namespace: Type.String(), name: Type.String() })),
  ),
  cluster: Type.Optional(enriched(Type.String())),
  impact: Type.Object({ en: Type.String(), zh: Type.String(), provenance: BusinessProvenance }),
  /** The CMDB could not be asked: a CMDB-sourced mapping is the last known one; `error` a CMDB_* message key. */
  cmdb: Type.Object({ stale: Type.Boolean(), error: Type.Optional(Type.String()) }),
  /** Each source tried, in order, and what it gave. */
  chain: Type.Array(
    Type.Object({
      source: Type.String(),
      outcome: Type.String({ description: 'matched, no-match, error or skipped' }),
      rule: Type.String(),
      detail: Type.Optional(Type.String()),
    }),
  ),
});
export type AlertBusiness = Static<typeof AlertBusiness>;

export const AlertEscalation = Type.Object({
  alertKey: Type.String(),
  policy: Type.String(),
  /** Empty for the cluster's policies, else the workspace whose policy runs. */
  workspace: Type.String(),
  state: EscalationState,
  /** How many step notifications were sent (rounds × steps, counting from 1); 0 before the first. */
  stepsSent: Type.Integer({ minimum: 0 }),
  acknowledgedBy: Type.Array(Type.String()),
  /** Receivers notified so far; the resolved notice goes to all of them. */
  notified: Type.Array(Type.String()),
  /** When the next step is due (RFC 3339), while escalating. */
  nextStepAt: Type.Optional(Type.String()),
  /** The business system the alert hits, with provenance (absent for alerts started before enrichment). */
  business: Type.Optional(AlertBusiness),
  /**
   * The steps this escalation runs: the snapshot taken when it started (ADR 0031), for a routed alert the routing
   * policy's receivers joined to its escalation policy's first step (ADR 0043), which no policy is named after.
   */
  chain: Type.Optional(
    Type.Object({
      steps: Type.Array(EscalationStep),
      repeat: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type AlertEscalation = Static<typeof AlertEscalation>;

export const SilenceMatcher = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 128 }),
    value: Type.String({ maxLength: 1024 }),
    isRegex: Type.Boolean(),
    isEqual: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const SilenceInput = Type.Object(
  {
    matchers: Type.Array(SilenceMatcher, { minItems: 1, maxItems: 32 }),
    /** The silence starts now and lasts this long (at most 30 days). */
    durationMinutes: Type.Integer({ minimum: 1, maximum: 43_200 }),
    comment: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type SilenceInput = Static<typeof SilenceInput>;

/** A silence as Alertmanager's API v2 holds it; `createdBy` is the signed-in user who made it. */
export const Silence = Type.Object({
  id: Type.String(),
  matchers: Type.Array(SilenceMatcher),
  startsAt: Type.String(),
  endsAt: Type.String(),
  createdBy: Type.String(),
  comment: Type.String(),
  state: Type.String({ description: 'active, pending or expired' }),
});
export type Silence = Static<typeof Silence>;
export const SilenceList = Type.Object({ items: Type.Array(Silence) });
export type SilenceList = Static<typeof SilenceList>;
export const SilenceCreated = Type.Object({ id: Type.String() });

// ---- delivery trail and dead letters (docs/adr/0034) -----------------------------------------------------------

/** One attempt to deliver a notification about an alert: which receiver, channel and people, and what came back. */
export const DeliveryAttempt = Type.Object({
  /** The outbox row (one notification for one receiver); a retried dead letter keeps its id. */
  deliveryId: Type.Integer({ minimum: 1 }),
  /** `<workspace>/<name>` for a workspace's receiver, `<name>` for the cluster's. */
  receiver: Type.String(),
  channel: Type.String(),
  recipients: Type.Array(Type.String()),
  outcome: Type.String({ description: 'delivered, retry, failed or interrupted' }),
  /** The provider's answer, reduced (errcode and errmsg, SMTP reply, call id); never a secret. */
  providerAnswer: Type.Optional(Type.String()),
  /** As the outbox recorded it: one of the backend's message keys (CMDB_ALERTING_*), or a plain text. */
  error: Type.Optional(Type.String()),
  /** The error in the caller's language, when it is one of the backend's messages. */
  errorText: Type.Optional(Type.String()),
  /** RFC 3339. */
  at: Type.String(),
});
export type DeliveryAttempt = Static<typeof DeliveryAttempt>;
export const DeliveryTrail = Type.Object({ items: Type.Array(DeliveryAttempt) });
export type DeliveryTrail = Static<typeof DeliveryTrail>;

/** A notification the outbox gave up on (after its retry limit, or refused for good): retryable. */
export const DeadLetter = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  receiver: Type.String(),
  alertKey: Type.String(),
  attempts: Type.Integer({ minimum: 0 }),
  lastError: Type.Optional(Type.String()),
  /** The last error in the caller's language, when it is one of the backend's messages. */
  lastErrorText: Type.Optional(Type.String()),
  /** When it became a dead letter (RFC 3339). */
  updatedAt: Type.String(),
});
export type DeadLetter = Static<typeof DeadLetter>;
export const DeadLetterList = keysetPage(DeadLetter);
export type DeadLetterList = Static<typeof DeadLetterList>;
export const DeadLetterQuery = KeysetPageQuery;
export type DeadLetterQuery = Static<typeof DeadLetterQuery>;
/** A retried dead letter: pending again, due now, its attempts reset. */
export const DeadLetterRetried = Type.Object({
  id: Type.Integer({ minimum: 1 }),
  state: Type.Literal('pending'),
});
export type DeadLetterRetried = Static<typeof DeadLetterRetried>;

/**
 * What a receiver's test message got from its provider: the outcome, the reason in the caller's language, and the
 * provider's own answer as the channel reduced it (WeCom errcode and errmsg, the SMTP server's reply, each voice
 * provider's answer), never a secret.
 */
export const ReceiverTestResult = Type.Object({
  outcome: Type.Union([Type.Literal('delivered'), Type.Literal('retry'), Type.Literal('failed')]),
  /** Why it was not delivered (retry, failed), in the caller's language. */
  message: Type.Optional(Type.String()),
  providerAnswer: Type.Optional(Type.String()),
  /** The provider's id for the message or call. */
  providerRef: Type.Optional(Type.String()),
  perRecipient: Type.Optional(
    Type.Array(
      Type.Object({
        recipient: Type.String(),
        outcome: Type.String({ description: 'delivered, failed, answered, not-answered or pending' }),
        detail: Type.Optional(Type.String()),
      }),
    ),
  ),
  /** When it was sent (RFC 3339). */
  sentAt: Type.String(),
});
export type ReceiverTestResult = Static<typeof ReceiverTestResult>;

/** An alert a workspace's policy escalates, as its members see it in their list. */
export const WorkspaceAlert = Type.Object({
  alertKey: Type.String(),
  fingerprint: Type.String(),
  startsAt: Type.String(),
  labels: StringMap,
  policy: Type.String(),
  state: EscalationState,
  stepsSent: Type.Integer({ minimum: 0 }),
  acknowledgedBy: Type.Array(Type.String()),
  /** The business system it hits, when the escalation resolved one (docs/adr/0039). */
  system: Type.Optional(Type.String()),
});
export type WorkspaceAlert = Static<typeof WorkspaceAlert>;
export const WorkspaceAlertList = keysetPage(WorkspaceAlert);
export type WorkspaceAlertList = Static<typeof WorkspaceAlertList>;

const clusterAdmin = { group: CMDB_ALERTING_GROUP, scope: 'cluster', grant: 'admin' } as const;

/** Every cmdb-alerting route under /kapis. */
export const cmdbAlertingRoutes = {
  listAlerts: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.listAlerts',
    method: 'GET',
    resource: 'alerts',
    named: false,
    summary: 'Alert states the intake recorded from Alertmanager, newest first',
    schemas: { querystring: ReceivedAlertQuery, response: { 200: ReceivedAlertList } },
  }),
  getAlertEscalation: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.getAlertEscalation',
    method: 'GET',
    resource: 'alerts',
    named: true,
    subresource: 'escalation',
    summary: "An alert's escalation: policy, state, steps sent, who acknowledged, who was notified",
    schemas: { response: { 200: AlertEscalation } },
  }),
  acknowledgeAlert: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.acknowledgeAlert',
    method: 'POST',
    resource: 'alerts',
    named: true,
    subresource: 'acknowledgement',
    summary: 'Acknowledges an alert as the signed-in user; the escalation stops when enough people have',
    schemas: { response: { 200: AlertEscalation } },
  }),
  // Whom an alert concerns: members of the workspace whose policy escalates it may see and acknowledge it.
  listWorkspaceAlerts: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'view',
    id: 'cmdb-alerting.listWorkspaceAlerts',
    method: 'GET',
    resource: 'alerts',
    named: false,
    summary: "Alerts the workspace's policies escalate, newest first: state, step, who acknowledged",
    schemas: { querystring: ReceivedAlertQuery, response: { 200: WorkspaceAlertList } },
  }),
  getWorkspaceAlertEscalation: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'view',
    id: 'cmdb-alerting.getWorkspaceAlertEscalation',
    method: 'GET',
    resource: 'alerts',
    named: true,
    subresource: 'escalation',
    summary: "The escalation of an alert the workspace's policy escalates",
    schemas: { response: { 200: AlertEscalation } },
  }),
  acknowledgeWorkspaceAlert: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'view',
    id: 'cmdb-alerting.acknowledgeWorkspaceAlert',
    method: 'POST',
    resource: 'alerts',
    named: true,
    subresource: 'acknowledgement',
    summary: "Acknowledges, as the signed-in member, an alert the workspace's policy escalates",
    schemas: { response: { 200: AlertEscalation } },
  }),
  listSilences: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.listSilences',
    method: 'GET',
    resource: 'silences',
    named: false,
    summary: "Alertmanager's silences (API v2)",
    schemas: { response: { 200: SilenceList } },
  }),
  createSilence: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.createSilence',
    method: 'POST',
    resource: 'silences',
    named: false,
    summary: 'Creates a silence in Alertmanager, starting now, made by the signed-in user',
    schemas: { body: SilenceInput, response: { 200: SilenceCreated } },
  }),
  expireSilence: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.expireSilence',
    method: 'DELETE',
    resource: 'silences',
    named: true,
    summary: 'Expires a silence in Alertmanager at once',
    schemas: { response: { 200: SilenceCreated } },
  }),
  getAlertDeliveries: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.getAlertDeliveries',
    method: 'GET',
    resource: 'alerts',
    named: true,
    subresource: 'deliveries',
    summary:
      "An alert's delivery trail: every attempt, its channel, recipients, outcome, provider answer, error",
    schemas: { response: { 200: DeliveryTrail } },
  }),
  getWorkspaceAlertDeliveries: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'view',
    id: 'cmdb-alerting.getWorkspaceAlertDeliveries',
    method: 'GET',
    resource: 'alerts',
    named: true,
    subresource: 'deliveries',
    summary: "The delivery trail of an alert the workspace's policy escalates",
    schemas: { response: { 200: DeliveryTrail } },
  }),
  listDeadLetters: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.listDeadLetters',
    method: 'GET',
    resource: 'deadletters',
    named: false,
    summary:
      'Notifications the outbox gave up on, every receiver of the cluster and the workspaces, newest first',
    schemas: { querystring: DeadLetterQuery, response: { 200: DeadLetterList } },
  }),
  retryDeadLetter: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.retryDeadLetter',
    method: 'POST',
    resource: 'deadletters',
    named: true,
    subresource: 'retry',
    summary: 'Makes a dead letter pending again, due now, its attempts reset (404 when it is not dead)',
    schemas: { response: { 200: DeadLetterRetried } },
  }),
  listWorkspaceDeadLetters: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'admin',
    id: 'cmdb-alerting.listWorkspaceDeadLetters',
    method: 'GET',
    resource: 'deadletters',
    named: false,
    summary: "Dead letters of the workspace's receivers, newest first",
    schemas: { querystring: DeadLetterQuery, response: { 200: DeadLetterList } },
  }),
  retryWorkspaceDeadLetter: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'admin',
    id: 'cmdb-alerting.retryWorkspaceDeadLetter',
    method: 'POST',
    resource: 'deadletters',
    named: true,
    subresource: 'retry',
    summary: "Retries a dead letter of one of the workspace's receivers (404 for any other)",
    schemas: { response: { 200: DeadLetterRetried } },
  }),
  listClusterReceivers: clusterReceiverRoutes.list,
  getClusterReceiver: clusterReceiverRoutes.get,
  createClusterReceiver: clusterReceiverRoutes.create,
  updateClusterReceiver: clusterReceiverRoutes.update,
  listWorkspaceReceivers: workspaceReceiverRoutes.list,
  getWorkspaceReceiver: workspaceReceiverRoutes.get,
  createWorkspaceReceiver: workspaceReceiverRoutes.create,
  updateWorkspaceReceiver: workspaceReceiverRoutes.update,
  listClusterEscalationPolicies: clusterPolicyRoutes.list,
  getClusterEscalationPolicy: clusterPolicyRoutes.get,
  createClusterEscalationPolicy: clusterPolicyRoutes.create,
  updateClusterEscalationPolicy: clusterPolicyRoutes.update,
  deleteClusterEscalationPolicy: clusterPolicyRoutes.remove,
  deleteClusterReceiver: clusterReceiverRoutes.remove,
  listWorkspaceEscalationPolicies: workspacePolicyRoutes.list,
  getWorkspaceEscalationPolicy: workspacePolicyRoutes.get,
  createWorkspaceEscalationPolicy: workspacePolicyRoutes.create,
  updateWorkspaceEscalationPolicy: workspacePolicyRoutes.update,
  deleteWorkspaceEscalationPolicy: workspacePolicyRoutes.remove,
  // Last, after the policies that use them: the route-table tests (403 matrix, validation) call the routes in this
  // order on one store, and a receiver a policy still names cannot be deleted (409).
  deleteWorkspaceReceiver: workspaceReceiverRoutes.remove,
  // After the deletes: the tables' `example` receivers are gone by then, so the route-table suites get 404s and send
  // nothing (and meet no per-receiver rate limit).
  testClusterReceiver: defineRoute({
    ...clusterAdmin,
    id: 'cmdb-alerting.testClusterReceiver',
    method: 'POST',
    resource: 'receivers',
    named: true,
    subresource: 'test',
    summary:
      "Sends a test message through the receiver's channel and answers the provider's answer (rate-limited per receiver: 429)",
    schemas: { response: { 200: ReceiverTestResult } },
  }),
  testWorkspaceReceiver: defineRoute({
    group: CMDB_ALERTING_GROUP,
    scope: 'workspace',
    grant: 'admin',
    id: 'cmdb-alerting.testWorkspaceReceiver',
    method: 'POST',
    resource: 'receivers',
    named: true,
    subresource: 'test',
    summary:
      "Sends a test message through one of the workspace's receivers and answers the provider's answer (429 when too soon)",
    schemas: { response: { 200: ReceiverTestResult } },
  }),
};
