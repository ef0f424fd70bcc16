/**
 * Twilio Programmable Voice `Calls` (2010-04-01): form-encoded POST with HTTP Basic auth, TwiML that speaks the
 * alert. The call's result is read back from the call resource's `status`.
 */
import { scrubText } from '../../reduced-error.js';
import type { RecipientResult } from '../channel.js';
import { basicAuthorization } from './signers.js';
import { parseJson, spokenText, voiceHttp, type CallVerdict, type VoiceProvider } from './provider.js';

export interface TwilioVoiceConfig {
  /** https://api.twilio.com upstream; the stand-in's URL in the sandbox. */
  endpoint: string;
  accountSid: string;
  /** The Secret's value; only in the Authorization header, never logged. */
  authToken: string;
  from: string;
  deadlineMs?: number;
}

export function twilioVerdict(status: number, body: Record<string, unknown>): CallVerdict {
  const answer = scrubText(
    `HTTP ${status} ${String(body.code ?? body.status ?? '')} ${String(body.message ?? '')}`.trim(),
    300,
  );
  if (status === 201 && typeof body.sid === 'string') return { kind: 'placed', ref: body.sid, answer };
  // 429 / error 20429: too many requests; 14107 is the per-number outbound rate limit.
  if (status === 429 || body.code === 20429 || body.code === 14107) return { kind: 'limited', answer };
  if (status >= 500) return { kind: 'unavailable', answer };
  // 401 / 20003 authentication, 21211 invalid To number, 21210 unverified From: this provider cannot call.
  return { kind: 'rejected', answer };
}

const STATUS_OUTCOME: Record<string, RecipientResult['outcome']> = {
  completed: 'answered',
  'in-progress': 'answered',
  busy: 'not-answered',
  'no-answer': 'not-answered',
  canceled: 'not-answered',
  failed: 'failed',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function createTwilioVoice(config: TwilioVoiceConfig): VoiceProvider {
  const http = voiceHttp(config.deadlineMs);
  const base = `${config.endpoint.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const authorization = basicAuthorization(config.accountSid, config.authToken);
  return {
    name: 'twilio',
    async call(callee, notification, signal) {
      const form = new URLSearchParams({
        To: callee,
        From: config.from,
        Twiml: `<Response><Say>${escapeXml(spokenText(notification))}</Say></Response>`,
        Timeout: '30',
      });
      return http.place(
        `${base}/Calls.json`,
        {
          method: 'POST',
          headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
          body: form.toString(),
        },
        signal,
        twilioVerdict,
      );
    },
    async result(ref, signal) {
      const reply = await http.exchange(
        `${base}/Calls/${encodeURIComponent(ref)}.json`,
        { method: 'GET', headers: { authorization } },
        signal,
      );
      if ('error' in reply || reply.status !== 200) return 'pending';
      return STATUS_OUTCOME[String(parseJson(reply.body).status)] ?? 'pending';
    },
  };
}
