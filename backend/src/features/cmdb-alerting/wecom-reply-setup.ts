import type { FastifyInstance } from 'fastify';
import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import type { SecretReader } from '../../clients/kube-secrets.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import type { ReplyCodeGrant, ReplyCodeStore } from '../../clients/store/alert-reply.js';
import type { FeatureDeps } from '../feature.js';
import type { EscalationOutbox } from './escalation.js';
import { resolveReceiverSecrets } from './receiver-channels.js';
import { wecomCallbackRoutes } from './routes.js';
import {
  createCallbackGuard,
  heldCallbackSecrets,
  WECOM_CALLBACK_MAX_SKEW_MS,
  WECOM_CALLBACK_REPLAY_MEMORY_BYTES,
} from './wecom-callback-guard.js';
import { createWecomReplies, type WecomReplyDeps } from './wecom-reply.js';

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

/** The callback routes of every WeCom app receiver, over the receivers, their Secrets and the engine. */
export async function setUpWecomReplies(
  app: FastifyInstance,
  deps: FeatureDeps,
  parts: {
    receivers: Pick<ConfigStore<ReceiverInput>, 'get'>;
    secrets: SecretReader;
    codes: ReplyCodeStore;
    acknowledge: WecomReplyDeps['acknowledge'];
  },
): Promise<void> {
  const scope = { secrets: parts.secrets, workspaceOf: () => deps.membership.workspaceOf() };
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
  });
  await app.register(wecomCallbackRoutes, { replies, maxBytes: WECOM_CALLBACK_MAX_BYTES });
}
