// The WeCom stand-in's memory: robots, apps, users, tokens, each robot's last minute of messages, the faults tests
// switch on, and what it received. Bounded: received requests beyond MAX_RECEIVED are forgotten oldest first.
import { randomBytes } from 'node:crypto';
import type { Callback } from './callback.js';

export type Fault = 'rate-limit' | 'invalid-key' | 'timeout' | 'server-error' | 'ip-not-trusted';
export const faults: readonly Fault[] = [
  'rate-limit',
  'invalid-key',
  'timeout',
  'server-error',
  'ip-not-trusted',
];

export interface Received {
  at: number;
  api: 'robot' | 'gettoken' | 'message' | 'callback';
  /** The robot key or the corp id the request was for. */
  target: string;
  body: unknown;
  errcode: number;
}

export interface App {
  corpId: string;
  corpSecret: string;
  agentId: number;
}

const MAX_RECEIVED = 5000;
export const ROBOT_PER_MINUTE = 20;

export class WecomState {
  readonly robots = new Set<string>();
  readonly apps = new Map<string, App>();
  readonly users = new Set<string>();
  readonly tokens = new Map<string, { corpId: string; expiresAt: number }>();
  /** Each app's "receive messages" callback, by corp id (what an admin saves in WeCom's console). */
  readonly callbacks = new Map<string, Callback>();
  /** WeCom's MsgId: 64-bit, unique per message. */
  nextMsgId = 7_300_000_000_000_000_000n;
  readonly robotSends = new Map<string, number[]>();
  /** Per robot key or corp id; '*' for every target. */
  readonly faults = new Map<string, Fault>();
  tokenTtlSeconds = 7200;
  received: Received[] = [];

  faultFor(target: string): Fault | undefined {
    return this.faults.get(target) ?? this.faults.get('*');
  }

  record(entry: Omit<Received, 'at'>): void {
    this.received.push({ at: Date.now(), ...entry });
    if (this.received.length > MAX_RECEIVED) this.received.splice(0, this.received.length - MAX_RECEIVED);
  }

  /** True when the robot may send one more message now (20 in any 60 s); counts it. */
  robotMaySend(key: string, now = Date.now()): boolean {
    const sends = (this.robotSends.get(key) ?? []).filter((t) => t > now - 60_000);
    this.robotSends.set(key, sends);
    if (sends.length >= ROBOT_PER_MINUTE) return false;
    sends.push(now);
    return true;
  }

  issueToken(corpId: string): string {
    const token = randomBytes(24).toString('hex');
    this.tokens.set(token, { corpId, expiresAt: Date.now() + this.tokenTtlSeconds * 1000 });
    return token;
  }

  /** Every token issued so far expires now: the next message/send answers 42001. */
  expireTokens(): void {
    for (const token of this.tokens.values()) token.expiresAt = 0;
  }
}
