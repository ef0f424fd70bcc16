// The byte budget of one watch cache's copy (kube-cache.ts): every cache is bounded in bytes (ADR 0016), and a
// watch cache would otherwise grow with the cluster. One tally per generation, because each generation stores a
// copy of its own.
import type { KubernetesObject } from '@kubernetes/client-node';

/** The setting an operator raises when a cache needs more (backend/src/core/config.ts). */
export const WATCH_CACHE_BUDGET_SETTING = 'KUBE_WATCH_CACHE_MAX_BYTES';

/** A list or a watch event would take a watch cache's copy past its budget: that copy is not kept. */
export class WatchCacheOverBudget extends Error {
  override readonly name = 'WatchCacheOverBudget';
  /** `keepsServing`: an earlier copy that fit serves meanwhile, not updated (the log says so). */
  constructor(
    readonly path: string,
    readonly maxBytes: number,
    readonly keepsServing = false,
  ) {
    super(
      `the watch cache of ${path} would hold more than its budget of ${maxBytes} bytes: raise ${WATCH_CACHE_BUDGET_SETTING}` +
        (keepsServing ? '; its last copy that fit keeps serving, not updated, until a list fits' : ''),
    );
  }
}

/**
 * The size counted for a stored (projected) object: its JSON length. That approximates, not measures, what it
 * takes on the heap (a JS object costs a small multiple of its JSON): the budget bounds growth with the cluster,
 * it is not an exact heap limit. Projections are small, so serializing each stored object once is cheap.
 */
export const storedBytes = (object: unknown): number => Buffer.byteLength(JSON.stringify(object) ?? '');

/** The informer's key of an object: namespace and name (client-node's ListWatch stores by both). */
const keyOf = (object: KubernetesObject): string =>
  `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;

/** What one copy holds, per key, so an update or a delete adjusts the total. */
export interface ByteTally {
  readonly bytes: number;
  /** Counts the object (replacing what its key counted before); false, counting nothing, if over budget. */
  put(object: KubernetesObject): boolean;
  remove(object: KubernetesObject): void;
}

export function createByteTally(maxBytes: number): ByteTally {
  const sizes = new Map<string, number>();
  let bytes = 0;
  return {
    get bytes() {
      return bytes;
    },
    put(object) {
      const key = keyOf(object);
      const size = storedBytes(object);
      const total = bytes - (sizes.get(key) ?? 0) + size;
      if (total > maxBytes) return false;
      sizes.set(key, size);
      bytes = total;
      return true;
    },
    remove(object) {
      const key = keyOf(object);
      bytes -= sizes.get(key) ?? 0;
      sizes.delete(key);
    },
  };
}
