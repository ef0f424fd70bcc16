import { randomUUID } from 'node:crypto';
import type { ReceiverInput, ReceiverTestResult } from '@ks-gpu-ml/contracts';
import type { Channel, DeliveryOutcome, Notification } from '../../clients/channels/channel.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import { AppError } from '../../core/errors.js';
import { pickLanguage, type Translate } from '../../core/i18n.js';
import { receiverRef } from './escalation-notify.js';

/**
 * "Send test" on a receiver (docs/adr/0044): one test message through the receiver's real channel — the same one the
 * outbox uses, built from the receiver and its Secrets — and the provider's answer as the channel reduced it. Not
 * through the outbox: nothing is retried or stored, the admin sees the answer at once. At most one test per receiver
 * every `minIntervalMs` on this replica (a 429 naming the wait), so the button cannot be used to flood a group, a
 * mailbox or someone's phone; the robot's own minute window applies as well (a test counts in it).
 */
export interface ReceiverTester {
  test(owner: string, name: string, acceptLanguage: string | undefined): Promise<ReceiverTestResult>;
}

export interface ReceiverTesterDeps {
  receivers: Pick<ConfigStore<ReceiverInput>, 'get'>;
  channelFor(ref: string): Promise<Channel | undefined>;
  translate: Translate;
  onError(err: unknown): void;
  /** Default 30 s. */
  minIntervalMs?: number;
  /** The send's deadline (every provider call within it has its own); default 15 s. */
  timeoutMs?: number;
  /** Receivers whose last test is remembered; the oldest is forgotten beyond it. Default 1,000. */
  maxTracked?: number;
  now?: () => number;
}

export function createReceiverTester(deps: ReceiverTesterDeps): ReceiverTester {
  const minIntervalMs = deps.minIntervalMs ?? 30_000;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const maxTracked = deps.maxTracked ?? 1_000;
  const now = deps.now ?? Date.now;
  /** receiver reference → when its last test started; insertion order is age order. */
  const lastTest = new Map<string, number>();

  function admit(ref: string, at: number): void {
    const last = lastTest.get(ref);
    if (last !== undefined && at - last < minIntervalMs) {
      const seconds = Math.ceil((minIntervalMs - (at - last)) / 1000);
      throw new AppError(429, 'TooManyRequests', 'CMDB_ALERTING_RECEIVER_TEST_TOO_SOON', { seconds });
    }
    lastTest.delete(ref);
    lastTest.set(ref, at);
    while (lastTest.size > maxTracked) lastTest.delete(lastTest.keys().next().value as string);
  }

  function message(spec: ReceiverInput, ref: string, at: number): Notification {
    const language = spec.settings.language === 'zh' ? 'zh' : 'en';
    const params = { receiver: spec.name, time: new Date(at).toISOString() };
    const title = deps.translate(language, 'CMDB_ALERTING_TEST_TITLE', params);
    const text = deps.translate(language, 'CMDB_ALERTING_TEST_TEXT', params);
    return {
      idempotencyKey: `test-${randomUUID()}`,
      alertKey: `test-${ref}`,
      status: 'firing',
      severity: 'info',
      title,
      markdown: `**${title}**\n${text}`,
      text: `${title}\n${text}`,
      recipients: spec.recipients,
    };
  }

  const unavailable = (err: unknown) => {
    deps.onError(err);
    return new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_RECEIVER_TEST_UNAVAILABLE');
  };

  return {
    async test(owner, name, acceptLanguage) {
      const ref = receiverRef(owner, name);
      const notFound = new AppError(404, 'NotFound', 'CMDB_ALERTING_RECEIVER_NOT_FOUND', { name });
      let row;
      try {
        row = await deps.receivers.get(owner, name);
      } catch (err) {
        throw unavailable(err);
      }
      if (!row) throw notFound;
      const at = now();
      admit(ref, at);
      let channel: Channel | undefined;
      try {
        channel = await deps.channelFor(ref);
      } catch (err) {
        // The store or the apiserver did not answer: nothing was sent, so the next try is not held back.
        lastTest.delete(ref);
        throw unavailable(err);
      }
      if (!channel) throw notFound;
      let outcome: DeliveryOutcome;
      try {
        outcome = await channel.send([message(row.spec, ref, at)], AbortSignal.timeout(timeoutMs));
      } catch (err) {
        // Channels answer outcomes; one that throws is reported like a provider that did not answer.
        deps.onError(err);
        outcome = { kind: 'retry', reason: 'CMDB_ALERTING_RECEIVER_TEST_NO_ANSWER' };
      }
      return resultOf(outcome, at, (key, params) =>
        deps.translate(pickLanguage(acceptLanguage), key, params),
      );
    },
  };
}

/** The channel's outcome as the API shows it, its reason said in the caller's language. */
export function resultOf(
  outcome: DeliveryOutcome,
  at: number,
  say: (key: string, params: Record<string, unknown>) => string,
): ReceiverTestResult {
  const sentAt = new Date(at).toISOString();
  if (outcome.kind === 'delivered')
    return {
      outcome: 'delivered',
      providerAnswer: outcome.providerAnswer,
      ...(outcome.providerRef ? { providerRef: outcome.providerRef } : {}),
      ...(outcome.perRecipient ? { perRecipient: outcome.perRecipient.map((r) => ({ ...r })) } : {}),
      sentAt,
    };
  return {
    outcome: outcome.kind,
    message: say(outcome.reason, {}),
    ...(outcome.providerAnswer === undefined ? {} : { providerAnswer: outcome.providerAnswer }),
    sentAt,
  };
}
