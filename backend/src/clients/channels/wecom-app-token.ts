import { createHash } from 'node:crypto';
import type { DeliveryOutcome } from './channel.js';
import { callWecom, describeAnswer, failureOutcome } from './wecom-http.js';

/**
 * WeCom app access tokens (doc 91039, reference §5.2): `GET gettoken?corpid&corpsecret` answers a token valid for
 * `expires_in` (7,200 s). One token per corp/agent/secret, kept until shortly before it expires, refreshed
 * single-flight (concurrent sends share one gettoken) and on demand after 40014 / 42001. Bounded: at most
 * `maxApps` tokens, the least recently used forgotten. Keys are digests, so the map holds no secret as a key.
 */
export interface AppCredentials {
  baseUrl: string;
  corpId: string;
  corpSecret: string;
  agentId: number;
}

/** gettoken failed: the outcome to answer for the whole send. */
export class TokenFailure extends Error {
  constructor(readonly outcome: DeliveryOutcome) {
    super('WeCom gettoken failed');
  }
}

/** Refresh this long before WeCom's expiry, so a token is never used in its last seconds. */
const EARLY_REFRESH_MS = 200_000;

export class AppTokens {
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();
  private readonly inFlight = new Map<string, Promise<string>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly maxApps = 64,
  ) {}

  private id(app: AppCredentials): string {
    return createHash('sha256')
      .update(JSON.stringify([app.corpId, app.agentId, app.corpSecret]))
      .digest('hex');
  }

  /** A cached token, or a new one; `stale` (a token WeCom refused) is never answered again. */
  async get(app: AppCredentials, signal: AbortSignal, stale?: string): Promise<string> {
    const id = this.id(app);
    const cached = this.tokens.get(id);
    if (cached && cached.token !== stale && Date.now() < cached.expiresAt) return cached.token;
    let pending = this.inFlight.get(id);
    if (!pending) {
      pending = this.fetchToken(app, id, signal).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, pending);
    }
    return pending;
  }

  private async fetchToken(app: AppCredentials, id: string, signal: AbortSignal): Promise<string> {
    const url = new URL('/cgi-bin/gettoken', app.baseUrl);
    url.searchParams.set('corpid', app.corpId);
    url.searchParams.set('corpsecret', app.corpSecret);
    const answer = await callWecom(url, { method: 'GET' }, this.timeoutMs, signal);
    const token = answer.kind === 'answer' ? answer.body.access_token : undefined;
    if (answer.kind !== 'answer' || answer.body.errcode !== 0 || typeof token !== 'string') {
      const providerAnswer = `gettoken ${describeAnswer(answer, [app.corpSecret])}`;
      throw new TokenFailure(failureOutcome(answer, providerAnswer));
    }
    const expiresIn = Number(answer.body.expires_in ?? 7200) * 1000;
    this.tokens.delete(id);
    this.tokens.set(id, {
      token,
      expiresAt: Date.now() + Math.max(expiresIn - EARLY_REFRESH_MS, expiresIn / 2),
    });
    if (this.tokens.size > this.maxApps) this.tokens.delete(this.tokens.keys().next().value!);
    return token;
  }
}
