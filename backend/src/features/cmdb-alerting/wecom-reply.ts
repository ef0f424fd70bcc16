import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import {
  WecomCryptoError,
  readFlatXml,
  wecomAesKey,
  wecomDecrypt,
  wecomSignatureValid,
} from '../../clients/channels/wecom-callback-crypto.js';
import type { ConfigStore } from '../../clients/store/alert-config.js';
import type { ReplyCodeStore } from '../../clients/store/alert-reply.js';
import { AppError } from '../../core/errors.js';
import type { CallbackGuard } from './wecom-callback-guard.js';
import type { ResolvedSecrets } from './receiver-channels.js';
import { ackReplyCode } from './reply-code.js';
import type { ReplyRefusal } from './wecom-reply-answer.js';

/**
 * Acknowledging by replying on WeCom (docs/adr/0047): a WeCom app receiver's "receive messages" callback. WeCom
 * checks the URL with a signed, encrypted echostr (GET) and posts each message a user sends the app (POST), signed
 * with the receiver's Token and encrypted with its EncodingAESKey (both in the receiver's Secret, never logged nor
 * returned). A text "ACK <code>" from a WeCom user the alert's message was sent to acknowledges the alert the same
 * way its signed link does; anything else is answered 200 and ignored (WeCom would retry a failure). WeCom's retries
 * are harmless: one acknowledgement per alert and person is a unique row.
 */
export interface CallbackQuery {
  msg_signature: string;
  timestamp: string;
  nonce: string;
  echostr?: string;
}

export interface WecomReplyDeps {
  receivers: Pick<ConfigStore<ReceiverInput>, 'get'>;
  secrets: (owner: string, spec: ReceiverInput, updatedAt: number) => Promise<ResolvedSecrets>;
  codes: ReplyCodeStore;
  acknowledge: (alertKey: string, person: string, via: string) => Promise<'done' | 'again' | 'unknown'>;
  /** One line per reply: its outcome, the receiver and the WeCom user; never a secret or the message. */
  log: (fields: Record<string, unknown>, message: string) => void;
  now: () => number;
  /** Refuses a stale timestamp and a replayed signature (wecom-callback-guard.ts). */
  guard: CallbackGuard;
  /**
   * Tells the person why an "ACK <code>" acknowledged nothing (wecom-reply-answer.ts); not awaited, so WeCom's
   * 5 s for the callback's answer are never spent on it.
   */
  answer?: (receiver: string, userId: string, why: ReplyRefusal) => Promise<void>;
}

/** What an acknowledgement by reply is recorded as: the person, and how (the trail shows both). */
export const replyPerson = (userId: string): string => `${userId} (WeCom reply)`;
export const REPLY_VIA = 'wecom-reply';

interface CallbackKeys {
  token: string;
  aesKey: Buffer;
  corpId: string;
}

const badRequest = (problem: string) =>
  new AppError(400, 'BadRequest', 'CMDB_ALERTING_WECOM_CALLBACK_INVALID', { problem }, { problem });

const receiverName = (owner: string, name: string) => (owner ? `${owner}/${name}` : name);

export function createWecomReplies(deps: WecomReplyDeps) {
  /** The receiver's callback keys; 404 when it has none, 503 when its Secret cannot be used now. */
  async function keysOf(owner: string, name: string): Promise<CallbackKeys> {
    const receiver = receiverName(owner, name);
    const row = await deps.receivers.get(owner, name);
    const refs = row?.spec.secretRefs ?? {};
    if (!row || row.spec.type !== 'wecom-app' || !refs.callbackToken || !refs.callbackAesKey)
      throw new AppError(404, 'NotFound', 'CMDB_ALERTING_WECOM_CALLBACK_UNKNOWN', { receiver });
    const secrets = await deps.secrets(owner, row.spec, row.updatedAt);
    const token = 'values' in secrets ? secrets.values.get('callbackToken') : undefined;
    const encodingAesKey = 'values' in secrets ? secrets.values.get('callbackAesKey') : undefined;
    if (!token || !encodingAesKey) {
      deps.log({ receiver, outcome: 'secret-unusable' }, 'cmdb-alerting: WeCom callback Secret unusable');
      throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_WECOM_CALLBACK_UNAVAILABLE', { receiver });
    }
    try {
      return { token, aesKey: wecomAesKey(encodingAesKey.trim()), corpId: row.spec.settings.corpId ?? '' };
    } catch {
      deps.log({ receiver, outcome: 'aes-key-malformed' }, 'cmdb-alerting: WeCom callback key malformed');
      throw new AppError(503, 'ServiceUnavailable', 'CMDB_ALERTING_WECOM_CALLBACK_UNAVAILABLE', { receiver });
    }
  }

  /**
   * The signature (401, in constant time, before anything is decrypted or compared), then its timestamp's freshness
   * and whether it was seen before (401, 409). Answers the release of the request's claim, for when it fails.
   */
  function verify(receiver: string, keys: CallbackKeys, query: CallbackQuery, encrypted: string): () => void {
    const signed = { timestamp: query.timestamp, nonce: query.nonce, signature: query.msg_signature };
    if (!wecomSignatureValid(keys.token, signed, encrypted))
      throw new AppError(401, 'Unauthorized', 'CMDB_ALERTING_WECOM_SIGNATURE_WRONG');
    return deps.guard.admit(receiver, signed);
  }

  /** A verified request's decryption and the corp id it names (400). */
  function open(keys: CallbackKeys, encrypted: string): string {
    let opened: { message: string; receiveId: string };
    try {
      opened = wecomDecrypt(keys.aesKey, encrypted);
    } catch (err) {
      if (err instanceof WecomCryptoError) throw badRequest(err.message);
      throw err;
    }
    if (opened.receiveId !== keys.corpId)
      throw new AppError(400, 'BadRequest', 'CMDB_ALERTING_WECOM_CORP_WRONG', {
        corpId: opened.receiveId.slice(0, 64),
      });
    return opened.message;
  }

  /** A text message's acknowledgement, if it is one; every outcome is one log line. */
  async function handle(receiver: string, message: Map<string, string>): Promise<void> {
    const userId = message.get('FromUserName') ?? '';
    const said = (outcome: string, extra: Record<string, unknown> = {}) =>
      deps.log(
        { receiver, userId, msgId: message.get('MsgId'), outcome, ...extra },
        'cmdb-alerting: WeCom reply',
      );
    if (message.get('MsgType') !== 'text') return said('not-text');
    const code = ackReplyCode(message.get('Content') ?? '');
    if (!code) return said('not-an-acknowledgement');
    const refused = (why: ReplyRefusal, extra: Record<string, unknown> = {}) => {
      void deps.answer?.(receiver, userId, why);
      said(why, extra);
    };
    const found = await deps.codes.lookup(code, receiver, userId);
    if (found.found !== 'granted')
      return refused(found.found === 'unknown' ? 'unknown-code' : 'not-sent-to-user');
    if (found.expiresAt <= deps.now()) return refused('expired', { alertKey: found.alertKey });
    const outcome = await deps.acknowledge(found.alertKey, replyPerson(userId), REPLY_VIA);
    if (outcome === 'done') return said('acknowledged', { alertKey: found.alertKey });
    refused(outcome === 'again' ? 'acknowledged-before' : 'unknown-alert', { alertKey: found.alertKey });
  }

  return {
    /** WeCom's URL check: the echostr's plaintext, as is. */
    async verifyUrl(owner: string, name: string, query: CallbackQuery): Promise<string> {
      if (!query.echostr) throw badRequest('echostr is required');
      const keys = await keysOf(owner, name);
      const release = verify(receiverName(owner, name), keys, query, query.echostr);
      try {
        return open(keys, query.echostr);
      } catch (err) {
        release();
        throw err;
      }
    },

    /** One message a user sent the app; resolves when handled (the route answers 200, empty). */
    async receive(owner: string, name: string, query: CallbackQuery, body: string): Promise<void> {
      const outer = readFlatXml(body);
      const encrypted = outer?.get('Encrypt');
      if (!outer || !encrypted) throw badRequest('the body is not WeCom XML with an Encrypt element');
      const keys = await keysOf(owner, name);
      const receiver = receiverName(owner, name);
      const release = verify(receiver, keys, query, encrypted);
      try {
        const to = outer.get('ToUserName');
        if (to !== undefined && to !== keys.corpId)
          throw new AppError(400, 'BadRequest', 'CMDB_ALERTING_WECOM_CORP_WRONG', {
            corpId: to.slice(0, 64),
          });
        const message = readFlatXml(open(keys, encrypted));
        if (!message) throw badRequest('the decrypted message is not WeCom XML');
        await handle(receiver, message);
      } catch (err) {
        // Failed before it took effect (or while): WeCom's retry of it, signed the same, must be heard.
        release();
        throw err;
      }
    },
  };
}

export type WecomReplies = ReturnType<typeof createWecomReplies>;
