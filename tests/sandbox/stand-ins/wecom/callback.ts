// WeCom's side of an app's "receive messages" callback (接收消息与事件, 加解密方案): the stand-in encrypts and signs as
// WeCom documents and calls the URL an app configured. Written from the documentation on its own (not the backend's
// code), so a mistake on one side shows up as a refusal on the other.
//   AESKey = base64(EncodingAESKey + "="); AES-256-CBC, IV = AESKey[0..16); plaintext = 16 random bytes + msg length
//   (4 bytes big-endian) + msg + corp id, padded PKCS#7-style to a multiple of 32; msg_signature = sha1(sort(token,
//   timestamp, nonce, encrypted).join('')).
import { createCipheriv, createHash, randomBytes, randomInt } from 'node:crypto';

export interface Callback {
  corpId: string;
  agentId: number;
  url: string;
  token: string;
  encodingAesKey: string;
}

export function encrypt(encodingAesKey: string, message: string, corpId: string): string {
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  const msg = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(msg.length);
  const body = Buffer.concat([randomBytes(16), length, msg, Buffer.from(corpId, 'utf8')]);
  const pad = 32 - (body.length % 32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([
    cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])),
    cipher.final(),
  ]).toString('base64');
}

export const sign = (token: string, timestamp: string, nonce: string, encrypted: string): string =>
  createHash('sha1').update([token, timestamp, nonce, encrypted].sort().join('')).digest('hex');

const cdata = (value: string) => `<![CDATA[${value}]]>`;

/** What a signed request carries in its query, and how a test may spoil it. */
function signedUrl(
  cb: Callback,
  encrypted: string,
  tamper: string | undefined,
  extra: Record<string, string> = {},
) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = String(randomInt(1_000_000_000));
  let signature = sign(cb.token, timestamp, nonce, encrypted);
  if (tamper === 'signature') signature = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
  const url = new URL(cb.url);
  url.search = new URLSearchParams({ msg_signature: signature, timestamp, nonce, ...extra }).toString();
  return url;
}

export interface CallbackAnswer {
  status: number;
  body: string;
}

/** The URL check WeCom makes when an admin saves the callback: GET with an encrypted echostr. */
export async function verifyUrl(cb: Callback, echo: string, tamper?: string): Promise<CallbackAnswer> {
  const echostr = encrypt(cb.encodingAesKey, echo, cb.corpId);
  const res = await fetch(signedUrl(cb, echostr, tamper, { echostr }), { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

/** A user's text message to the app, as WeCom posts it (within its 5 s deadline). */
export async function postText(
  cb: Callback,
  from: string,
  content: string,
  msgId: string,
  tamper?: string,
): Promise<CallbackAnswer> {
  const now = Math.floor(Date.now() / 1000);
  const message =
    `<xml><ToUserName>${cdata(cb.corpId)}</ToUserName><FromUserName>${cdata(from)}</FromUserName>` +
    `<CreateTime>${now}</CreateTime><MsgType>${cdata('text')}</MsgType><Content>${cdata(content)}</Content>` +
    `<MsgId>${msgId}</MsgId><AgentID>${cb.agentId}</AgentID></xml>`;
  // tamper 'corp': the message is sealed for another corp (a callback configured for the wrong app).
  const encrypted = encrypt(cb.encodingAesKey, message, tamper === 'corp' ? `${cb.corpId}x` : cb.corpId);
  const body =
    `<xml><ToUserName>${cdata(cb.corpId)}</ToUserName><AgentID>${cdata(String(cb.agentId))}</AgentID>` +
    `<Encrypt>${cdata(encrypted)}</Encrypt></xml>`;
  const res = await fetch(signedUrl(cb, encrypted, tamper), {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}
