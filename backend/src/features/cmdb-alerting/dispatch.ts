import type { Channel, DeliveryOutcome, Notification } from '../../clients/channels/channel.js';
import type { AttemptRecord, ClaimedDelivery, OutboxStore, Settlement } from '../../clients/store/outbox.js';
import type { DispatchMetrics } from './dispatch-metrics.js';
import { settlementsFor, type RetryPolicy } from './dispatch-policy.js';

export interface DispatchSettings extends RetryPolicy {
  /** How often the outbox is polled for due rows. */
  pollMs: number;
  /** The deadline of one send; the lease outlasts it so only a replica that died loses its claim. */
  sendTimeoutMs: number;
  leaseMs: number;
  /** Notifications per send (one receiver's due rows, merged by the channel). */
  batchLimit: number;
  /** Receivers sent to at once by this replica. */
  concurrency: number;
}

export const defaultDispatchSettings: DispatchSettings = {
  pollMs: 1_000,
  sendTimeoutMs: 10_000,
  leaseMs: 60_000,
  batchLimit: 100,
  concurrency: 8,
  maxAttempts: 8,
  baseBackoffMs: 5_000,
  maxBackoffMs: 15 * 60_000,
};

export interface DispatcherDeps {
  outbox: OutboxStore;
  /**
   * The receiver's channel; undefined when the receiver is not (or no longer) configured. A lookup that throws
   * (the store or the apiserver unavailable) leaves the receiver's rows due for the next poll.
   */
  channelFor(receiver: string): Channel | undefined | Promise<Channel | undefined>;
  metrics: DispatchMetrics;
  /** This replica's name in leases (pod name and a random suffix). */
  owner: string;
  settings: DispatchSettings;
  /** Logs a reduced error (a message, never a client's whole error object). */
  onError(what: string, message: string): void;
  now?: () => number;
  random?: () => number;
}

export interface Dispatcher {
  /** One poll: starts a send for every due receiver this replica is not already sending to (bounded). */
  tick(): Promise<void>;
  /** Resolves when the sends under way have settled. */
  idle(): Promise<void>;
  /** Stops polling and waits for the sends under way to settle (each has a deadline). */
  stop(): Promise<void>;
}

/**
 * Receivers read per poll. Far above `concurrency`: receivers a channel holds back (nextSendAt) are skipped, and a
 * short list of held ones must not starve the rest. Receivers are configured objects, so this bounds nothing real.
 */
const MAX_DUE_RECEIVERS = 1_000;

const reduced = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 500);

/**
 * The outbox's worker loop. Per receiver: waits until the channel's limits allow a send (rows keep gathering, so a
 * robot's 20 a minute merges instead of dropping), claims everything due into one `send`, and settles the rows —
 * the delivered mark first, before any log or metric, so an acknowledged send is never repeated.
 */
export function startDispatcher(deps: DispatcherDeps): Dispatcher {
  const { outbox, settings, metrics } = deps;
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const busy = new Map<string, Promise<void>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> = Promise.resolve();

  async function settle(settlements: Settlement[], attempt: AttemptRecord): Promise<void> {
    for (const s of settlements) {
      // The provider has answered: retry the write a few times rather than let the lease run out and resend.
      for (let tries = 1; ; tries++) {
        try {
          await outbox.complete(deps.owner, s, attempt);
          break;
        } catch (err) {
          if (tries >= 3) throw err;
          await new Promise((r) => setTimeout(r, 200 * tries));
        }
      }
    }
  }

  async function send(channel: Channel, batch: readonly Notification[]): Promise<DeliveryOutcome> {
    try {
      return await channel.send(batch, AbortSignal.timeout(settings.sendTimeoutMs));
    } catch (err) {
      return { kind: 'retry', reason: reduced(err) };
    }
  }

  async function deliver(receiver: string, channel: Channel | undefined, claimed: ClaimedDelivery[]) {
    const outcome: DeliveryOutcome = channel
      ? await send(
          channel,
          claimed.map((d) => d.notification),
        )
      : { kind: 'failed', reason: `receiver ${receiver} has no channel configured` };
    const at = now();
    const settlements = settlementsFor(claimed, outcome, settings, at, random());
    await settle(settlements, {
      channel: channel?.type ?? 'none',
      outcome: outcome.kind,
      ...(outcome.providerAnswer === undefined ? {} : { providerAnswer: outcome.providerAnswer }),
      ...(outcome.kind === 'delivered' && outcome.providerRef ? { providerRef: outcome.providerRef } : {}),
      ...(outcome.kind === 'delivered' ? {} : { error: outcome.reason }),
      at,
    });
    metrics.attempted(outcome.kind, claimed.length);
    const dead = settlements.filter((s) => s.kind === 'dead').reduce((n, s) => n + s.ids.length, 0);
    if (dead > 0) metrics.deadLettered(dead);
  }

  async function serve(receiver: string, channel: Channel | undefined, at: number): Promise<void> {
    const lease = at + settings.leaseMs;
    const claimed = await outbox.claim(receiver, deps.owner, at, lease, settings.batchLimit);
    if (claimed.length > 0) await deliver(receiver, channel, claimed);
  }

  async function tick(): Promise<void> {
    const at = now();
    const receivers = await outbox.dueReceivers(at, MAX_DUE_RECEIVERS);
    for (const receiver of receivers) {
      if (stopped || busy.size >= settings.concurrency) break;
      if (busy.has(receiver)) continue;
      let channel: Channel | undefined;
      try {
        channel = await deps.channelFor(receiver);
      } catch (err) {
        deps.onError(`channel of ${receiver}`, reduced(err));
        continue;
      }
      if (stopped) break;
      if (busy.has(receiver)) continue;
      // Not yet: claim nothing, so the rows gather and the channel's next send merges them.
      if (channel && channel.nextSendAt(at) > at) continue;
      const run = serve(receiver, channel, at)
        .catch((err: unknown) => deps.onError(`outbox send to ${receiver}`, reduced(err)))
        .finally(() => busy.delete(receiver));
      busy.set(receiver, run);
    }
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      ticking = tick()
        .catch((err: unknown) => deps.onError('outbox poll', reduced(err)))
        .finally(schedule);
    }, settings.pollMs);
    // The poll alone never keeps a process alive: the server (or a test) decides when it ends.
    timer.unref();
  }

  schedule();
  const idle = async () => void (await Promise.all(busy.values()));
  return {
    tick,
    idle,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await ticking;
      await idle();
    },
  };
}
