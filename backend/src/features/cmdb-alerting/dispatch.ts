import type { Channel, DeliveryOutcome, Notification, OnAccepted } from '../../clients/channels/channel.js';
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
 * each part as the provider acknowledges it where the channel reports parts, the delivered mark first, before any
 * log or metric, so an acknowledged send is never repeated.
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

  /**
   * The send's deadline counts from the claim, not from the send's start: a slow claim (a busy database) must not
   * let a send run past the lease, or another replica could claim and send the same rows meanwhile.
   */
  async function send(
    channel: Channel,
    batch: readonly Notification[],
    accepted: OnAccepted,
    claimedAt: number,
  ): Promise<DeliveryOutcome> {
    const left = Math.max(0, claimedAt + settings.sendTimeoutMs - now());
    try {
      return await channel.send(batch, AbortSignal.timeout(left), accepted);
    } catch (err) {
      return { kind: 'retry', reason: reduced(err) };
    }
  }

  const attemptOf = (channel: string, outcome: DeliveryOutcome, at: number): AttemptRecord => ({
    channel,
    outcome: outcome.kind,
    ...(outcome.providerAnswer === undefined ? {} : { providerAnswer: outcome.providerAnswer }),
    ...(outcome.kind === 'delivered' && outcome.providerRef ? { providerRef: outcome.providerRef } : {}),
    ...(outcome.kind === 'delivered' ? {} : { error: outcome.reason }),
    at,
  });

  /**
   * Sends a claimed batch. Rows the channel reports accepted part by part are marked delivered as each part is
   * acknowledged (docs/adr/0049), so a replica that dies mid-batch leaves only what was truly at the provider to be
   * resent; the send's outcome then settles the rest.
   */
  async function deliver(
    receiver: string,
    channel: Channel | undefined,
    claimed: ClaimedDelivery[],
    claimedAt: number,
  ) {
    const rowOf = new Map(claimed.map((d) => [d.notification, d]));
    const settled = new Set<number>();
    const type = channel?.type ?? 'none';
    const accepted: OnAccepted = async (part, providerAnswer, providerRef) => {
      const ids = part.flatMap((n) => {
        const row = rowOf.get(n);
        return row && !settled.has(row.id) ? [row.id] : [];
      });
      if (ids.length === 0) return;
      const outcome: DeliveryOutcome = {
        kind: 'delivered',
        providerAnswer,
        ...(providerRef ? { providerRef } : {}),
      };
      await settle([{ kind: 'delivered', ids }], attemptOf(type, outcome, now()));
      for (const id of ids) settled.add(id);
      metrics.attempted('delivered', ids.length);
    };
    const outcome: DeliveryOutcome = channel
      ? await send(
          channel,
          claimed.map((d) => d.notification),
          accepted,
          claimedAt,
        )
      : { kind: 'failed', reason: `receiver ${receiver} has no channel configured` };
    const rest = claimed.filter((d) => !settled.has(d.id));
    if (rest.length === 0) return;
    const at = now();
    const settlements = settlementsFor(rest, outcome, settings, at, random());
    await settle(settlements, attemptOf(type, outcome, at));
    metrics.attempted(outcome.kind, rest.length);
    const dead = settlements.filter((s) => s.kind === 'dead').reduce((n, s) => n + s.ids.length, 0);
    if (dead > 0) metrics.deadLettered(dead);
  }

  async function serve(receiver: string, channel: Channel | undefined, at: number): Promise<void> {
    const lease = at + settings.leaseMs;
    const claimed = await outbox.claim(receiver, deps.owner, at, lease, settings.batchLimit);
    if (claimed.length > 0) await deliver(receiver, channel, claimed, at);
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
