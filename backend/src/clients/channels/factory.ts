/**
 * Builds a receiver's channel from what the receiver says (its type, plain settings) and the values of the Secrets it
 * references, over the platform's providers (WeCom's API URL, the SMTP server, the voice providers). Pure: no I/O
 * here, the caller reads the receiver and its Secrets and caches what this returns. A receiver that cannot be built
 * (a Secret value missing, the SMTP server or a voice provider not configured) gets an `unavailableChannel`: every
 * send fails with the reason named, so the delivery trail shows the receiver's error instead of a crash.
 */
import type { Channel, ChannelType, DeliveryOutcome } from './channel.js';
import { createEmailChannel } from './email.js';
import { createWebhookChannel } from './webhook.js';
import { createWecomAppChannel } from './wecom-app.js';
import type { ChannelLog } from './wecom-http.js';
import { createWecomRobotChannel, WECOM_DEFAULT_BASE_URL } from './wecom-robot.js';
import { createAliyunVoice, type AliyunVoiceConfig } from './voice/aliyun.js';
import type { VoiceProvider } from './voice/provider.js';
import { createTencentVoice, type TencentVoiceConfig } from './voice/tencent.js';
import { createTwilioVoice, type TwilioVoiceConfig } from './voice/twilio.js';
import { createVoiceChannel } from './voice/voice.js';
import type { ObserveUpstream } from '../upstream.js';

export const VOICE_PROVIDER_NAMES = ['aliyun', 'tencent', 'twilio'] as const;
export type VoiceProviderName = (typeof VOICE_PROVIDER_NAMES)[number];

/** The platform's voice providers (ALERT_VOICE_PROVIDERS_FILE, mounted from a Secret); absent = not configured. */
export interface VoiceProviders {
  /** Failover order when a receiver names none; default: aliyun, tencent, twilio (those configured). */
  order?: readonly VoiceProviderName[];
  aliyun?: Omit<AliyunVoiceConfig, 'deadlineMs'>;
  tencent?: Omit<TencentVoiceConfig, 'deadlineMs'>;
  twilio?: Omit<TwilioVoiceConfig, 'deadlineMs'>;
}

export interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
  from: string;
  user?: string;
  password?: string;
}

/** What every receiver's channel is built over: the platform's side of each provider. */
export interface ChannelProviders {
  wecomBaseUrl?: string;
  /** The pause after WeCom's 45009 (ALERT_WECOM_RATE_LIMIT_BACKOFF_MS); WeCom's own minute when absent. */
  wecomRateLimitBackoffMs?: number;
  smtp?: SmtpServer;
  voice?: VoiceProviders;
  /** The deadline of one provider call. */
  timeoutMs: number;
  log?: ChannelLog;
  observe?: ObserveUpstream;
}

/** The part of a receiver a channel is built from (contracts' ReceiverInput, without the references). */
export interface ReceiverSpec {
  type: ChannelType;
  settings: Readonly<Record<string, string>>;
}

/** A receiver whose channel cannot be built: each send fails naming why (a locale key and its detail). */
export function unavailableChannel(type: ChannelType, reason: string, detail: string): Channel {
  const outcome: DeliveryOutcome = { kind: 'failed', reason, providerAnswer: detail };
  return { type, nextSendAt: (now) => now, send: async () => outcome };
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function voiceProviders(
  voice: VoiceProviders | undefined,
  named: string | undefined,
  deadlineMs: number,
): VoiceProvider[] | string {
  if (!voice) return 'no voice provider is configured (ALERT_VOICE_PROVIDERS_FILE)';
  const order = named ? list(named) : [...(voice.order ?? VOICE_PROVIDER_NAMES)];
  const providers: VoiceProvider[] = [];
  for (const name of order) {
    if (name === 'aliyun' && voice.aliyun) providers.push(createAliyunVoice({ ...voice.aliyun, deadlineMs }));
    else if (name === 'tencent' && voice.tencent)
      providers.push(createTencentVoice({ ...voice.tencent, deadlineMs }));
    else if (name === 'twilio' && voice.twilio)
      providers.push(createTwilioVoice({ ...voice.twilio, deadlineMs }));
    else if (named) return `voice provider "${name}" is not configured`;
  }
  return providers.length > 0 ? providers : 'no voice provider is configured (ALERT_VOICE_PROVIDERS_FILE)';
}

/**
 * The channel for one receiver. `secrets` holds the values of the receiver's secretRefs by their key in the
 * receiver (`webhookKey`, `corpSecret`, `hmacKey`); a required one missing is the caller's to report, but a missing
 * value here still yields an unavailable channel, never an exception.
 */
export function buildChannel(
  receiver: ReceiverSpec,
  secrets: ReadonlyMap<string, string>,
  providers: ChannelProviders,
): Channel {
  const { settings } = receiver;
  const timeoutMs = providers.timeoutMs;
  const log = providers.log;
  const rateLimitBackoffMs = providers.wecomRateLimitBackoffMs;
  const wecom = {
    baseUrl: providers.wecomBaseUrl ?? WECOM_DEFAULT_BASE_URL,
    timeoutMs,
    ...(rateLimitBackoffMs ? { rateLimitBackoffMs } : {}),
    ...(log ? { log } : {}),
  };
  const missing = (key: string) =>
    unavailableChannel(
      receiver.type,
      'CMDB_ALERTING_RECEIVER_SECRET_MISSING',
      `secret "${key}" has no value`,
    );
  switch (receiver.type) {
    case 'wecom-robot': {
      const key = secrets.get('webhookKey');
      if (!key) return missing('webhookKey');
      return createWecomRobotChannel({
        key,
        mentionAll: settings.mentionAll === 'true',
        ...wecom,
      });
    }
    case 'wecom-app': {
      const corpSecret = secrets.get('corpSecret');
      if (!corpSecret) return missing('corpSecret');
      const agentId = Number(settings.agentId);
      if (!Number.isInteger(agentId) || agentId <= 0)
        return unavailableChannel(
          'wecom-app',
          'CMDB_ALERTING_RECEIVER_MISCONFIGURED',
          'setting "agentId" is not a positive integer',
        );
      return createWecomAppChannel({
        corpId: settings.corpId ?? '',
        corpSecret,
        agentId,
        toParty: list(settings.toParty),
        toTag: list(settings.toTag),
        ...wecom,
      });
    }
    case 'email': {
      const smtp = providers.smtp;
      if (!smtp)
        return unavailableChannel(
          'email',
          'CMDB_ALERTING_RECEIVER_MISCONFIGURED',
          'no SMTP server is configured (ALERT_SMTP_HOST)',
        );
      return createEmailChannel(
        {
          host: smtp.host,
          port: smtp.port,
          secure: smtp.secure,
          from: smtp.from,
          cc: list(settings.cc),
          ...(smtp.user ? { user: smtp.user, password: smtp.password ?? '' } : {}),
          deadlineMs: timeoutMs,
        },
        providers.observe,
      );
    }
    case 'voice': {
      const chosen = voiceProviders(providers.voice, settings.providers, timeoutMs);
      if (typeof chosen === 'string')
        return unavailableChannel('voice', 'CMDB_ALERTING_RECEIVER_MISCONFIGURED', chosen);
      return createVoiceChannel(chosen);
    }
    case 'webhook': {
      const url = settings.url ?? '';
      if (!/^https?:\/\//.test(url))
        return unavailableChannel(
          'webhook',
          'CMDB_ALERTING_RECEIVER_MISCONFIGURED',
          'setting "url" is not an http(s) URL',
        );
      // Without an hmacKey the body is still signed, with an empty key: receivers that verify refuse it.
      return createWebhookChannel(
        { url, secret: secrets.get('hmacKey') ?? '', deadlineMs: timeoutMs },
        providers.observe,
      );
    }
  }
}
