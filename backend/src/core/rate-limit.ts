import { AppError } from './errors.js';

/**
 * Token buckets per client, for what costs an upstream call (a token we have not verified yet, an access review
 * we have not answered yet): each client may spend `burst` at once and `perSecond` after that. Answers from our
 * caches cost nothing and are never limited.
 *
 * The bucket map is bounded: when it is full the oldest bucket goes, which at worst gives one client a fresh burst
 * — the limit per client is a fairness rule, while `globalPerSecond` (the same bucket for everyone) is what bounds
 * the load on the upstream whatever the number of clients.
 */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** A bucket shared by all clients; 0 = none. */
  globalPerSecond?: number;
  globalBurst?: number;
  maxClients?: number;
  now?: () => number;
}

export interface RateLimiter {
  /** Spends one unit for `client`; throws a 429 AppError (with details.retryAfterSeconds) when it has none left. */
  take(client: string): void;
}

interface Bucket {
  tokens: number;
  at: number;
}

const GLOBAL = '\0global';

export function createRateLimiter(options: RateLimitOptions, messageKey: string): RateLimiter {
  const now = options.now ?? Date.now;
  const maxClients = options.maxClients ?? 10_000;
  const buckets = new Map<string, Bucket>();
  const global: Bucket = { tokens: options.globalBurst ?? options.burst, at: now() };

  /** Refills `bucket` and answers how many seconds until one unit is there (0 = there is one now). */
  function refill(bucket: Bucket, perSecond: number, burst: number): number {
    const t = now();
    bucket.tokens = Math.min(burst, bucket.tokens + ((t - bucket.at) / 1000) * perSecond);
    bucket.at = t;
    return bucket.tokens >= 1 ? 0 : Math.ceil((1 - bucket.tokens) / perSecond);
  }

  function clientBucket(client: string): Bucket {
    let bucket = buckets.get(client);
    if (bucket) return bucket;
    if (buckets.size >= maxClients) buckets.delete(buckets.keys().next().value as string);
    bucket = { tokens: options.burst, at: now() };
    buckets.set(client, bucket);
    return bucket;
  }

  return {
    take(client) {
      const own = clientBucket(client === GLOBAL ? `${client} ` : client);
      let wait = refill(own, options.perSecond, options.burst);
      if (options.globalPerSecond) {
        const globalWait = refill(global, options.globalPerSecond, options.globalBurst ?? options.burst);
        wait = Math.max(wait, globalWait);
      }
      if (wait > 0) throw tooManyRequests(messageKey, wait);
      own.tokens -= 1;
      if (options.globalPerSecond) global.tokens -= 1;
    },
  };
}

export function tooManyRequests(key: string, retryAfterSeconds: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(
    429,
    'TooManyRequests',
    key,
    { retryAfterSeconds: seconds },
    { retryAfterSeconds: seconds },
  );
}
