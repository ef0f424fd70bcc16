/**
 * The port every delivery channel implements (WeCom robot, WeCom app, email, voice, generic webhook), and the only
 * shape the outbox and the escalation engine know. A channel is I/O: it turns notifications into the provider's
 * request, sends it with a deadline and reads the provider's answer into an outcome. It never retries by itself and
 * never stores anything: retries, backoff, dead letters and the audit trail are the outbox's (docs/adr, cmdb-alerting).
 */

export type ChannelType = 'wecom-robot' | 'wecom-app' | 'email' | 'voice' | 'webhook';

/** A person to reach. Which field a channel uses is the channel's business (robot @-mention: wecomUserId or mobile). */
export interface Recipient {
  name?: string;
  wecomUserId?: string;
  mobile?: string;
  email?: string;
}

/** One alert's message for one receiver at one escalation step, rendered by the caller in the receiver's language. */
export interface Notification {
  /**
   * Stable for this (alert state, receiver, step): a retry carries the same key, so providers that take idempotency
   * keys (and the generic webhook's receivers) can drop a second copy.
   */
  idempotencyKey: string;
  /** The alert (group) this message is about: email threads on it, acknowledgements name it. */
  alertKey: string;
  status: 'firing' | 'resolved';
  severity: string;
  /** One line, plain text, no markup (mail subject, voice call's first sentence). */
  title: string;
  /** WeCom-flavoured markdown body (robot and app `markdown` messages). */
  markdown: string;
  /** Plain text body (email text part, voice TTS, SMS-like channels). */
  text: string;
  /** Optional HTML body for email. */
  html?: string;
  /** Signed, expiring acknowledgement link for this recipient set (absent on resolved notices). */
  ackUrl?: string;
  /** The code a WeCom app message asks its recipients to reply with to acknowledge ("ACK <code>"); firing only. */
  replyCode?: string;
  /** People this message is addressed to (mentions, app message users, mail To, callees). */
  recipients: readonly Recipient[];
}

/** What happened to one recipient when the provider reports per recipient (app `invaliduser`, one call per callee). */
export interface RecipientResult {
  recipient: string;
  outcome: 'delivered' | 'failed' | 'answered' | 'not-answered' | 'pending';
  detail?: string;
}

/**
 * The provider's verdict. `providerAnswer` is the provider's reply reduced to what is safe to store and show (codes
 * and messages; never a secret, never a whole client error object).
 */
export type DeliveryOutcome =
  /** The provider accepted the message: the outbox never sends this attempt again. */
  | {
      kind: 'delivered';
      providerAnswer: string;
      /** The provider's id for the message or call, to read back a call's result later. */
      providerRef?: string;
      perRecipient?: readonly RecipientResult[];
    }
  /** Transient: rate limit (WeCom 45009, HTTP 429), timeout, 5xx. The outbox backs off and retries. */
  | { kind: 'retry'; reason: string; providerAnswer?: string; retryAfterMs?: number }
  /** Permanent: invalid key (WeCom 93000), bad credentials, bad recipient. A receiver error; no blind retry. */
  | { kind: 'failed'; reason: string; providerAnswer?: string };

/**
 * What a channel that sends a batch as several provider messages calls after each one the provider acknowledged,
 * with the notifications that message carried in full, before it sends the next (docs/adr/0049): the outbox marks
 * them delivered at once, so a replica that dies later in the batch cannot have them sent again. When it throws (the
 * store is away), the channel stops and lets the error out: the rest of the batch is retried.
 */
export type OnAccepted = (
  part: readonly Notification[],
  providerAnswer: string,
  providerRef?: string,
) => Promise<void>;

export interface Channel {
  readonly type: ChannelType;
  /**
   * Sends a batch of notifications for this one receiver as few provider messages as the provider's limits allow
   * (a channel with a per-minute limit merges; a byte limit splits on character boundaries). The outcome covers the
   * notifications not already reported to `accepted` (a channel that merges the batch into one message reports
   * nothing there: the outcome covers the whole batch).
   */
  send(batch: readonly Notification[], signal: AbortSignal, accepted?: OnAccepted): Promise<DeliveryOutcome>;
  /**
   * The earliest time (ms since the epoch) at which a send would respect the provider's known limits (e.g. a robot's
   * 20 messages a minute). The outbox waits and lets more notifications gather, so they are merged, never dropped.
   */
  nextSendAt(now: number): number;
}
