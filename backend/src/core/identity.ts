import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { TtlCache } from '../shared/ttl-cache.js';
import { unauthorized } from './errors.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * Who is calling. ks-apiserver forwards the user's bearer token and sets X-Remote-User / X-Remote-Group, but
 * anything in the cluster that reaches our Service can send those headers too (kubesphere-extensions.md §3.3),
 * so the token is always verified and the headers are only accepted when they agree with it.
 */
export interface Identity {
  name: string;
  uid?: string;
  groups: string[];
}

/** Checks a bearer token with its issuer; resolves `null` when the issuer rejects it. */
export interface TokenVerifier {
  verify(token: string): Promise<Identity | null>;
}

/** Every verified user is in this group, whether or not the verifier lists it (Kubernetes and KubeSphere agree). */
export const AUTHENTICATED_GROUP = 'system:authenticated';

export interface AuthenticatorOptions {
  verifier: TokenVerifier;
  ttlMs: number;
  maxEntries: number;
  maxBytes: number;
  /** Rejections are cached for less time, so a token that was just issued is not refused for long. */
  negativeTtlMs?: number;
  /**
   * Spent on each token we have not verified yet (a cache miss costs a TokenReview or userinfo call), so a client
   * sending random tokens gets 429s instead of turning each into an upstream call.
   */
  limiter?: RateLimiter;
  /** Clock, for tests. */
  now?: () => number;
}

export interface Authenticator {
  /** Resolves the caller or throws a 401 AppError (429 when `client` has asked for too many new tokens). */
  authenticate(headers: IncomingHttpHeaders, client?: string): Promise<Identity>;
}

export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return match?.[1];
}

function headerValues(value: string | string[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

/** How long a token the issuer accepted is re-verified without spending the new-token rate budget. */
const KNOWN_GOOD_TTL_MS = 60 * 60_000;

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  // Keyed by a hash so that the cache never holds bearer tokens in memory dumps longer than requests do.
  const verdicts = new TtlCache<Identity | null>({
    ttlMs: options.ttlMs,
    maxEntries: options.maxEntries,
    maxBytes: options.maxBytes,
    ...(options.now ? { now: options.now } : {}),
  });
  // Tokens the issuer accepted lately: asking again when their verdict expires is the TTL's point, not a new
  // token, so it spends no rate budget (behind ks-apiserver every user shares one peer, and one bucket).
  const knownGood = new TtlCache<true>({
    ttlMs: KNOWN_GOOD_TTL_MS,
    maxEntries: options.maxEntries,
    maxBytes: options.maxBytes,
    ...(options.now ? { now: options.now } : {}),
  });
  const inFlight = new Map<string, Promise<Identity | null>>();
  const negativeTtlMs = options.negativeTtlMs ?? Math.min(options.ttlMs, 2_000);

  async function verify(token: string, client: string): Promise<Identity | null> {
    const key = createHash('sha256').update(token).digest('base64url');
    const cached = verdicts.get(key);
    if (cached !== undefined) return cached;
    // A burst of requests with a fresh token (a page load) asks the issuer once.
    let pending = inFlight.get(key);
    if (!pending) {
      if (!knownGood.get(key)) options.limiter?.take(client);
      pending = options.verifier.verify(token).then((identity) => {
        verdicts.set(key, identity, identity ? options.ttlMs : negativeTtlMs);
        if (identity) knownGood.set(key, true);
        return identity;
      });
      pending.finally(() => inFlight.delete(key)).catch(() => undefined);
      inFlight.set(key, pending);
    }
    return pending;
  }

  return {
    async authenticate(headers, client = 'unknown') {
      const token = bearerToken(headers);
      if (!token) throw unauthorized('BACKEND_UNAUTHORIZED_NO_TOKEN');
      const identity = await verify(token, client);
      if (!identity) throw unauthorized('BACKEND_UNAUTHORIZED_INVALID_TOKEN');

      const claimedUser = headerValues(headers['x-remote-user']);
      if (claimedUser.length > 1 || (claimedUser[0] !== undefined && claimedUser[0] !== identity.name)) {
        throw unauthorized('BACKEND_UNAUTHORIZED_FORGED_USER', { header: claimedUser.join(',') });
      }
      const known = new Set([...identity.groups, AUTHENTICATED_GROUP]);
      const forgedGroup = headerValues(headers['x-remote-group']).find((g) => !known.has(g));
      if (forgedGroup !== undefined)
        throw unauthorized('BACKEND_UNAUTHORIZED_FORGED_GROUP', { group: forgedGroup });

      return { ...identity, groups: [...known] };
    },
  };
}
