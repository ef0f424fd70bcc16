import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

/**
 * WeCom's callback encryption (加解密方案, doc 91144), for an app's "receive messages" URL (docs/adr/0047):
 * - msg_signature = sha1 over the sorted concatenation of [Token, timestamp, nonce, encrypted];
 * - AESKey = base64decode(EncodingAESKey + "="), 32 bytes; AES-256-CBC, IV = the key's first 16 bytes;
 * - plaintext = 16 random bytes + the message's length (4 bytes, big-endian) + the message + the receive id (the
 *   corp id), padded PKCS#7-style to a multiple of 32 bytes (not AES's 16, so Node's own padding is off).
 * Pure functions: no I/O, nothing logged.
 */
export class WecomCryptoError extends Error {}

const PAD_BLOCK = 32;
const RANDOM_BYTES = 16;

export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');
}

/** In constant time; a signature of the wrong shape is simply wrong. */
export function wecomSignatureValid(
  token: string,
  query: { timestamp: string; nonce: string; signature: string },
  encrypted: string,
): boolean {
  const expected = Buffer.from(wecomSignature(token, query.timestamp, query.nonce, encrypted));
  const given = Buffer.from(query.signature.toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The AES key an EncodingAESKey (43 characters of base64) stands for; refused unless it is 32 bytes. */
export function wecomAesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey))
    throw new WecomCryptoError('EncodingAESKey must be 43 characters of base64');
  return Buffer.from(`${encodingAesKey}=`, 'base64');
}

/** The message and the receive id inside an encrypted value; throws WecomCryptoError on anything malformed. */
export function wecomDecrypt(aesKey: Buffer, encrypted: string): { message: string; receiveId: string } {
  const data = Buffer.from(encrypted, 'base64');
  if (data.length === 0 || data.length % 16 !== 0)
    throw new WecomCryptoError('the encrypted value is not whole AES blocks of base64');
  let plain: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-cbc', aesKey, aesKey.subarray(0, 16));
    decipher.setAutoPadding(false);
    plain = Buffer.concat([decipher.update(data), decipher.final()]);
  } catch {
    throw new WecomCryptoError('the encrypted value does not decrypt');
  }
  const pad = plain[plain.length - 1]!;
  if (pad < 1 || pad > PAD_BLOCK || pad > plain.length)
    throw new WecomCryptoError('the decrypted value has no valid padding');
  const body = plain.subarray(0, plain.length - pad);
  if (body.length < RANDOM_BYTES + 4) throw new WecomCryptoError('the decrypted value is too short');
  const length = body.readUInt32BE(RANDOM_BYTES);
  const start = RANDOM_BYTES + 4;
  if (start + length > body.length) throw new WecomCryptoError('the decrypted length is out of range');
  return {
    message: body.subarray(start, start + length).toString('utf8'),
    receiveId: body.subarray(start + length).toString('utf8'),
  };
}

/**
 * The child elements of a flat `<xml>` document, as WeCom sends them (text or CDATA, no attributes, no nesting);
 * undefined when the document is not that shape. Bounded by the caller's body limit.
 */
export function readFlatXml(xml: string): Map<string, string> | undefined {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<xml>([\s\S]*)<\/xml>\s*$/.exec(xml);
  if (!root) return undefined;
  const fields = new Map<string, string>();
  const element = /\s*<([A-Za-z][A-Za-z0-9_]*)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>\s*/y;
  const inner = root[1]!.trim();
  while (element.lastIndex < inner.length) {
    const start = element.lastIndex;
    const match = element.exec(inner);
    if (!match || match.index !== start) return undefined;
    fields.set(match[1]!, match[2] ?? decodeEntities(match[3] ?? ''));
  }
  return fields;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decodeEntities = (text: string) =>
  text.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ENTITIES[e]!);
