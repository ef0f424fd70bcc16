/**
 * A memory of keys seen, each until its own expiry, bounded in bytes: the replay check of a signed callback.
 *
 * Unlike TtlCache, it never drops a live key to make room: forgetting a key still inside its window would let that
 * request be replayed. When live keys fill it, a new key is refused ('full') and the caller answers "busy"; only
 * authenticated keys go in, so only the signer's own traffic can fill it.
 */
export type SeenOnceAnswer = 'new' | 'seen' | 'full';

/** Per-key bookkeeping (the Map slot, the expiry number) on top of the key's characters. */
const ENTRY_OVERHEAD_BYTES = 64;

export class SeenOnce {
  private readonly expiries = new Map<string, number>();
  private heldBytes = 0;

  constructor(private readonly options: { maxBytes: number; now?: () => number }) {}

  /** Records the key until expiresAt (ms) and answers 'new', unless it is held already or there is no room. */
  claim(key: string, expiresAt: number): SeenOnceAnswer {
    const now = (this.options.now ?? Date.now)();
    const held = this.expiries.get(key);
    if (held !== undefined && held > now) return 'seen';
    this.forget(key);
    const bytes = sizeOf(key);
    if (this.heldBytes + bytes > this.options.maxBytes) this.sweep(now);
    if (this.heldBytes + bytes > this.options.maxBytes) return 'full';
    this.expiries.set(key, expiresAt);
    this.heldBytes += bytes;
    return 'new';
  }

  /** Lets the key be claimed again (a request that failed before it took effect may be retried). */
  forget(key: string): void {
    if (this.expiries.delete(key)) this.heldBytes -= sizeOf(key);
  }

  get bytes(): number {
    return this.heldBytes;
  }

  /** Expiries are not in insertion order (each key has its own), so the sweep walks all; it runs only when full. */
  private sweep(now: number): void {
    for (const [key, expiresAt] of this.expiries) if (expiresAt <= now) this.forget(key);
  }
}

const sizeOf = (key: string) => ENTRY_OVERHEAD_BYTES + 2 * key.length;
