import { createHash, timingSafeEqual } from 'node:crypto';

export type TokenVerdict = 'ok' | 'missing' | 'wrong' | 'unconfigured';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * Checks an `Authorization: Bearer <token>` header against the expected token in constant time: both sides are
 * hashed first, so neither the comparison nor an early length mismatch tells a caller how much of a guess was right.
 * No expected token (none configured, or its file unreadable) refuses everyone.
 */
export function checkBearerToken(header: string | undefined, expected: string | undefined): TokenVerdict {
  if (expected === undefined) return 'unconfigured';
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  if (!match?.[1]) return 'missing';
  return timingSafeEqual(digest(match[1]), digest(expected)) ? 'ok' : 'wrong';
}
