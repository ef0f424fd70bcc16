import { Type, type Static } from '@sinclair/typebox';
import { groupOf } from './api-groups.js';
import { defineRoute } from './routes.js';

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

export const ReceivedAlertList = Type.Object({
  items: Type.Array(ReceivedAlert),
  /** Present when more items follow: pass it as `continue` for the next page. */
  continue: Type.Optional(Type.String()),
});
export type ReceivedAlertList = Static<typeof ReceivedAlertList>;

export const ReceivedAlertQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    continue: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'from the previous page' }),
    ),
  },
  { additionalProperties: false },
);
export type ReceivedAlertQuery = Static<typeof ReceivedAlertQuery>;

/** The delivery, acknowledgement and workspace routes add theirs as they land. */
export const cmdbAlertingRoutes = {
  listAlerts: defineRoute({
    id: 'cmdb-alerting.listAlerts',
    group: CMDB_ALERTING_GROUP,
    method: 'GET',
    scope: 'cluster',
    resource: 'alerts',
    named: false,
    grant: 'admin',
    summary: 'Alert states the intake recorded from Alertmanager, newest first',
    schemas: { querystring: ReceivedAlertQuery, response: { 200: ReceivedAlertList } },
  }),
};
