import type { Channel, DeliveryOutcome, Notification } from '../../clients/channels/channel.js';
import type { Language, Translate } from '../../core/i18n.js';

/**
 * Telling a person why their "ACK <code>" reply acknowledged nothing (docs/adr/0047, amended): a short WeCom app
 * message in the receiver's language, through the receiver's own app (its access token and its send window, so the
 * app's rate limit holds for these too), addressed to that person alone. Best effort: one try, never queued; a full
 * window or a provider error is a log line. Never the code, never a secret.
 */
export type ReplyRefusal =
  'unknown-code' | 'not-sent-to-user' | 'expired' | 'acknowledged-before' | 'unknown-alert';

/** The locale key (locales/{en,zh}/backend.json) of each refusal's message. */
export const REFUSAL_MESSAGE: Record<ReplyRefusal, string> = {
  'unknown-code': 'CMDB_ALERTING_WECOM_REPLY_UNKNOWN_CODE',
  'not-sent-to-user': 'CMDB_ALERTING_WECOM_REPLY_NOT_SENT_TO_YOU',
  expired: 'CMDB_ALERTING_WECOM_REPLY_EXPIRED',
  'acknowledged-before': 'CMDB_ALERTING_WECOM_REPLY_ACKNOWLEDGED_BEFORE',
  'unknown-alert': 'CMDB_ALERTING_WECOM_REPLY_UNKNOWN_ALERT',
};

/** A receiver's app channel that sends only to a message's own recipients (no toParty / toTag), and its language. */
export interface AnswerChannel {
  channel: Channel;
  language: Language;
}

export interface ReplyAnswersDeps {
  /** Undefined when the receiver is gone, is not a WeCom app, or its Secret cannot be used now. */
  channelFor(receiver: string): Promise<AnswerChannel | undefined>;
  translate: Translate;
  /** One line per refusal answered or not: receiver, user, why, outcome; never the code or a secret. */
  log(fields: Record<string, unknown>, message: string): void;
  now(): number;
  /** At most one answer per person and receiver this often: wrong codes typed in a row must not use up the app. */
  everyMs: number;
  /** What the memory of whom was answered when may hold, estimated in bytes. */
  memoryBytes: number;
  timeoutMs: number;
}

export const REPLY_ANSWER_EVERY_MS = 60_000;
export const REPLY_ANSWER_MEMORY_BYTES = 256 * 1024;

/** A remembered answer's weight: its key's bytes plus the Map entry and the timestamp. */
const weight = (key: string): number => Buffer.byteLength(key) + 64;

const reduced = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 200);

export function createReplyAnswers(deps: ReplyAnswersDeps) {
  // Insertion order is answer order (an answer again is deleted and set anew), so the oldest come first.
  const answered = new Map<string, number>();
  let bytes = 0;

  function forget(key: string): void {
    answered.delete(key);
    bytes -= weight(key);
  }

  /** True when this person may be answered now; remembers it. Forgets the expired and, past the bound, the oldest. */
  function admit(key: string, now: number): boolean {
    const last = answered.get(key);
    if (last !== undefined && now - last < deps.everyMs) return false;
    if (last !== undefined) forget(key);
    answered.set(key, now);
    bytes += weight(key);
    for (const [oldest, at] of answered) {
      if (bytes <= deps.memoryBytes && now - at < deps.everyMs) break;
      if (oldest === key) break;
      forget(oldest);
    }
    return true;
  }

  async function send(target: AnswerChannel, userId: string, why: ReplyRefusal): Promise<DeliveryOutcome> {
    const text = deps.translate(target.language, REFUSAL_MESSAGE[why]);
    const notification: Notification = {
      idempotencyKey: `wecom-reply-answer:${userId}:${deps.now()}`,
      alertKey: '',
      status: 'firing',
      severity: 'info',
      title: text,
      markdown: text,
      text,
      recipients: [{ wecomUserId: userId }],
    };
    try {
      return await target.channel.send([notification], AbortSignal.timeout(deps.timeoutMs));
    } catch (err) {
      return { kind: 'retry', reason: reduced(err) };
    }
  }

  return {
    /** Answers `userId` why the reply to `receiver` did nothing; resolves when answered or given up, never throws. */
    async answer(receiver: string, userId: string, why: ReplyRefusal): Promise<void> {
      const said = (outcome: string, extra: Record<string, unknown> = {}) =>
        deps.log({ receiver, userId, why, outcome, ...extra }, 'cmdb-alerting: WeCom reply answer');
      if (!userId) return said('no-user');
      if (!admit(`${receiver}\n${userId}`, deps.now())) return said('answered-lately');
      let target: AnswerChannel | undefined;
      try {
        target = await deps.channelFor(receiver);
      } catch (err) {
        return said('no-channel', { error: reduced(err) });
      }
      if (!target) return said('no-channel');
      const outcome = await send(target, userId, why);
      if (outcome.kind === 'delivered') return said('answered');
      said('not-answered', { result: outcome.kind, reason: outcome.reason });
    },
    /** Persons remembered, and their estimated bytes (bounded by memoryBytes). */
    size: () => ({ entries: answered.size, bytes }),
  };
}

export type ReplyAnswers = ReturnType<typeof createReplyAnswers>;
