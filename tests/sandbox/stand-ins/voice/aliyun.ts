// Alibaba Cloud VMS stand-in: RPC GET with signature v1 checked the way the service documents it, SingleCallByTts
// with the per-callee flow control (1 call a minute), QueryCallDetailByCallId answering a finished, answered call.
import { createHmac, randomUUID } from 'node:crypto';
import { faultFor, overCalleeLimit, record, type ProviderState } from './state.js';

export interface AliyunCredentials {
  accessKeyId: string;
  accessKeySecret: string;
}

type Reply = { status: number; body: Record<string, unknown> } | 'hang';

const rfc3986 = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function expectedSignature(query: URLSearchParams, secret: string): string {
  const pairs = [...query.entries()]
    .filter(([k]) => k !== 'Signature')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonical = pairs.map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  return createHmac('sha1', `${secret}&`)
    .update(`GET&%2F&${rfc3986(canonical)}`)
    .digest('base64');
}

export function aliyunStandIn(
  state: ProviderState,
  credentials: AliyunCredentials,
  query: URLSearchParams,
): Reply {
  const requestId = randomUUID();
  const params = Object.fromEntries([...query.entries()].filter(([k]) => k !== 'Signature'));
  const fail = (status: number, Code: string, Message: string): Reply => {
    record(state, params, Code);
    return { status, body: { Code, Message, RequestId: requestId } };
  };
  const fault = faultFor(state, query.get('CalledNumber'));
  if (fault === 'timeout') return (record(state, params, 'timeout'), 'hang');
  if (fault === '500')
    return fail(500, 'InternalError', 'The request processing has failed due to some unknown error.');
  if (fault === 'invalid-key' || query.get('AccessKeyId') !== credentials.accessKeyId) {
    return fail(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
  }
  if (query.get('Signature') !== expectedSignature(query, credentials.accessKeySecret)) {
    return fail(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
  }
  const action = query.get('Action');
  if (action === 'QueryCallDetailByCallId') {
    record(state, params, 'queried');
    const Data = JSON.stringify({ callId: query.get('CallId'), state: '200000', stateDesc: '用户接听' });
    return { status: 200, body: { Code: 'OK', Message: 'OK', RequestId: requestId, Data } };
  }
  if (action !== 'SingleCallByTts')
    return fail(404, 'InvalidAction.NotFound', `Specified api is not found: ${action}`);
  const callee = query.get('CalledNumber') ?? '';
  if (!callee || !query.get('TtsCode'))
    return fail(400, 'MissingParameter', 'CalledNumber and TtsCode are mandatory.');
  if (fault === 'rate-limit' || overCalleeLimit(state, callee, 1, 60_000)) {
    return fail(200, 'isv.BUSINESS_LIMIT_CONTROL', '触发号码天级流控Permits:1');
  }
  record(state, params, 'placed');
  return {
    status: 200,
    body: {
      Code: 'OK',
      Message: 'OK',
      RequestId: requestId,
      CallId: `${Date.now()}^${randomUUID().slice(0, 8)}`,
    },
  };
}
