import { createCachedAuthorizer, type Authorizer } from './authz.js';
import type { Config } from './config.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';

/**
 * The limits on what callers can make us ask upstream (ADR 0016), built from the configuration: tokens we have
 * not verified yet, per connection peer; access reviews we have not answered yet, per user, in a cache of their
 * own so that reviews naming new resources cannot evict the decisions every page relies on.
 */
export function newTokenLimiter(config: Config): RateLimiter {
  return createRateLimiter(
    { perSecond: config.NEW_TOKEN_RATE_PER_S, burst: config.NEW_TOKEN_BURST },
    'BACKEND_TOO_MANY_NEW_TOKENS',
  );
}

export function accessReviewAuthorizer(inner: Authorizer, config: Config): Authorizer {
  const limiter = createRateLimiter(
    { perSecond: config.ACCESS_REVIEW_RATE_PER_S, burst: config.ACCESS_REVIEW_BURST },
    'BACKEND_TOO_MANY_ACCESS_REVIEWS',
  );
  const maxEntries = config.ACCESS_REVIEW_CACHE_MAX_ENTRIES;
  return createCachedAuthorizer(inner, {
    ttlMs: config.AUTHZ_CACHE_TTL_MS,
    maxEntries,
    // Small by design: an answer is ~1 kB with its key.
    maxBytes: Math.min(config.CACHE_MAX_BYTES, maxEntries * 2_048),
    admit: (request) => limiter.take(request.user.name),
  });
}
