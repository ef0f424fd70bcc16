import { AppError } from '../../core/errors.js';
import { SeenOnce } from '../../shared/seen-once.js';
import { TtlCache } from '../../shared/ttl-cache.js';
import type { ResolvedSecrets } from './receiver-channels.js';
import type { WecomReplyDeps } from './wecom-reply.js';

/**
 * The freshness and replay check of a WeCom callback request whose signature was verified (docs/adr/0047). The
 * signature covers the timestamp and nonce but WeCom's scheme has no expiry, so a captured request (a GET's echostr,
 * a POST's reply) would stay valid forever: a timestamp further than the skew from our clock is refused, and a
 * signature seen within that window is refused again. The skew is a constant, not a setting: WeCom signs each
 * request as it sends it and retries within seconds; 5 minutes covers clock drift on both sides.
 */
export const WECOM_CALLBACK_MAX_SKEW_MS = 5 * 60_000;

/**
 * What the replay memory may hold: about 7,000 signatures (64 + 2 × (receiver + 41) bytes each), far beyond the
 * messages one corp's users send in a window of 10 minutes. Full, it refuses new requests (503, WeCom retries) rather
 * than forget a live signature. Per process: with several replicas a replay may reach another one; its effect is
 * then only a repeat of an idempotent acknowledgement.
 */
export const WECOM_CALLBACK_REPLAY_MEMORY_BYTES = 1024 * 1024;

export interface CallbackGuard {
  /**
   * Admits a signed request once: 401 outside the skew, 409 for a signature seen already, 503 when the memory is
   * full. The returned release forgets it again, for a request that failed before it took effect (WeCom's retry of
   * it must be heard).
   */
  admit(receiver: string, signed: { timestamp: string; signature: string }): () => void;
}

export function createCallbackGuard(options: {
  maxSkewMs: number;
  memoryBytes: number;
  now: () => number;
}): CallbackGuard {
  const seen = new SeenOnce({ maxBytes: options.memoryBytes, now: options.now });
  return {
    admit(receiver, signed) {
      const sentAt = Number(signed.timestamp) * 1000;
      if (!(Math.abs(options.now() - sentAt) <= options.maxSkewMs))
        throw new AppError(401, 'Unauthorized', 'CMDB_ALERTING_WECOM_TIMESTAMP_STALE', {
          maxSkewSeconds: options.maxSkewMs / 1000,
        });
      // The signature names the request (token, timestamp, nonce and the encrypted value); kept until the
      // timestamp check would refuse it anyway.
      const key = `${receiver}\n${signed.signature.toLowerCase()}`;
      const answer = seen.claim(key, sentAt + options.maxSkewMs + 1);
      if (answer === 'seen') throw new AppError(409, 'Conflict', 'CMDB_ALERTING_WECOM_REPLAYED');
      if (answer === 'full')
        throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_WECOM_CALLBACK_BUSY');
      return () => seen.forget(key);
    },
  };
}

/**
 * The callback's keys are read before its signature can be checked, at the call of anyone who knows a receiver's
 * name: read through, each unauthenticated request would cost kube-apiserver a GET per Secret. A receiver's usable
 * keys are held this long (per receiver and row version, so an edited receiver is read at once; a rotated Secret
 * takes effect within it), in at most 256 KiB.
 */
export const CALLBACK_KEYS_TTL_MS = 30_000;

export function heldCallbackSecrets(
  read: WecomReplyDeps['secrets'],
  options: { ttlMs: number; now?: () => number } = { ttlMs: CALLBACK_KEYS_TTL_MS },
): WecomReplyDeps['secrets'] {
  const held = new TtlCache<ResolvedSecrets>({
    ttlMs: options.ttlMs,
    maxEntries: 1_000,
    maxBytes: 256 * 1024,
    sizeOf: (r) =>
      64 + ('values' in r ? [...r.values].reduce((n, [k, v]) => n + 2 * (k.length + v.length), 0) : 0),
    ...(options.now ? { now: options.now } : {}),
  });
  return async (owner, spec, updatedAt) => {
    const key = JSON.stringify([owner, spec.name, updatedAt]);
    const cached = held.get(key);
    if (cached) return cached;
    const secrets = await read(owner, spec, updatedAt);
    // Only usable keys are held: a Secret being fixed is read again at the next request.
    if ('values' in secrets) held.set(key, secrets);
    return secrets;
  };
}
