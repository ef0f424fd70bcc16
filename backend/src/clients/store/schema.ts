import type { Generated } from 'kysely';

/**
 * The store's tables, as Kysely sees them. Kubernetes is the store for quotas and ML apps; this database holds
 * only what has no Kubernetes home (alert intake, deliveries, acknowledgements, CMDB cache — added by their
 * features' migrations). The core owns `app_meta`.
 */
export interface AppMetaTable {
  key: string;
  value: string;
  /** Milliseconds since the epoch (bigint: portable across SQLite, PostgreSQL and MySQL). */
  updated_at: number | string | bigint;
}

export interface AppEventTable {
  id: Generated<number>;
  kind: string;
  payload: string;
  created_at: number | string | bigint;
}

/** cmdb-alerting: one Alertmanager webhook batch that brought at least one new alert (its JSON as received). */
export interface AlertBatchTable {
  id: Generated<number>;
  group_key: string;
  receiver: string;
  status: string;
  payload: string;
  received_at: number | string | bigint;
}

/** cmdb-alerting: one alert state as received; `dedup_key` is unique, so a second copy is never stored. */
export interface AlertEventTable {
  id: Generated<number>;
  dedup_key: string;
  batch_id: number;
  fingerprint: string;
  status: string;
  starts_at: string;
  labels: string;
  annotations: string;
  received_at: number | string | bigint;
}

/** cmdb-alerting outbox: one notification for one receiver, and where its delivery stands (docs/adr/0034). */
export interface OutboxDeliveryTable {
  id: Generated<number>;
  idempotency_key: string;
  receiver: string;
  alert_key: string;
  /** The Notification as JSON, rendered once at enqueue time. */
  notification: string;
  /** pending | in-flight | delivered | dead | cancelled */
  state: string;
  attempts: number;
  next_attempt_at: number | string | bigint;
  lease_owner: string | null;
  lease_until: number | string | bigint | null;
  last_error: string | null;
  created_at: number | string | bigint;
  updated_at: number | string | bigint;
}

/** cmdb-alerting audit trail: one row per delivery per attempt (and per lease that ran out mid-send). */
export interface OutboxAttemptTable {
  id: Generated<number>;
  delivery_id: number;
  alert_key: string;
  receiver: string;
  channel: string;
  /** JSON list of the recipients' names or addresses as the message named them. */
  recipients: string;
  outcome: string;
  provider_answer: string | null;
  error: string | null;
  attempted_at: number | string | bigint;
  /** The provider's ids of what it accepted (a call's `provider:callId`, space-separated); migration 0008. */
  provider_ref?: string | null;
}

/** cmdb-alerting: a receiver or an escalation policy of one owner ('' = the cluster, else a workspace), as JSON. */
export interface AlertConfigTable {
  id: Generated<number>;
  owner: string;
  name: string;
  spec: string;
  updated_at: number | string | bigint;
}

/** cmdb-alerting: one alert's escalation; `policy` and `alert` are JSON snapshots taken when it started. */
export interface AlertEscalationTable {
  id: Generated<number>;
  alert_key: string;
  owner: string;
  policy: string;
  alert: string;
  firing_at: number | string | bigint;
  state: string;
  steps_sent: number;
  notified: string;
  updated_at: number | string | bigint;
}

/** cmdb-alerting: one person's acknowledgement of one alert (unique per alert and person). */
export interface AlertAckTable {
  id: Generated<number>;
  alert_key: string;
  person: string;
  via: string;
  acked_at: number | string | bigint;
}

/** cmdb-alerting: a WeCom app message's reply code, per receiver and user it was sent to (docs/adr/0047). */
export interface AlertReplyCodeTable {
  id: Generated<number>;
  code: string;
  alert_key: string;
  receiver: string;
  user_id: string;
  expires_at: number | string | bigint;
}

export interface Database {
  app_meta: AppMetaTable;
  app_event: AppEventTable;
  alert_batch: AlertBatchTable;
  alert_event: AlertEventTable;
  alert_receiver: AlertConfigTable;
  alert_policy: AlertConfigTable;
  alert_route: AlertConfigTable;
  alert_setting: AlertConfigTable;
  alert_escalation: AlertEscalationTable;
  alert_ack: AlertAckTable;
  alert_reply_code: AlertReplyCodeTable;
  outbox_delivery: OutboxDeliveryTable;
  outbox_attempt: OutboxAttemptTable;
}
