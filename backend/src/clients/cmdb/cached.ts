import { TtlCache } from '../../shared/ttl-cache.js';
import { noObserve, timed, type ObserveUpstream } from '../upstream.js';
import { CmdbFailure, type CmdbAdapter, type CmdbFailureKey, type CmdbRecord } from './adapter.js';

/**
 * A CMDB adapter behind a deadline and a cache bounded in bytes. Answers (and "no such system") are fresh for
 * `ttlMs`; after that the CMDB is asked again, and when it cannot answer — down, slow past the deadline, 5xx,
 * garbage — the last known answer (kept up to `lastKnownMs`) is served flagged `stale`, with the failure's key for
 * the receiver to read. Nothing here throws: a CMDB never stops an alert from being delivered. Concurrent lookups
 * of one key share one request.
 */
export interface CachedCmdbSettings {
  ttlMs: number;
  lastKnownMs: number;
  maxBytes: number;
  deadlineMs: number;
  observe?: ObserveUpstream;
  /** Logs a reduced failure (key and short detail; never the CMDB's answer or a credential). */
  onFailure?: (key: CmdbFailureKey, detail: string) => void;
  now?: () => number;
}

export interface CmdbLookupAnswer {
  business?: CmdbRecord;
  /** The CMDB could not be asked; `business` (if any) is the last known answer. */
  stale: boolean;
  error?: CmdbFailureKey;
}

export interface CachedCmdb {
  readonly kind: CmdbAdapter['kind'];
  forNamespace(query: { cluster?: string; namespace: string }): Promise<CmdbLookupAnswer>;
  business(name: string): Promise<CmdbLookupAnswer>;
  /** Bytes the cache holds (its bound is maxBytes). */
  readonly bytes: number;
}

interface Entry {
  record: CmdbRecord | null;
  at: number;
}

export function createCachedCmdb(adapter: CmdbAdapter, settings: CachedCmdbSettings): CachedCmdb {
  const now = settings.now ?? Date.now;
  const observe = settings.observe ?? noObserve;
  const cache = new TtlCache<Entry>({
    ttlMs: settings.lastKnownMs,
    maxEntries: 100_000,
    maxBytes: settings.maxBytes,
    now,
  });
  const inflight = new Map<string, Promise<CmdbLookupAnswer>>();

  async function ask(
    key: string,
    entry: Entry | undefined,
    load: (signal: AbortSignal) => Promise<CmdbRecord | undefined>,
  ) {
    try {
      const record = await timed(observe, `cmdb-${adapter.kind}`, () =>
        load(AbortSignal.timeout(settings.deadlineMs)),
      );
      cache.set(key, { record: record ?? null, at: now() });
      return record ? { business: record, stale: false } : { stale: false };
    } catch (err) {
      // An adapter that tripped over an answer it could not read (a TypeError deep in a mapping) met garbage too.
      const failure =
        err instanceof CmdbFailure
          ? err
          : new CmdbFailure('CMDB_MALFORMED', String((err as Error)?.message ?? err).slice(0, 200));
      settings.onFailure?.(failure.key, failure.detail);
      if (entry?.record) return { business: entry.record, stale: true, error: failure.key };
      return { stale: Boolean(entry), error: failure.key };
    }
  }

  function lookup(
    key: string,
    load: (signal: AbortSignal) => Promise<CmdbRecord | undefined>,
  ): Promise<CmdbLookupAnswer> {
    const entry = cache.get(key);
    if (entry && now() - entry.at < settings.ttlMs) {
      return Promise.resolve(entry.record ? { business: entry.record, stale: false } : { stale: false });
    }
    let running = inflight.get(key);
    if (!running) {
      running = ask(key, entry, load).finally(() => inflight.delete(key));
      inflight.set(key, running);
    }
    return running;
  }

  return {
    kind: adapter.kind,
    forNamespace: (query) =>
      lookup(`ns\u0000${query.cluster ?? ''}\u0000${query.namespace}`, (signal) =>
        adapter.forNamespace(query, signal),
      ),
    business: (name) => lookup(`biz\u0000${name}`, (signal) => adapter.business(name, signal)),
    get bytes() {
      return cache.bytes;
    },
  };
}
