// Login as ks-apiserver does it: POST /oauth/token (password and refresh grants), GET /oauth/userinfo, and the
// bearer-token check every other route relies on. See README.md § Identity.
import type { IncomingMessage } from 'node:http';
import type { SandboxUser } from '../src/env.js';
import { oauthError, sendJson, sendStatus, unauthorized } from './errors.js';
import type { JwtIssuer } from './jwt.js';
import { bearer, readBody, type Handler } from './request-context.js';
import type { RouteTable } from './routing.js';

/** The console's OAuth client, as KubeSphere ships it. */
export const OAUTH_CLIENT = { id: 'kubesphere', secret: 'kubesphere' };
/** A refresh token outlives its access token by KubeSphere's default inactivity timeout (seconds). */
export const INACTIVITY_TIMEOUT = 1800;

export interface TokenDeps {
  findUser: (name: string) => SandboxUser | undefined;
  issuer: JwtIssuer;
  /** Access token lifetime in seconds. */
  accessTokenMaxAge: number;
}

export interface TokenAnswer {
  code: number;
  body: unknown;
  /** Who got tokens, for the log line. */
  user?: string;
}

/** The answer to a POST /oauth/token form, without I/O. */
export function tokenAnswer(form: URLSearchParams, deps: TokenDeps): TokenAnswer {
  if (form.get('client_id') !== OAUTH_CLIENT.id || form.get('client_secret') !== OAUTH_CLIENT.secret) {
    return { code: 401, body: oauthError('invalid_client', 'invalid client credential') };
  }
  const issue = (username: string): TokenAnswer => ({
    code: 200,
    user: username,
    body: {
      access_token: deps.issuer.issue(username, 'access_token', deps.accessTokenMaxAge),
      refresh_token: deps.issuer.issue(
        username,
        'refresh_token',
        deps.accessTokenMaxAge + INACTIVITY_TIMEOUT,
      ),
      token_type: 'Bearer',
      expires_in: deps.accessTokenMaxAge,
    },
  });
  switch (form.get('grant_type')) {
    case 'password': {
      const user = deps.findUser(form.get('username') ?? '');
      if (!user || user.password !== form.get('password')) {
        // ks-apiserver answers an unknown user and a wrong password alike (auth.IncorrectPasswordError).
        return { code: 400, body: oauthError('invalid_grant', 'incorrect password') };
      }
      return issue(user.name);
    }
    case 'refresh_token': {
      const claims = deps.issuer.verify(form.get('refresh_token') ?? '', 'refresh_token');
      if (claims instanceof Error) return { code: 400, body: oauthError('invalid_grant', claims.message) };
      if (!deps.findUser(claims.username)) {
        return { code: 400, body: oauthError('invalid_grant', 'authenticated user does not exist') };
      }
      return issue(claims.username);
    }
    default:
      return { code: 400, body: oauthError('unsupported_grant_type') };
  }
}

/** KubeSphere's userinfo claims (`url` is its JSON name of the `name` claim). */
export const userinfoClaims = (user: SandboxUser): Record<string, string> => ({
  sub: user.name,
  url: user.name,
  email: `${user.name}@sandbox.local`,
  locale: 'en',
  preferred_username: user.name,
});

export interface OAuth {
  /** The user of a valid access token, or undefined. */
  authenticate(req: IncomingMessage): SandboxUser | undefined;
  /** The /oauth routes, which need no token (userinfo checks its own, whatever the method). */
  routes: RouteTable;
}

export function createOAuth(deps: TokenDeps): OAuth {
  const authenticate = (req: IncomingMessage): SandboxUser | undefined => {
    const token = bearer(req);
    if (!token) return undefined;
    const claims = deps.issuer.verify(token, 'access_token');
    return claims instanceof Error ? undefined : deps.findUser(claims.username);
  };

  const token: Handler = async (ctx) => {
    const answer = tokenAnswer(new URLSearchParams(await readBody(ctx.req)), deps);
    if (answer.user) ctx.logUser = answer.user;
    sendJson(ctx.res, answer.code, answer.body, answer.code === 200 ? { 'cache-control': 'no-store' } : {});
  };

  const userinfo: Handler = (ctx) => {
    if (!bearer(ctx.req)) return sendJson(ctx.res, 401, oauthError('login_required'));
    const user = authenticate(ctx.req);
    if (!user) return sendStatus(ctx.res, unauthorized());
    ctx.logUser = user.name;
    sendJson(ctx.res, 200, userinfoClaims(user));
  };

  return {
    authenticate,
    routes: [
      ['POST', '/oauth/token', token],
      ['GET', '/oauth/logout', (ctx) => sendJson(ctx.res, 200, { message: 'success' })],
      ['*', '/oauth/userinfo', userinfo],
    ],
  };
}
