import { createHmac } from 'node:crypto';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';

/**
 * The short code a WeCom app message asks to reply with ("ACK 7F3KQ2MX", docs/adr/0047): 8 characters of Crockford's
 * base32 (no I, L, O, U: nothing to misread on a phone), 40 bits of HMAC-SHA256 of the alert's key under the
 * ack-link key. One per alert, the same on every step's message. Guessing it is not enough: a reply acknowledges
 * only from a WeCom user the alert's message was sent to through that app (WeCom authenticates the sender), and
 * only before the code's expiry, so 40 bits against a handful of live codes per user is ample.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REPLY_CODE_LENGTH = 8;

export function replyCode(key: Buffer, alertKey: string): string {
  const digest = createHmac('sha256', key).update(`wecom-reply\n${alertKey}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = REPLY_CODE_LENGTH - 1; i >= 0; i--) code += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return code;
}

/**
 * The code of a reply that acknowledges: "ACK <code>" or "确认 <code>", any case, spaces around; the letters people
 * confuse (O→0, I/L→1) read as Crockford's base32 does. Undefined for any other text.
 */
export function ackReplyCode(content: string): string | undefined {
  const match = /^\s*(?:ack(?:\s+|\s*[:：]\s*)|确认\s*[:：]?\s*)([0-9a-z]{8})\s*$/i.exec(content);
  if (!match) return undefined;
  const code = match[1]!.toUpperCase().replace(/O/g, '0').replace(/[IL]/g, '1');
  return /^[0-9A-HJKMNP-TV-Z]{8}$/.test(code) ? code : undefined;
}

/** A WeCom app receiver whose callback (Token and EncodingAESKey) is configured: its messages ask for replies. */
export const repliesConfigured = (spec: Pick<ReceiverInput, 'type' | 'secretRefs'>): boolean =>
  spec.type === 'wecom-app' && !!spec.secretRefs.callbackToken && !!spec.secretRefs.callbackAesKey;
