import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import {
  VOICE_PROVIDER_NAMES,
  type ChannelProviders,
  type VoiceProviders,
} from '../../clients/channels/factory.js';
import type { ChannelLog } from '../../clients/channels/wecom-http.js';
import { secretFileReader } from '../../clients/secret-file.js';
import type { FeatureSettings } from '../feature.js';

/**
 * The platform's side of the channels (docs/adr/0037): WeCom's URL and the SMTP server from settings, the SMTP
 * password and the voice providers' keys from files mounted from Secrets, re-read when the kubelet rotates them.
 */
const Url = Type.String({ pattern: '^https?://' });
const Key = Type.String({ minLength: 1, maxLength: 512 });

export const VoiceProvidersFile = Type.Object(
  {
    order: Type.Optional(Type.Array(Type.Union(VOICE_PROVIDER_NAMES.map((n) => Type.Literal(n))))),
    aliyun: Type.Optional(
      Type.Object({
        endpoint: Type.Optional(Url),
        accessKeyId: Key,
        accessKeySecret: Key,
        ttsCode: Key,
        calledShowNumber: Type.Optional(Key),
      }),
    ),
    tencent: Type.Optional(
      Type.Object({
        endpoint: Type.Optional(Url),
        secretId: Key,
        secretKey: Key,
        voiceSdkAppid: Key,
        templateId: Key,
        region: Type.Optional(Key),
      }),
    ),
    twilio: Type.Optional(
      Type.Object({ endpoint: Type.Optional(Url), accountSid: Key, authToken: Key, from: Key }),
    ),
  },
  { additionalProperties: false },
);
export type VoiceProvidersFile = Static<typeof VoiceProvidersFile>;

const UPSTREAM = {
  aliyun: 'https://dyvmsapi.aliyuncs.com/',
  tencent: 'https://vms.tencentcloudapi.com/',
  twilio: 'https://api.twilio.com',
};

/**
 * The voice providers of the file's text, or why it is refused: the first schema error's path, never a value
 * (the file holds keys).
 */
export function parseVoiceProviders(text: string): VoiceProviders | { problem: string } {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return { problem: 'is not YAML or JSON' };
  }
  const error = Value.Errors(VoiceProvidersFile, parsed).First();
  if (error) return { problem: `${error.path || '/'}: ${error.message}` };
  const file = parsed as VoiceProvidersFile;
  const withEndpoint = <T extends { endpoint?: string }>(p: T | undefined, upstream: string) =>
    p ? { ...p, endpoint: p.endpoint ?? upstream } : undefined;
  const aliyun = withEndpoint(file.aliyun, UPSTREAM.aliyun);
  const tencent = withEndpoint(file.tencent, UPSTREAM.tencent);
  const twilio = withEndpoint(file.twilio, UPSTREAM.twilio);
  return {
    ...(file.order ? { order: file.order } : {}),
    ...(aliyun ? { aliyun } : {}),
    ...(tencent ? { tencent } : {}),
    ...(twilio ? { twilio } : {}),
  };
}

/**
 * The providers as of now: call again before building a channel so a rotated password or key file is picked up.
 * `warn` gets the file's problem once per change, without its content.
 */
export function channelProviders(
  settings: FeatureSettings['cmdbAlertingChannels'],
  log: ChannelLog,
): () => ChannelProviders {
  const smtpPassword = settings.smtp?.passwordFile ? secretFileReader(settings.smtp.passwordFile) : undefined;
  const voiceFile = settings.voiceProvidersFile ? secretFileReader(settings.voiceProvidersFile) : undefined;
  let lastVoice: { text: string | undefined; voice: VoiceProviders | undefined } | undefined;
  const voice = (): VoiceProviders | undefined => {
    const text = voiceFile?.();
    if (lastVoice && lastVoice.text === text) return lastVoice.voice;
    const parsed = text === undefined ? undefined : parseVoiceProviders(text);
    if (parsed && 'problem' in parsed)
      log.warn(
        { setting: 'ALERT_VOICE_PROVIDERS_FILE', problem: parsed.problem },
        'cmdb-alerting: voice providers file refused',
      );
    lastVoice = { text, voice: parsed && !('problem' in parsed) ? parsed : undefined };
    return lastVoice.voice;
  };
  let last:
    | { password: string | undefined; voice: VoiceProviders | undefined; providers: ChannelProviders }
    | undefined;
  // The same object while nothing changed: receivers' cached channels are rebuilt when it is a new one.
  return () => {
    const smtp = settings.smtp;
    const password = smtpPassword?.();
    const voiceProviders = voice();
    if (last && last.password === password && last.voice === voiceProviders) return last.providers;
    const providers: ChannelProviders = {
      wecomBaseUrl: settings.wecomBaseUrl,
      wecomRateLimitBackoffMs: settings.wecomRateLimitBackoffMs,
      ...(smtp
        ? {
            smtp: {
              host: smtp.host,
              port: smtp.port,
              secure: smtp.secure,
              from: smtp.from,
              ...(smtp.user ? { user: smtp.user, ...(password ? { password } : {}) } : {}),
            },
          }
        : {}),
      ...(voiceProviders ? { voice: voiceProviders } : {}),
      timeoutMs: settings.timeoutMs,
      log,
    };
    last = { password, voice: voiceProviders, providers };
    return providers;
  };
}
