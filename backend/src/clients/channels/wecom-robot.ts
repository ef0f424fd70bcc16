import type { Channel, DeliveryOutcome, Notification, OnAccepted } from './channel.js';
import { callWecom, describeAnswer, failureOutcome, noLog, type ChannelLog } from './wecom-http.js';
import { robotMessages } from './wecom-robot-messages.js';
import { SendWindows } from './wecom-send-window.js';

/**
 * The WeCom group robot ("消息推送" webhook, doc 91770): `POST <base>/cgi-bin/webhook/send?key=<key>`. At most 20
 * messages a minute per robot, markdown within 4,096 bytes, errors in `errcode` under HTTP 200 (reference §5.1).
 * The key comes from the receiver's Kubernetes Secret; it is in the URL only, never in a log line or an outcome.
 */
export const WECOM_DEFAULT_BASE_URL = 'https://qyapi.weixin.qq.com';
export const ROBOT_MESSAGES_PER_MINUTE = 20;

/** One window per robot key for the whole process: every channel object for the same key shares it. */
export const robotWindows = new SendWindows(ROBOT_MESSAGES_PER_MINUTE, 60_000);

export interface WecomRobotOptions {
  key: string;
  /** Mention everyone in the group (`@all`), the receiver's `mentionAll` setting. */
  mentionAll?: boolean;
  baseUrl?: string;
  timeoutMs?: number;
  /** The pause after errcode 45009; WeCom's own minute (RATE_LIMIT_BACKOFF_MS) by default. */
  rateLimitBackoffMs?: number;
  windows?: SendWindows;
  log?: ChannelLog;
}

export function createWecomRobotChannel(options: WecomRobotOptions): Channel {
  const { key } = options;
  const url = new URL('/cgi-bin/webhook/send', options.baseUrl ?? WECOM_DEFAULT_BASE_URL);
  url.searchParams.set('key', key);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const window = (options.windows ?? robotWindows).for('wecom-robot', key);
  const log = options.log ?? noLog;

  async function send(
    batch: readonly Notification[],
    signal: AbortSignal,
    accepted?: OnAccepted,
  ): Promise<DeliveryOutcome> {
    const room = window.remaining(Date.now());
    if (room === 0) {
      // Not sent at all: the robot's minute is full, so the outbox waits and merges more into the next batch.
      const retryAfterMs = window.nextSendAt(Date.now()) - Date.now();
      return { kind: 'retry', reason: 'CMDB_ALERTING_WECOM_RATE_LIMITED', retryAfterMs };
    }
    const messages = robotMessages(batch, room, options.mentionAll ?? false);
    for (const [index, { message, carries }] of messages.entries()) {
      const answer = await callWecom(url, { method: 'POST', body: message }, timeoutMs, signal);
      if (answer.kind === 'answer' && answer.body.errcode === 0) {
        window.record(Date.now());
        // Settled as WeCom takes it (ADR 0049): a kill or a refusal later in the batch cannot have it sent again.
        if (accepted && carries.length > 0)
          await accepted(carries, `errcode 0: ok (message ${index + 1} of ${messages.length})`);
        continue;
      }
      const providerAnswer = `${describeAnswer(answer, [key])} (message ${index + 1} of ${messages.length})`;
      const outcome = failureOutcome(answer, providerAnswer, options.rateLimitBackoffMs);
      if (outcome.kind === 'retry' && outcome.retryAfterMs) window.block(Date.now() + outcome.retryAfterMs);
      log.warn(
        { channel: 'wecom-robot', outcome: outcome.kind, providerAnswer },
        'WeCom robot did not take a message',
      );
      return outcome;
    }
    return {
      kind: 'delivered',
      providerAnswer: `errcode 0: ok (${messages.length} message${messages.length === 1 ? '' : 's'} for ${batch.length} notification${batch.length === 1 ? '' : 's'})`,
    };
  }

  return { type: 'wecom-robot', send, nextSendAt: (now) => window.nextSendAt(now) };
}
