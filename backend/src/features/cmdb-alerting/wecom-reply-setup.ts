import type { FastifyInstance } from 'fastify';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import { buildChannel, type ChannelProviders } from '../../clients/channels/factory.js';
import type { SecretReader } from '../../clients/kube-secrets.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import type { ReplyCodeGrant, ReplyCodeStore } from '../../clients/store/alert-reply.js';
import type { FeatureDeps } from '../feature.js';
import type { EscalationOutbox } from './escalation.js';
import { resolveReceiverSecrets, splitReceiverRef, type ReceiverChannelsDeps } from './receiver-channels.js';
import { wecomCallbackRoutes } from './routes.js';
import {
  createCallbackGuard,
  heldCallbackSecrets,
  WECOM_CALLBACK_MAX_SKEW_MS,
  WECOM_CALLBACK_REPLAY_MEMORY_BYTES,
} from './wecom-callback-guard.js';
import { createWecomReplies, type WecomReplyDeps } from './wecom-reply.js';
import {
  createReplyAnswers,
  REPLY_ANSWER_EVERY_MS,
  REPLY_ANSWER_MEMORY_BYTES,
  type AnswerChannel,
} from './wecom-reply-answer.js';

/** WeCom posts one short message at a time: 64 KiB is ample and bounds what an unauthenticated caller can send. */
export const WECOM_CALLBACK_MAX_BYTES = 64 * 1024;

/**
 * The outbox as the escalation engine sees it, recording before each enqueue whom a WeCom app message asks to reply
 * "ACK <code>": one grant per WeCom user id the message is addressed to, through the receiver that sends it, until
 * the ack-link TTL from now (docs/adr/0047). Recorded first: a message is never out without its grants.
 */
export function grantingReplyCodes<T extends EscalationOutbox>(
  outbox: T,
  codes: Pick<ReplyCodeStore, 'grant'>,
  ttlMs: number,
): T {
  return {
    ...outbox,
    async enqueue(entries, now) {
      const grants = entries.flatMap(({ receiver, notification: n }): ReplyCodeGrant[] =>
        n.replyCode
          ? n.recipients.flatMap((r) =>
              r.wecomUserId
                ? [
                    {
                      code: n.replyCode!,
                      alertKey: n.alertKey,
                      receiver,
                      userId: r.wecomUserId,
                      expiresAt: now + ttlMs,
                    },
                  ]
                : [],
            )
          : [],
      );
      if (grants.length > 0) await codes.grant(grants);
      return outbox.enqueue(entries, now);
    },
  };
}

/**
 * A WeCom app receiver's app for answering one person (wecom-reply-answer.ts): its corp, agent and secret, so its
 * token and its send window are the receiver's own, but without its toParty / toTag, which an answer must not reach.
 */
function answerChannels(
  scope: Pick<ReceiverChannelsDeps, 'secrets' | 'workspaceOf'>,
  receivers: Pick<ConfigStore<ReceiverInput>, 'get'>,
  providers: () => ChannelProviders,
) {
  return async (ref: string): Promise<AnswerChannel | undefined> => {
    const { owner, name } = splitReceiverRef(ref);
    const row = await receivers.get(owner, name);
    if (!row || row.spec.type !== 'wecom-app') return undefined;
    const secrets = await resolveReceiverSecrets(scope, owner, row.spec, row.updatedAt);
    if (!('values' in secrets)) return undefined;
    const settings = Object.fromEntries(
      Object.entries(row.spec.settings).filter(([key]) => key !== 'toParty' && key !== 'toTag'),
    );
    return {
      channel: buildChannel({ type: 'wecom-app', settings }, secrets.values, providers()),
      language: settings.language === 'zh' ? 'zh' : 'en',
    };
  };
}

/** The callback routes of every WeCom app receiver, over the receivers, their Secrets and the engine. */
export async function setUpWecomReplies(
  app: FastifyInstance,
  deps: FeatureDeps,
  parts: {
    receivers: Pick<ConfigStore<ReceiverInput>, 'get'>;
    secrets: SecretReader;
    codes: ReplyCodeStore;
    acknowledge: WecomReplyDeps['acknowledge'];
    /** The platform's side of the channels, as the receivers' channels are built over it. */
    providers: () => ChannelProviders;
  },
): Promise<void> {
  const scope = { secrets: parts.secrets, workspaceOf: () => deps.membership.workspaceOf() };
  const answers = createReplyAnswers({
    channelFor: answerChannels(scope, parts.receivers, parts.providers),
    translate: deps.translate,
    log: (fields, message) => app.log.info(fields, message),
    now: Date.now,
    everyMs: REPLY_ANSWER_EVERY_MS,
    memoryBytes: REPLY_ANSWER_MEMORY_BYTES,
    timeoutMs: deps.settings.cmdbAlertingChannels.timeoutMs,
  });
  const replies = createWecomReplies({
    receivers: parts.receivers,
    secrets: heldCallbackSecrets((owner, spec, updatedAt) =>
      resolveReceiverSecrets(scope, owner, spec, updatedAt),
    ),
    codes: parts.codes,
    acknowledge: parts.acknowledge,
    log: (fields, message) => app.log.info(fields, message),
    now: Date.now,
    guard: createCallbackGuard({
      maxSkewMs: WECOM_CALLBACK_MAX_SKEW_MS,
      memoryBytes: WECOM_CALLBACK_REPLAY_MEMORY_BYTES,
      now: Date.now,
    }),
    answer: answers.answer,
  });
  await app.register(wecomCallbackRoutes, { replies, maxBytes: WECOM_CALLBACK_MAX_BYTES });
}
