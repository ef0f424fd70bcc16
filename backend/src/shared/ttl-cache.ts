/**
 * A small TTL cache bounded in entries AND bytes, for verdicts (identity, authorization) and upstream answers.
 *
 * Bounded because keys come from callers (tokens, queries): an unbounded map would let anyone grow our memory,
 * and a count alone does not bound it when one answer can weigh megabytes (a range query over many series).
 * When full, the oldest entry goes first (a Map iterates in insertion order), which is LRU-enough for short TTLs.
 * Expired entries are swept on insert too, so entries nobody reads again do not hold memory until evicted.
 */
export interface TtlCacheOptions<V> {
  ttlMs: number;
  maxEntries: number;
  /** Bound on the summed sizes of keys and values (sizeOf), in bytes. */
  maxBytes: number;
  /** An entry larger than this is not kept at all (default: a quarter of maxBytes), so one answer cannot flush the rest. */
  maxEntryBytes?: number;
  /** Size of a value in bytes; default approxBytes, a heap-size estimate. */
  sizeOf?: (value: V) => number;
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
  bytes: number;
}

/** Per-entry bookkeeping (the Map slot, the entry object) on top of key and value. */
const ENTRY_OVERHEAD_BYTES = 64;

export class TtlCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly now: () => number;
  private readonly sizeOf: (value: V) => number;
  private readonly maxEntryBytes: number;
  private heldBytes = 0;

  constructor(private readonly options: TtlCacheOptions<V>) {
    this.now = options.now ?? Date.now;
    this.sizeOf = options.sizeOf ?? approxBytes;
    this.maxEntryBytes = Math.min(options.maxEntryBytes ?? options.maxBytes / 4, options.maxBytes);
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, ttlMs = this.options.ttlMs): void {
    this.delete(key);
    if (ttlMs <= 0) return;
    const bytes = ENTRY_OVERHEAD_BYTES + 2 * key.length + this.sizeOf(value);
    if (bytes > this.maxEntryBytes) return;
    this.sweepExpired();
    while (
      this.entries.size > 0 &&
      (this.entries.size >= this.options.maxEntries || this.heldBytes + bytes > this.options.maxBytes)
    ) {
      this.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, { value, expiresAt: this.now() + ttlMs, bytes });
    this.heldBytes += bytes;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The summed estimated size of what is held. */
  get bytes(): number {
    return this.heldBytes;
  }

  clear(): void {
    this.entries.clear();
    this.heldBytes = 0;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.heldBytes -= entry.bytes;
  }

  /**
   * Entries are inserted in expiry order when they share one TTL, so the expired ones are at the front: the sweep
   * stops at the first live entry and costs only what it frees. (An entry with a shorter TTL behind a longer one
   * waits for its turn, or for a read.)
   */
  private sweepExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.delete(key);
    }
  }
}

/**
 * A rough V8 heap size of a JSON-like value: strings at 2 bytes a character plus a header, numbers boxed, arrays
 * and objects with their slots. Within a small factor of the truth, which is all a memory bound needs.
 */
export function approxBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return 16 + 2 * value.length;
    case 'number':
    case 'boolean':
    case 'bigint':
      return 16;
    case 'object': {
      if (value === null) return 8;
      if (Array.isArray(value)) {
        let total = 16 + 8 * value.length;
        for (const item of value) total += approxBytes(item);
        return total;
      }
      let total = 32;
      for (const [key, item] of Object.entries(value)) total += 8 + 2 * key.length + approxBytes(item);
      return total;
    }
    default:
      return 8;
  }
}
