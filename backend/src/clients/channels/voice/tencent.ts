/**
 * Tencent Cloud VMS `SendTtsVoice` (vms.tencentcloudapi.com, Version 2020-09-02), API 3.0 with TC3-HMAC-SHA256.
 * Tencent reports a call's result only by callback to a configured URL; there is no query, so the call stays
 * `pending` here until such a callback receiver exists.
 */
import { scrubText } from '../../reduced-error.js';
import { tc3Authorization } from './signers.js';
import { spokenText, voiceHttp, type CallVerdict, type VoiceProvider } from './provider.js';

export interface TencentVoiceConfig {
  /** https://vms.tencentcloudapi.com upstream; the stand-in's URL in the sandbox. */
  endpoint: string;
  secretId: string;
  /** The Secret's value; only signs, never sent or logged. */
  secretKey: string;
  voiceSdkAppid: string;
  templateId: string;
  region?: string;
  deadlineMs?: number;
}

export function tencentVerdict(status: number, body: Record<string, unknown>): CallVerdict {
  const response = (body.Response ?? {}) as {
    Error?: { Code?: string; Message?: string };
    SendStatus?: { CallId?: string };
    RequestId?: string;
  };
  const code = response.Error?.Code ?? '';
  const answer = scrubText(`HTTP ${status} ${code || 'OK'} ${response.Error?.Message ?? ''}`.trim(), 300);
  if (status === 200 && !code && response.SendStatus?.CallId) {
    return { kind: 'placed', ref: response.SendStatus.CallId, answer };
  }
  if (code === 'RequestLimitExceeded' || code.startsWith('LimitExceeded') || status === 429) {
    return { kind: 'limited', answer };
  }
  if (status >= 500 || code === 'InternalError' || code.startsWith('FailedOperation.')) {
    return { kind: 'unavailable', answer };
  }
  // AuthFailure.* (bad SecretId, signature), InvalidParameter*, UnauthorizedOperation: cannot call with this one.
  return { kind: 'rejected', answer };
}

export function createTencentVoice(config: TencentVoiceConfig): VoiceProvider {
  const http = voiceHttp(config.deadlineMs);
  const contentType = 'application/json; charset=utf-8';
  return {
    name: 'tencent',
    async call(callee, notification, signal) {
      const payload = JSON.stringify({
        TemplateId: config.templateId,
        TemplateParamSet: [spokenText(notification)],
        CalledNumber: callee.startsWith('+') ? callee : `+86${callee}`,
        VoiceSdkAppid: config.voiceSdkAppid,
        PlayTimes: 2,
        SessionContext: notification.idempotencyKey.slice(0, 64),
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const host = new URL(config.endpoint).host;
      const authorization = tc3Authorization({
        secretId: config.secretId,
        secretKey: config.secretKey,
        service: 'vms',
        host,
        timestamp,
        payload,
        contentType,
      });
      const headers = {
        authorization,
        'content-type': contentType,
        'x-tc-action': 'SendTtsVoice',
        'x-tc-version': '2020-09-02',
        'x-tc-timestamp': String(timestamp),
        'x-tc-region': config.region ?? 'ap-guangzhou',
      };
      return http.place(config.endpoint, { method: 'POST', headers, body: payload }, signal, tencentVerdict);
    },
  };
}
