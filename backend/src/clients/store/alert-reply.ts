import type { Kysely } from 'kysely';
import type { Database, Store } from './index.js';

/**
 * cmdb-alerting's WeCom reply codes (docs/adr/0047): whom a WeCom app message asked to reply "ACK <code>", so a
 * reply acknowledges the code's alert only when it comes from a user the message was sent to, through the receiver
 * that sent it, before the code's expiry. Rows are only added: a later step's message adds a row with a later expiry.
 */
export interface ReplyCodeGrant {
  code: string;
  alertKey: string;
  /** The receiver whose WeCom app sent the message (the outbox's receiver reference). */
  receiver: string;
  userId: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
}

export type ReplyCodeLookup =
  | { found: 'granted'; alertKey: string; expiresAt: number }
  /** The code exists for this receiver, but was never sent to this user. */
  | { found: 'not-sent-to-user' }
  | { found: 'unknown' };

export interface ReplyCodeStore {
  grant(grants: readonly ReplyCodeGrant[]): Promise<void>;
  /** The latest expiry of the code for this receiver and user, else why it does not apply. */
  lookup(code: string, receiver: string, userId: string): Promise<ReplyCodeLookup>;
}

/** Rows per insert (6 parameters each, well inside every dialect's limit). */
const CHUNK = 200;

export function createReplyCodeStore(store: Store): ReplyCodeStore {
  const db: Kysely<Database> = store.db;
  return {
    async grant(grants) {
      for (let i = 0; i < grants.length; i += CHUNK) {
        const values = grants.slice(i, i + CHUNK).map((g) => ({
          code: g.code,
          alert_key: g.alertKey,
          receiver: g.receiver,
          user_id: g.userId,
          expires_at: g.expiresAt,
        }));
        await db.insertInto('alert_reply_code').values(values).execute();
      }
    },
    async lookup(code, receiver, userId) {
      const ofCode = () =>
        db.selectFrom('alert_reply_code').where('code', '=', code).where('receiver', '=', receiver);
      const mine = await ofCode()
        .select(['alert_key', 'expires_at'])
        .where('user_id', '=', userId)
        .orderBy('expires_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (mine) return { found: 'granted', alertKey: mine.alert_key, expiresAt: Number(mine.expires_at) };
      const other = await ofCode().select('id').limit(1).executeTakeFirst();
      return other ? { found: 'not-sent-to-user' } : { found: 'unknown' };
    },
  };
}
