/**
 * The request signatures of the voice providers, as each documents them. Pure functions: the providers' clients
 * sign with them, and the sandbox's voice stand-ins verify with them (a wrong secret fails there as it would upstream).
 */
import { createHash, createHmac } from 'node:crypto';

/** RFC 3986 percent-encoding as Alibaba Cloud's RPC signature requires (`~` kept; `!'()*` and space encoded). */
export function aliyunPercentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
}

/**
 * Alibaba Cloud RPC signature v1 (SignatureMethod HMAC-SHA1, SignatureVersion 1.0): the parameters without
 * `Signature`, sorted by name and percent-encoded, form `METHOD&%2F&encode(query)`, signed with `secret + "&"`.
 */
export function aliyunRpcSignature(
  method: string,
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  const canonical = Object.keys(params)
    .filter((name) => name !== 'Signature')
    .sort()
    .map((name) => `${aliyunPercentEncode(name)}=${aliyunPercentEncode(params[name]!)}`)
    .join('&');
  const stringToSign = `${method.toUpperCase()}&${aliyunPercentEncode('/')}&${aliyunPercentEncode(canonical)}`;
  return createHmac('sha1', accessKeySecret + '&')
    .update(stringToSign)
    .digest('base64');
}

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');
const hmac = (key: Buffer | string, text: string): Buffer => createHmac('sha256', key).update(text).digest();

export interface Tc3Request {
  secretId: string;
  secretKey: string;
  /** e.g. `vms`; the first label of the host on the real endpoint. */
  service: string;
  host: string;
  /** Unix seconds; the credential scope's date is its UTC day. */
  timestamp: number;
  payload: string;
  contentType?: string;
}

/** Tencent Cloud API 3.0 TC3-HMAC-SHA256 over a POST to `/` with the signed headers content-type and host. */
export function tc3Authorization(request: Tc3Request): string {
  const contentType = request.contentType ?? 'application/json; charset=utf-8';
  const date = new Date(request.timestamp * 1000).toISOString().slice(0, 10);
  const signedHeaders = 'content-type;host';
  const canonicalRequest = [
    'POST',
    '/',
    '',
    `content-type:${contentType}\nhost:${request.host}\n`,
    signedHeaders,
    sha256Hex(request.payload),
  ].join('\n');
  const scope = `${date}/${request.service}/tc3_request`;
  const stringToSign = [
    'TC3-HMAC-SHA256',
    String(request.timestamp),
    scope,
    sha256Hex(canonicalRequest),
  ].join('\n');
  const signingKey = hmac(hmac(hmac('TC3' + request.secretKey, date), request.service), 'tc3_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `TC3-HMAC-SHA256 Credential=${request.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

/** Twilio: HTTP Basic with the Account SID (or API key SID) and the auth token (or API key secret). */
export function basicAuthorization(user: string, password: string): string {
  return 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
}
