/**
 * What the voice channel needs from a provider: place one call to one callee, and read a call's result back where
 * the provider reports it. A provider maps its own codes to these verdicts; the channel decides failover from them.
 */
import type { Notification, RecipientResult } from '../channel.js';

export type CallVerdict =
  /** The provider accepted the call; `ref` is its call id. */
  | { kind: 'placed'; ref: string; answer: string }
  /** Throttled (per-callee flow control, QPS, HTTP 429): another provider may call now, this one later. */
  | { kind: 'limited'; answer: string }
  /** Timeout, 5xx, no answer: transient for this provider. */
  | { kind: 'unavailable'; answer: string }
  /** Bad credentials, bad template, bad number: retrying this provider cannot help. */
  | { kind: 'rejected'; answer: string };

export interface VoiceProvider {
  /** e.g. `aliyun`, as named in the receiver's configured order. */
  readonly name: string;
  call(callee: string, notification: Notification, signal: AbortSignal): Promise<CallVerdict>;
  /** Where the provider lets us ask (Twilio call status, Aliyun QueryCallDetailByCallId); absent otherwise. */
  result?(ref: string, signal: AbortSignal): Promise<RecipientResult['outcome']>;
}

export const DEFAULT_VOICE_DEADLINE_MS = 10_000;

/** One HTTP exchange with a deadline; the answer's body is read as text (providers answer JSON). */
async function exchange(
  url: string,
  init: RequestInit,
  signal: AbortSignal,
  deadlineMs: number,
): Promise<{ status: number; body: string } | { error: string }> {
  try {
    const response = await fetch(url, {
      ...init,
      signal: AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)]),
    });
    return { status: response.status, body: await response.text() };
  } catch (err) {
    return { error: (err as { name?: string }).name ?? 'error' };
  }
}

/** How a provider reads its answer to "place this call" (its own codes to a verdict). */
export type VerdictOf = (status: number, body: Record<string, unknown>) => CallVerdict;

/**
 * A provider's HTTP, every exchange under its configured deadline (the default when it has none). `place` is where
 * the channel's failover rule lives for all providers: no answer at all is `unavailable` (another provider may
 * call now), any answer is the provider's own verdict.
 */
export function voiceHttp(deadlineMs = DEFAULT_VOICE_DEADLINE_MS) {
  return {
    exchange: (url: string, init: RequestInit, signal: AbortSignal) =>
      exchange(url, init, signal, deadlineMs),
    async place(
      url: string,
      init: RequestInit,
      signal: AbortSignal,
      verdictOf: VerdictOf,
    ): Promise<CallVerdict> {
      const reply = await exchange(url, init, signal, deadlineMs);
      if ('error' in reply) return { kind: 'unavailable', answer: `no answer (${reply.error})` };
      return verdictOf(reply.status, parseJson(reply.body));
    },
  };
}

export function parseJson(body: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * The spoken text: title then body, within the providers' TTS limits (Tencent: 350 characters). Lines with a link
 * are left out: nobody can follow a spoken URL, and the acknowledgement link would otherwise reach the voice
 * provider, a third party, which could acknowledge the alert with it.
 */
export function spokenText(notification: Notification, max = 300): string {
  const body = notification.text
    .split('\n')
    .filter((line) => !/https?:\/\//.test(line))
    .join('\n');
  return Array.from(`${notification.title}. ${body}`).slice(0, max).join('');
}
