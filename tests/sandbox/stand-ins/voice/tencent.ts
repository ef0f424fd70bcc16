// Tencent Cloud VMS stand-in: API 3.0 POST with TC3-HMAC-SHA256 checked as documented, SendTtsVoice answering
// SendStatus, 20 requests a second per API (RequestLimitExceeded beyond), errors in Response.Error like the service.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { faultFor, record, type ProviderState } from './state.js';

export interface TencentCredentials {
  secretId: string;
  secretKey: string;
}

type Reply = { status: number; body: Record<string, unknown> } | 'hang';

function expectedAuthorization(headers: IncomingHttpHeaders, body: string, key: TencentCredentials): string {
  const timestamp = Number(headers['x-tc-timestamp']);
  const day = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const hash = (s: string) => createHash('sha256').update(s).digest('hex');
  const canonical = `POST\n/\n\ncontent-type:${headers['content-type']}\nhost:${headers.host}\n\ncontent-type;host\n${hash(body)}`;
  const scope = `${day}/vms/tc3_request`;
  let k: Buffer = createHmac('sha256', `TC3${key.secretKey}`).update(day).digest();
  for (const part of ['vms', 'tc3_request']) k = createHmac('sha256', k).update(part).digest();
  const signature = createHmac('sha256', k)
    .update(`TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${hash(canonical)}`)
    .digest('hex');
  return `TC3-HMAC-SHA256 Credential=${key.secretId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`;
}

const perSecond: number[] = [];

export function tencentStandIn(
  state: ProviderState,
  key: TencentCredentials,
  headers: IncomingHttpHeaders,
  body: string,
): Reply {
  const RequestId = randomUUID();
  let params: Record<string, unknown> = {};
  try {
    params = JSON.parse(body) as Record<string, unknown>;
  } catch {
    /* answered below as a malformed request */
  }
  const fail = (Code: string, Message: string): Reply => {
    record(state, params, Code);
    return { status: 200, body: { Response: { Error: { Code, Message }, RequestId } } };
  };
  const fault = faultFor(state, params.CalledNumber);
  if (fault === 'timeout') return (record(state, params, 'timeout'), 'hang');
  if (fault === '500')
    return {
      status: 500,
      body: { Response: { Error: { Code: 'InternalError', Message: 'internal error' }, RequestId } },
    };
  const authorization = String(headers.authorization ?? '');
  if (fault === 'invalid-key' || !authorization.includes(`Credential=${key.secretId}/`)) {
    return fail(
      'AuthFailure.SecretIdNotFound',
      'The SecretId is not found, please ensure that your SecretId is correct.',
    );
  }
  if (Math.abs(Date.now() / 1000 - Number(headers['x-tc-timestamp'])) > 300)
    return fail('AuthFailure.SignatureExpire', 'Signature expired.');
  if (authorization !== expectedAuthorization(headers, body, key))
    return fail('AuthFailure.SignatureFailure', 'The provided credentials could not be validated.');
  if (headers['x-tc-action'] !== 'SendTtsVoice' || headers['x-tc-version'] !== '2020-09-02') {
    return fail(
      'InvalidAction',
      `The action ${String(headers['x-tc-action'])} is not supported in version ${String(headers['x-tc-version'])}.`,
    );
  }
  const now = Date.now();
  while (perSecond.length && now - perSecond[0]! >= 1000) perSecond.shift();
  if (fault === 'rate-limit' || perSecond.length >= 20)
    return fail('RequestLimitExceeded', 'Your current request times exceeds the limit.');
  perSecond.push(now);
  if (typeof params.CalledNumber !== 'string' || !/^\+\d{6,15}$/.test(params.CalledNumber)) {
    return fail(
      'InvalidParameterValue.InvalidCalledNumber',
      'CalledNumber must be E.164, e.g. +8613711112222.',
    );
  }
  record(state, params, 'placed');
  const SendStatus = {
    CallId: randomUUID().replace(/-/g, ''),
    SessionContext: String(params.SessionContext ?? ''),
  };
  return { status: 200, body: { Response: { SendStatus, RequestId } } };
}
