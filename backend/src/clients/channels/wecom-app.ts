import type { Channel, DeliveryOutcome, Notification, OnAccepted, RecipientResult } from './channel.js';
import { scrubText } from '../reduced-error.js';
import { AppTokens, TokenFailure, type AppCredentials } from './wecom-app-token.js';
import {
  callWecom,
  describeAnswer,
  failureOutcome,
  noLog,
  type ChannelLog,
  type WecomAnswer,
} from './wecom-http.js';
import { WECOM_DEFAULT_BASE_URL } from './wecom-robot.js';
import { markdownBodies } from './wecom-robot-messages.js';
import { SendWindows } from './wecom-send-window.js';

/**
 * WeCom app messages (doc 90236): `POST <base>/cgi-bin/message/send?access_token=…` with `touser` (user ids joined by
 * `|`), `msgtype: markdown`, `agentid`. App markdown is at most 2,048 bytes. WeCom drops, without an error, messages
 * beyond 30 a minute per member, so the app keeps its own window and the outbox waits (reference §5.2). A partial
 * failure comes back with errcode 0 and `invaliduser` / `invalidparty`: reported per recipient.
 */
export const APP_MARKDOWN_MAX_BYTES = 2048;
export const APP_MESSAGES_PER_MINUTE = 30;

export const appWindows = new SendWindows(APP_MESSAGES_PER_MINUTE, 60_000);
export const appTokens = new AppTokens(10_000);

export interface WecomAppOptions extends Omit<AppCredentials, 'baseUrl'> {
  baseUrl?: string;
  /** Department ids to send to besides the recipients (the receiver's configuration). */
  toParty?: readonly string[];
  /** Tag ids to send to besides the recipients (the receiver's `toTag`). */
  toTag?: readonly string[];
  timeoutMs?: number;
  /** The pause after errcode 45009; WeCom's own minute (RATE_LIMIT_BACKOFF_MS) by default. */
  rateLimitBackoffMs?: number;
  tokens?: AppTokens;
  windows?: SendWindows;
  log?: ChannelLog;
}

const TOKEN_REFUSED = new Set([40014, 42001]);

const listed = (value: unknown): Set<string> =>
  new Set(typeof value === 'string' && value ? value.split('|') : []);

function perRecipient(
  users: string[],
  parties: readonly string[],
  tags: readonly string[],
  answers: WecomAnswer[],
): RecipientResult[] {
  const field = (name: string) =>
    new Set(answers.flatMap((a) => (a.kind === 'answer' ? [...listed(a.body[name])] : [])));
  const badUsers = new Set([...field('invaliduser'), ...field('unlicenseduser')]);
  const badParties = field('invalidparty');
  const badTags = field('invalidtag');
  const result = (recipient: string, bad: boolean, why: string): RecipientResult =>
    bad ? { recipient, outcome: 'failed', detail: why } : { recipient, outcome: 'delivered' };
  return [
    ...users.map((u) => result(u, badUsers.has(u), 'invaliduser')),
    ...parties.map((p) => result(`party:${p}`, badParties.has(p), 'invalidparty')),
    ...tags.map((t) => result(`tag:${t}`, badTags.has(t), 'invalidtag')),
  ];
}

/** What one accepted message's part of the trail says: its msgid, and the recipients WeCom named invalid. */
function acceptedAnswer(answer: WecomAnswer, index: number, count: number): [string, string?] {
  const body: Record<string, unknown> = answer.kind === 'answer' ? answer.body : {};
  const invalid = ['invaliduser', 'invalidparty', 'invalidtag', 'unlicenseduser']
    .filter((field) => typeof body[field] === 'string' && body[field])
    .map((field) => `${field} ${String(body[field])}`);
  const said = `errcode 0: ok (message ${index + 1} of ${count})${invalid.length ? `; ${invalid.join('; ')}` : ''}`;
  const msgid = typeof body.msgid === 'string' && body.msgid ? body.msgid : undefined; // WeCom's id, to recall it
  return [scrubText(said, 300), msgid];
}

export function createWecomAppChannel(options: WecomAppOptions): Channel {
  const app: AppCredentials = { ...options, baseUrl: options.baseUrl ?? WECOM_DEFAULT_BASE_URL };
  const tokens = options.tokens ?? appTokens;
  const window = (options.windows ?? appWindows).for('wecom-app', app.corpId, String(app.agentId));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const log = options.log ?? noLog;
  const parties = options.toParty ?? [];
  const tags = options.toTag ?? [];

  /** One message; a refused token (40014 invalid, 42001 expired) is refreshed once and the message sent again. */
  async function post(body: object, signal: AbortSignal): Promise<{ answer: WecomAnswer; token: string }> {
    let token = await tokens.get(app, signal);
    for (let attempt = 0; ; attempt++) {
      const url = new URL('/cgi-bin/message/send', app.baseUrl);
      url.searchParams.set('access_token', token);
      const answer = await callWecom(url, { method: 'POST', body }, timeoutMs, signal);
      const refused = answer.kind === 'answer' && TOKEN_REFUSED.has(answer.body.errcode);
      if (!refused || attempt === 1) return { answer, token };
      token = await tokens.get(app, signal, token);
    }
  }

  async function sendAll(
    batch: readonly Notification[],
    signal: AbortSignal,
    accepted?: OnAccepted,
  ): Promise<DeliveryOutcome> {
    const users = [...new Set(batch.flatMap((n) => n.recipients.map((r) => r.wecomUserId ?? '')))].filter(
      Boolean,
    );
    if (users.length === 0 && parties.length === 0 && tags.length === 0)
      return { kind: 'failed', reason: 'CMDB_ALERTING_WECOM_NO_RECIPIENT' };
    const answers: WecomAnswer[] = [];
    const contents = markdownBodies(batch, window.remaining(Date.now()), APP_MARKDOWN_MAX_BYTES);
    for (const [index, { content, carries }] of contents.entries()) {
      const message = {
        touser: users.join('|'),
        toparty: parties.join('|'),
        ...(tags.length > 0 ? { totag: tags.join('|') } : {}),
        msgtype: 'markdown',
        agentid: app.agentId,
        markdown: { content },
      };
      const { answer, token } = await post(message, signal);
      if (answer.kind === 'answer' && answer.body.errcode === 0) {
        window.record(Date.now());
        answers.push(answer);
        // Settled as WeCom takes it (ADR 0049): a kill or a refusal later in the batch cannot have it sent again.
        if (accepted && carries.length > 0)
          await accepted(carries, ...acceptedAnswer(answer, index, contents.length));
        continue;
      }
      const providerAnswer = describeAnswer(answer, [app.corpSecret, token]);
      const outcome =
        answer.kind === 'answer' && TOKEN_REFUSED.has(answer.body.errcode)
          ? { kind: 'retry' as const, reason: 'CMDB_ALERTING_WECOM_TOKEN_REJECTED', providerAnswer }
          : failureOutcome(answer, providerAnswer, options.rateLimitBackoffMs);
      if (outcome.kind === 'retry' && outcome.retryAfterMs) window.block(Date.now() + outcome.retryAfterMs);
      log.warn(
        { channel: 'wecom-app', outcome: outcome.kind, providerAnswer },
        'WeCom app did not take a message',
      );
      return outcome;
    }
    const msgids = answers
      .map((a) => (a.kind === 'answer' ? String(a.body.msgid ?? '') : ''))
      .filter(Boolean);
    return {
      kind: 'delivered',
      providerAnswer: `errcode 0: ok (${contents.length} message(s))`,
      ...(msgids.length > 0 ? { providerRef: msgids.join(',') } : {}),
      perRecipient: perRecipient(users, parties, tags, answers),
    };
  }

  async function send(
    batch: readonly Notification[],
    signal: AbortSignal,
    accepted?: OnAccepted,
  ): Promise<DeliveryOutcome> {
    if (window.remaining(Date.now()) === 0) {
      const retryAfterMs = window.nextSendAt(Date.now()) - Date.now();
      return { kind: 'retry', reason: 'CMDB_ALERTING_WECOM_RATE_LIMITED', retryAfterMs };
    }
    try {
      return await sendAll(batch, signal, accepted);
    } catch (err) {
      if (!(err instanceof TokenFailure)) throw err;
      log.warn(
        { channel: 'wecom-app', outcome: err.outcome.kind, providerAnswer: err.outcome.providerAnswer },
        'WeCom app got no access token',
      );
      return err.outcome;
    }
  }

  return { type: 'wecom-app', send, nextSendAt: (now) => window.nextSendAt(now) };
}
