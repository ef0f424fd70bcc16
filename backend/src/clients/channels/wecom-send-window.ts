import { createHash } from 'node:crypto';

/**
 * A sliding window of one sender's messages (a robot key: 20 a minute; an app: 30 a minute per member). WeCom
 * refuses the robot's 21st message with 45009 and silently DROPS an app's messages beyond its limit, so the channel
 * answers `nextSendAt` from here and the outbox waits and merges instead. Memory is bounded: at most `limit`
 * timestamps per sender and at most `maxSenders` senders (the least recently used is forgotten).
 */
export class SendWindow {
  private readonly sends: number[] = [];
  private blockedUntil = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  private forgetOld(now: number): void {
    while (this.sends.length > 0 && this.sends[0]! <= now - this.windowMs) this.sends.shift();
  }

  /** How many messages may go out at `now` without exceeding the limit. */
  remaining(now: number): number {
    if (now < this.blockedUntil) return 0;
    this.forgetOld(now);
    return this.limit - this.sends.length;
  }

  record(now: number): void {
    this.forgetOld(now);
    if (this.sends.length >= this.limit) this.sends.shift();
    this.sends.push(now);
  }

  /** The provider said "too many" (someone else sends with the same key, or another replica): stop until `until`. */
  block(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  nextSendAt(now: number): number {
    if (this.remaining(now) > 0) return now;
    const slotFrees = this.sends.length >= this.limit ? this.sends[0]! + this.windowMs : now;
    return Math.max(now, this.blockedUntil, slotFrees);
  }
}

/** The windows of every sender this process sends for, keyed by a digest (the window map holds no secret). */
export class SendWindows {
  private readonly windows = new Map<string, SendWindow>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    readonly maxSenders = 1000,
  ) {}

  for(...identity: string[]): SendWindow {
    const id = createHash('sha256').update(JSON.stringify(identity)).digest('hex');
    let window = this.windows.get(id);
    if (window) this.windows.delete(id);
    else window = new SendWindow(this.limit, this.windowMs);
    this.windows.set(id, window); // re-inserted: the map's order is least recently used first
    if (this.windows.size > this.maxSenders) this.windows.delete(this.windows.keys().next().value!);
    return window;
  }

  get size(): number {
    return this.windows.size;
  }
}
