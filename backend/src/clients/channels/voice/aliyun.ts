/**
 * Alibaba Cloud VMS `SingleCallByTts` (dyvmsapi, API version 2017-05-25), RPC style with signature v1 (HMAC-SHA1).
 * The call's result is read back with `QueryCallDetailByCallId` (state 200000 = answered).
 */
import { randomUUID } from 'node:crypto';
import { scrubText } from '../../reduced-error.js';
import { aliyunRpcSignature } from './signers.js';
import { parseJson, spokenText, voiceHttp, type CallVerdict, type VoiceProvider } from './provider.js';

export interface AliyunVoiceConfig {
  /** https://dyvmsapi.aliyuncs.com/ upstream; the stand-in's URL in the sandbox. */
  endpoint: string;
  accessKeyId: string;
  /** The Secret's value; only signs, never sent or logged. */
  accessKeySecret: string;
  ttsCode: string;
  calledShowNumber?: string;
  deadlineMs?: number;
}

const LIMIT_CODES = new Set([
  'isv.BUSINESS_LIMIT_CONTROL',
  'Throttling',
  'Throttling.User',
  'Throttling.Api',
]);

export function aliyunVerdict(status: number, body: Record<string, unknown>): CallVerdict {
  const code = String(body.Code ?? '');
  const answer = scrubText(`HTTP ${status} ${code} ${String(body.Message ?? '')}`.trim(), 300);
  if (status === 200 && code === 'OK' && typeof body.CallId === 'string') {
    return { kind: 'placed', ref: body.CallId, answer };
  }
  if (LIMIT_CODES.has(code) || status === 429) return { kind: 'limited', answer };
  if (status >= 500) return { kind: 'unavailable', answer };
  // InvalidAccessKeyId.NotFound, SignatureDoesNotMatch, a bad TtsCode or number: this provider cannot call.
  return { kind: 'rejected', answer };
}

export function createAliyunVoice(config: AliyunVoiceConfig): VoiceProvider {
  const http = voiceHttp(config.deadlineMs);

  function signedUrl(action: string, params: Record<string, string>): string {
    const all: Record<string, string> = {
      AccessKeyId: config.accessKeyId,
      Action: action,
      Format: 'JSON',
      RegionId: 'cn-hangzhou',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: randomUUID(),
      SignatureVersion: '1.0',
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      Version: '2017-05-25',
      ...params,
    };
    all.Signature = aliyunRpcSignature('GET', all, config.accessKeySecret);
    return `${config.endpoint.replace(/\/?$/, '/')}?${new URLSearchParams(all).toString()}`;
  }

  return {
    name: 'aliyun',
    async call(callee, notification, signal) {
      const url = signedUrl('SingleCallByTts', {
        CalledNumber: callee.replace(/^\+86/, ''),
        CalledShowNumber: config.calledShowNumber ?? '',
        TtsCode: config.ttsCode,
        TtsParam: JSON.stringify({ content: spokenText(notification) }),
        PlayTimes: '2',
        OutId: notification.idempotencyKey.slice(0, 64),
      });
      return http.place(url, { method: 'GET' }, signal, aliyunVerdict);
    },
    async result(ref, signal) {
      const url = signedUrl('QueryCallDetailByCallId', {
        CallId: ref,
        ProdId: '11000000300006',
        QueryDate: String(Date.now()),
      });
      const reply = await http.exchange(url, { method: 'GET' }, signal);
      if ('error' in reply || reply.status !== 200) return 'pending';
      const data = parseJson(String(parseJson(reply.body).Data ?? '{}'));
      const state = String(data.state ?? '');
      if (!state) return 'pending';
      return state === '200000' ? 'answered' : 'not-answered';
    },
  };
}
