import { createHmac, timingSafeEqual } from 'node:crypto';
import { ACK_LINK_PATH } from '@ks-gpu-ml/contracts';

/**
 * Signed acknowledgement links (docs/adr/0031): `<base>/alerting/ack?t=<claim>.<signature>`, where the claim is the
 * alert's key, the person the message was for and the expiry (unix seconds), and the signature is HMAC-SHA256 over
 * the claim with a key from a Secret. No login is needed to follow one, so the link itself is the credential: it
 * names one alert and one person, stops working at its expiry, and the store lets it act once (one acknowledgement
 * per alert and person). Nothing secret is in the link: the claim is readable, only the signature is unforgeable.
 */
export interface AckClaim {
  alertKey: string;
  person: string;
  /** Unix seconds. */
  expiresAt: number;
}

export type AckVerdict =
  | { ok: true; claim: AckClaim }
  | { ok: false; reason: 'forged' }
  | { ok: false; reason: 'expired'; claim: AckClaim };

/** A key shorter than this is refused at start: HMAC-SHA256's key should be at least its output's 32 bytes. */
export const MIN_ACK_KEY_BYTES = 32;
const MAX_TOKEN_CHARS = 2048;

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');
const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest();

/** The claim as signed: fields joined by a newline, which none of them may contain. */
function encodeClaim(claim: AckClaim): string {
  if (/\n/.test(claim.alertKey + claim.person)) throw new Error('an ack claim field holds a newline');
  return b64(`${claim.alertKey}\n${claim.person}\n${claim.expiresAt}`);
}

function decodeClaim(encoded: string): AckClaim | undefined {
  const parts = Buffer.from(encoded, 'base64url').toString('utf8').split('\n');
  if (parts.length !== 3) return undefined;
  const [alertKey = '', person = '', expires = ''] = parts;
  if (!alertKey || !person || !/^[0-9]{1,12}$/.test(expires)) return undefined;
  return { alertKey, person, expiresAt: Number(expires) };
}

export function signAckToken(key: Buffer, claim: AckClaim): string {
  const payload = encodeClaim(claim);
  return `${payload}.${b64(sign(key, payload))}`;
}

/** Checks the signature first (in constant time), then the expiry: an altered link is `forged`, never `expired`. */
export function verifyAckToken(key: Buffer, token: string, nowMs: number): AckVerdict {
  if (token.length > MAX_TOKEN_CHARS) return { ok: false, reason: 'forged' };
  const [payload = '', signature = '', ...rest] = token.split('.');
  if (!payload || !signature || rest.length > 0) return { ok: false, reason: 'forged' };
  const expected = sign(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'forged' };
  const claim = decodeClaim(payload);
  if (!claim) return { ok: false, reason: 'forged' };
  if (claim.expiresAt * 1000 <= nowMs) return { ok: false, reason: 'expired', claim };
  return { ok: true, claim };
}

/** The link a message carries for one alert and one person. */
export function ackUrl(baseUrl: string, key: Buffer, claim: AckClaim): string {
  return `${baseUrl.replace(/\/+$/, '')}${ACK_LINK_PATH}?t=${signAckToken(key, claim)}`;
}
