/**
 * The voice channel: one call per callee, through the receiver's providers in their configured order. A provider
 * that is rate limited, unavailable or refuses (bad credentials) hands the callee to the next one (failover,
 * ADR 0033); the first provider that accepts the call ends it for that callee.
 */
import type { Channel, DeliveryOutcome, Notification, RecipientResult } from '../channel.js';
import type { CallVerdict, VoiceProvider } from './provider.js';

/** What the voice channel returns beyond the port: reading a placed call's result back by its providerRef. */
export interface VoiceChannel extends Channel {
  /** `ref` is one `provider:callId` of the delivered outcome's providerRef (space-separated). */
  callResult(ref: string, signal: AbortSignal): Promise<RecipientResult['outcome']>;
}

/** A batch is one call: the first alert's words, the count of the others. */
function spokenNotification(batch: readonly Notification[]): Notification {
  const first = batch[0]!;
  if (batch.length === 1) return first;
  return { ...first, title: `${first.title} (+${batch.length - 1})` };
}

function callees(batch: readonly Notification[]): string[] {
  return [...new Set(batch.flatMap((n) => n.recipients.flatMap((r) => (r.mobile ? [r.mobile] : []))))];
}

interface CalleeAttempt {
  result: RecipientResult;
  ref?: string;
  /** Some provider may succeed later (limited or unavailable), so the outbox should retry. */
  retryable: boolean;
}

async function callThroughProviders(
  providers: readonly VoiceProvider[],
  callee: string,
  notification: Notification,
  signal: AbortSignal,
): Promise<CalleeAttempt> {
  const tried: string[] = [];
  let retryable = false;
  for (const provider of providers) {
    const verdict: CallVerdict = await provider.call(callee, notification, signal);
    if (verdict.kind === 'placed') {
      const detail = [...tried, `${provider.name}: ${verdict.answer}`].join('; ');
      return {
        result: { recipient: callee, outcome: 'pending', detail },
        ref: `${provider.name}:${verdict.ref}`,
        retryable,
      };
    }
    retryable ||= verdict.kind !== 'rejected';
    tried.push(`${provider.name} ${verdict.kind}: ${verdict.answer}`);
  }
  return { result: { recipient: callee, outcome: 'failed', detail: tried.join('; ') }, retryable };
}

export function createVoiceChannel(providers: readonly VoiceProvider[]): VoiceChannel {
  if (providers.length === 0) throw new Error('a voice channel needs at least one provider');
  return {
    type: 'voice',
    nextSendAt: (now) => now,
    async send(batch, signal): Promise<DeliveryOutcome> {
      const numbers = callees(batch);
      if (numbers.length === 0) return { kind: 'failed', reason: 'CMDB_ALERTING_VOICE_NO_RECIPIENT' };
      const notification = spokenNotification(batch);
      const attempts: CalleeAttempt[] = [];
      for (const callee of numbers)
        attempts.push(await callThroughProviders(providers, callee, notification, signal));
      const placed = attempts.filter((a) => a.ref);
      const perRecipient = attempts.map((a) => a.result);
      const providerAnswer = perRecipient.map((r) => `${r.recipient}: ${r.detail ?? r.outcome}`).join(' | ');
      if (placed.length > 0) {
        return {
          kind: 'delivered',
          providerAnswer,
          providerRef: placed.map((a) => a.ref).join(' '),
          perRecipient,
        };
      }
      if (attempts.some((a) => a.retryable))
        return { kind: 'retry', reason: 'CMDB_ALERTING_VOICE_TRY_LATER', providerAnswer };
      return { kind: 'failed', reason: 'CMDB_ALERTING_VOICE_REJECTED', providerAnswer };
    },
    async callResult(ref, signal) {
      const [name, id] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
      const provider = providers.find((p) => p.name === name);
      return provider?.result ? provider.result(id, signal) : 'pending';
    },
  };
}
