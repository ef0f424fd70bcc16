import type { Channel } from '../../clients/channels/channel.js';
import type { VoiceChannel } from '../../clients/channels/voice/voice.js';
import type { CallResultOutcome, OutboxStore } from '../../clients/store/outbox.js';

/**
 * Reads back the result of each phone call the outbox placed (docs/adr/0033, 0044): a delivered voice attempt keeps
 * the providers' call ids; every `everyMs` the calls placed within `windowMs` whose result is not in the trail yet
 * are asked of their provider (`VoiceChannel.callResult`: Twilio `Calls/{sid}`, Alibaba `QueryCallDetailByCallId`)
 * and a final answer — answered, not answered, failed — is added to the alert's delivery trail, beside the attempt
 * that placed the call. A provider that reports only by callback (Tencent) stays pending until the window ends.
 * Every replica may poll; a result is recorded once per call.
 */
export interface CallResultPoller {
  /** One pass; resolves to how many results were recorded. */
  pollOnce(): Promise<number>;
  stop(): Promise<void>;
}

export interface CallResultDeps {
  outbox: Pick<OutboxStore, 'pendingCalls' | 'recordCallResult'>;
  channelFor(receiver: string): Promise<Channel | undefined> | Channel | undefined;
  onError(what: string, err: unknown): void;
  /** Default 15 s; 0 polls only when asked (tests). */
  everyMs?: number;
  /** Calls placed longer ago are no longer asked about (default 30 min). */
  windowMs?: number;
  /** Each provider question's deadline (default 10 s). */
  timeoutMs?: number;
  now?: () => number;
}

const FINAL: Partial<Record<string, CallResultOutcome>> = {
  answered: 'answered',
  'not-answered': 'not-answered',
  failed: 'call-failed',
};

const isVoice = (channel: Channel | undefined): channel is VoiceChannel =>
  channel?.type === 'voice' && typeof (channel as Partial<VoiceChannel>).callResult === 'function';

export function startCallResultPoller(deps: CallResultDeps): CallResultPoller {
  const everyMs = deps.everyMs ?? 15_000;
  const windowMs = deps.windowMs ?? 30 * 60_000;
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const now = deps.now ?? Date.now;
  let stopped = false;
  let running: Promise<unknown> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;

  async function pollOnce(): Promise<number> {
    const calls = await deps.outbox.pendingCalls(now() - windowMs, 200);
    let recorded = 0;
    for (const call of calls) {
      if (stopped) break;
      try {
        const channel = await deps.channelFor(call.receiver);
        if (!isVoice(channel)) continue;
        const result = await channel.callResult(call.ref, AbortSignal.timeout(timeoutMs));
        const outcome = FINAL[result];
        if (outcome && (await deps.outbox.recordCallResult(call, outcome, result, now()))) recorded++;
      } catch (err) {
        // A provider or the store that does not answer now is asked again at the next pass.
        deps.onError('call result', err);
      }
    }
    return recorded;
  }

  const loop = () => {
    if (stopped || everyMs <= 0) return;
    timer = setTimeout(() => {
      running = pollOnce()
        .catch((err: unknown) => deps.onError('call results', err))
        .finally(loop);
    }, everyMs);
  };
  loop();
  return {
    pollOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
