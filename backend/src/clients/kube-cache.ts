import {
  ADD,
  DELETE,
  ListWatch,
  UPDATE,
  Watch,
  type Informer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type ObjectCache,
} from '@kubernetes/client-node';
import { createByteTally, WatchCacheOverBudget, type ByteTally } from './kube-cache-budget.js';

type Generation<T extends KubernetesObject> = Informer<T> & ObjectCache<T>;
/** What a generation's copy holds in bytes; a list inside the generation (after a 410) replaces the tally. */
type Counted = { tally: ByteTally };

/**
 * An informer-style local copy of a list of Kubernetes objects, for features that read the same objects on many
 * requests (nodes, namespaces, quotas): list once, then follow the watch.
 *
 * client-node 1.4's informer only fires an error callback when its list fails, and `start()` resolves all the
 * same; and a stop + start keeps the old resourceVersion, so it never lists again. So each list is done by a
 * fresh informer (a generation), which serves reads only once its list succeeded: until the first one has, the
 * cache is not ready (and /readyz says so); after a watch error, and every `resyncMs`, a new generation lists
 * again while the previous copy keeps serving. Failed lists are retried with an exponential backoff.
 *
 * Each copy is bounded by `maxBytes` (kube-cache-budget.ts): a list, or a watched object, that would take it past
 * the budget abandons that generation (WatchCacheOverBudget, reported once until a list fits again) and the cache
 * retries with its backoff, as after a failed list. Before any copy served, the cache stays not ready and ready()
 * rejects with that error; after one did, the last copy that fit keeps serving, not updated (docs/adr/0016, addendum).
 */
export interface WatchCache<T extends KubernetesObject> {
  /**
   * Resolves once a list has succeeded. Before that it starts the cache and settles with the next list attempt:
   * rejects with its error when it fails (the cache keeps retrying in the background), so a request fails fast.
   */
  ready(): Promise<void>;
  /** Whether a list has succeeded, for readiness. */
  readonly synced: boolean;
  readonly path: string;
  /** What the serving copy counts against its budget (0 before one serves). */
  readonly bytes: number;
  /**
   * Every object (or a namespace's). Between two changes the whole list is the same array, so a caller may key
   * work derived from it on its identity (gpu-quota's catalogue, the workspace membership map).
   */
  list(namespace?: string): readonly T[];
  get(name: string, namespace?: string): T | undefined;
  stop(): Promise<void>;
}

export interface WatchCacheOptions<T extends KubernetesObject, Full extends KubernetesObject> {
  config: KubeConfig;
  /** The API path to watch, e.g. `/api/v1/namespaces`. */
  path: string;
  /**
   * One list call. The cache asks in pages of `pageSize` (`limit` and `_continue` as the apiserver takes them) and
   * projects each page before asking for the next, so a large list is never held whole as client-node's objects;
   * a list function that ignores the page answers everything at once, as one page.
   */
  list: (page: ListPage) => Promise<KubernetesListObject<Full>>;
  /** Items a list page asks for (default 500, as client-go's pager). */
  pageSize?: number;
  /**
   * What is kept of each object, applied as it arrives (listed or watched) before it is stored: the smallest view
   * its readers need (kube-projections.ts). It must keep metadata's name, namespace and resourceVersion.
   */
  project: (object: Full) => T;
  /**
   * The budget of one copy, in bytes of its projected objects' JSON (KUBE_WATCH_CACHE_MAX_BYTES). While a new
   * generation lists, the previous copy still serves, so a cache may hold up to twice this for a moment.
   */
  maxBytes: number;
  labelSelector?: string;
  resyncMs: number;
  /** First retry delay after a failed list or a watch error; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  /** Deadline of one list call (one page). */
  listTimeoutMs?: number;
  onError?: (err: unknown) => void;
}

/** One page of a list: at most `limit` items, after the page whose answer carried `_continue`. */
export interface ListPage {
  limit: number;
  _continue?: string;
}

/** Every cache not stopped, for readiness: the process is ready when each of them has listed once. */
const liveCaches = new Set<{ readonly synced: boolean; readonly path: string }>();

/** The API paths this process watches now, one entry per watch (a path twice means the same objects twice). */
export const liveWatchPaths = (): string[] => [...liveCaches].map((c) => c.path);

/** A readiness check: rejects naming the paths of the watch caches that have not listed successfully yet. */
export async function watchCachesSynced(): Promise<void> {
  const waiting = [...liveCaches].filter((c) => !c.synced).map((c) => c.path);
  if (waiting.length) throw new Error(`watch caches not listed yet: ${waiting.join(', ')}`);
}

export function createWatchCache<T extends KubernetesObject, Full extends KubernetesObject>(
  options: WatchCacheOptions<T, Full>,
): WatchCache<T> {
  const retryMs = options.retryMs ?? 1_000;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  let serving: Generation<T> | undefined;
  let servingCounted: Counted | undefined;
  let overBudgetReported = false;
  let listing: Generation<T> | undefined;
  let started = false;
  let stopped = false;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;
  let waiters: { resolve: () => void; reject: (err: unknown) => void }[] = [];
  /** Bumped on every change the serving copy sees and on every swap; the whole list is rebuilt only then. */
  let version = 0;
  let whole: { version: number; items: readonly T[] } | undefined;

  const settle = (err?: unknown) => {
    const pending = waiters;
    waiters = [];
    for (const w of pending) {
      if (err === undefined) w.resolve();
      else w.reject(err);
    }
  };

  const schedule = (delayMs: number) => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void relist(), delayMs);
    timer.unref();
  };

  const backoff = () => Math.min(maxRetryMs, retryMs * 2 ** Math.min(failures, 16));

  /** onError, but a cache over its budget says so once (not on every retry) until a list fits again. */
  const report = (err: unknown) => {
    if (!(err instanceof WatchCacheOverBudget)) return options.onError?.(err);
    if (overBudgetReported) return;
    overBudgetReported = true;
    options.onError?.(serving ? new WatchCacheOverBudget(err.path, err.maxBytes, true) : err);
  };

  /** Lists with a fresh informer and, when the list succeeds, serves from it instead of the previous one. */
  async function relist(): Promise<void> {
    if (stopped || listing) return;
    let listError: unknown;
    let listed = false;
    let watchBroke = false;
    /** Why the first watch broke, if a watched object did not fit: reported once this copy serves. */
    let overBudgetWatch: WatchCacheOverBudget | undefined;
    let signalListed = () => undefined as void;
    const listedAndStored = new Promise<void>((resolve) => (signalListed = resolve));
    const counted: Counted = { tally: createByteTally(options.maxBytes) };
    const list = async () => {
      try {
        const fresh = createByteTally(options.maxBytes);
        const whole = await listInPages(options, fresh);
        // The list replaces the informer's objects, so its tally replaces the generation's.
        counted.tally = fresh;
        listed = true;
        // The informer stores the items synchronously once this resolves; a macrotask later they are in.
        setImmediate(signalListed);
        return whole;
      } catch (err) {
        listError = err;
        throw err;
      }
    };
    const closed = { value: false };
    const informer = new ListWatch<T>(
      options.path,
      projectingWatch(options.config, options.project, closed, counted, () => overBudget(options)),
      list,
      false,
      options.labelSelector,
    );
    // ListWatch.stop() aborts only a watch already connected; one still connecting is kept open after it (and
    // holds the process alive): `closed` makes projectingWatch abort such a late watch at once.
    const stopInformer = informer.stop.bind(informer);
    informer.stop = async () => {
      closed.value = true;
      await stopInformer();
    };
    listing = informer;
    for (const change of [ADD, UPDATE, DELETE] as const) {
      informer.on(change, () => {
        if (informer === serving) version++;
      });
    }
    informer.on('error', (err) => {
      // The serving generation's watch broke: list again (its copy serves meanwhile). Errors of a generation
      // still listing are its list's own, handled below, or its first watch's, remembered for the swap.
      if (stopped) return;
      if (informer === listing) {
        if (listed) watchBroke = true;
        if (err instanceof WatchCacheOverBudget) overBudgetWatch = err;
        return;
      }
      if (informer !== serving) return;
      // Over budget, this copy keeps serving without the object that did not fit, until a list fits again.
      report(err);
      failures++;
      schedule(backoff());
    });
    // start() resolves once the watch is connected (or after a failed list): a stored list is enough to serve,
    // and a watch that never connects must not hold up the swap.
    const started = informer.start().catch((err: unknown) => {
      listError ??= err;
    });
    await Promise.race([started, listedAndStored]);
    listing = undefined;
    if (stopped) {
      await informer.stop();
      return;
    }
    if (!listed) {
      await informer.stop();
      report(listError);
      failures++;
      schedule(backoff());
      settle(listError ?? new Error(`listing ${options.path} failed`));
      return;
    }
    const previous = serving;
    serving = informer;
    servingCounted = counted;
    overBudgetReported = false;
    version++;
    failures = 0;
    if (previous) await previous.stop();
    settle();
    if (overBudgetWatch) report(overBudgetWatch);
    if (watchBroke) failures++;
    schedule(watchBroke ? backoff() : options.resyncMs);
  }

  const cache: WatchCache<T> = {
    path: options.path,
    get synced() {
      return serving !== undefined;
    },
    get bytes() {
      return servingCounted?.tally.bytes ?? 0;
    },
    ready() {
      if (serving) return Promise.resolve();
      const outcome = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      if (!started) {
        started = true;
        liveCaches.add(cache);
        void relist();
      }
      return outcome;
    },
    list(namespace) {
      if (!serving) return [];
      if (namespace !== undefined) return serving.list(namespace);
      if (whole?.version !== version) whole = { version, items: serving.list() };
      return whole.items;
    },
    get: (name, namespace) => serving?.get(name, namespace),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      liveCaches.delete(cache);
      settle(new Error(`watch cache of ${options.path} stopped`));
      await Promise.all([serving?.stop(), listing?.stop()]);
    },
  };
  return cache;
}

const overBudget = (options: { path: string; maxBytes: number }) =>
  new WatchCacheOverBudget(options.path, options.maxBytes);

/**
 * One list, asked in pages and projected page by page, each object counted against the budget: the list fails as
 * soon as it would not fit, before asking for more pages.
 */
async function listInPages<T extends KubernetesObject, Full extends KubernetesObject>(
  options: WatchCacheOptions<T, Full>,
  tally: ByteTally,
): Promise<KubernetesListObject<T>> {
  const limit = options.pageSize ?? 500;
  const items: T[] = [];
  let answer: KubernetesListObject<Full>;
  let next: string | undefined;
  do {
    const page: ListPage = next ? { limit, _continue: next } : { limit };
    answer = await withDeadline(options.list(page), options.listTimeoutMs ?? 30_000);
    for (const item of answer.items) {
      const kept = options.project(item);
      if (!tally.put(kept)) throw overBudget(options);
      items.push(kept);
    }
    next = answer.metadata?._continue || undefined;
  } while (next);
  // The last page's resourceVersion is the list's (every page is read at the first page's revision).
  return { ...answer, items };
}

const OBJECT_EVENTS = new Set(['ADDED', 'MODIFIED', 'DELETED']);

/**
 * client-node's watch, handing the informer each event's object projected (ERROR and BOOKMARK pass as they are)
 * and counted. An object that would take the copy past its budget is not handed on: the watch ends with the
 * budget's error instead (the informer reports it and stops), so the copy stays as it was before that event.
 */
function projectingWatch<T extends KubernetesObject, Full>(
  config: KubeConfig,
  project: (object: Full) => T,
  closed: { value: boolean },
  counted: Counted,
  overBudget: () => Error,
): Watch {
  const watch = new Watch(config);
  const projecting: Pick<Watch, 'watch'> = {
    watch: async (path, params, callback, done) => {
      // Watch calls done once; ending the watch ourselves must not let its own close call it again.
      let ended = false;
      const endOnce = (err: unknown) => {
        if (ended) return;
        ended = true;
        done(err);
      };
      // Events arrive only once watch() has answered, so the request is known when one does not fit.
      const live: { request?: AbortController } = {};
      const request = (live.request = await watch.watch(
        path,
        params,
        (phase, object, event) => {
          if (ended) return;
          if (!OBJECT_EVENTS.has(phase)) return callback(phase, object, event);
          const kept = project(object as Full);
          if (phase === 'DELETED') counted.tally.remove(kept);
          else if (!counted.tally.put(kept)) {
            endOnce(overBudget());
            return live.request?.abort();
          }
          callback(phase, kept, event);
        },
        endOnce,
      ));
      if (closed.value) request.abort();
      return request;
    },
  };
  // ListWatch only calls watch(); the rest of Watch (its config) is never read.
  return projecting as Watch;
}

function withDeadline<R>(promise: Promise<R>, ms: number): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`list timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
