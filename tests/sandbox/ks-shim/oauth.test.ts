import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SandboxUser } from '../src/env.js';
import { JwtIssuer } from './jwt.js';
import { INACTIVITY_TIMEOUT, tokenAnswer, userinfoClaims } from './oauth.js';
import { bearer } from './request-context.js';

const alice: SandboxUser = { name: 'alice', password: 'pw', token: 't', groups: [], role: 'project-member' };
const issuer = new JwtIssuer();
const deps = { findUser: (n: string) => (n === 'alice' ? alice : undefined), issuer, accessTokenMaxAge: 60 };
const form = (fields: Record<string, string>) =>
  new URLSearchParams({ client_id: 'kubesphere', client_secret: 'kubesphere', ...fields });

describe('tokenAnswer', () => {
  it('refuses another client before looking at the grant', () => {
    const answer = tokenAnswer(
      new URLSearchParams({ client_id: 'kubesphere', client_secret: 'x', grant_type: 'password' }),
      deps,
    );
    assert.equal(answer.code, 401);
    assert.deepEqual(answer.body, {
      error: 'invalid_client',
      error_description: 'invalid client credential',
    });
  });

  it('issues an access and a refresh token for the right password', () => {
    const answer = tokenAnswer(form({ grant_type: 'password', username: 'alice', password: 'pw' }), deps);
    assert.equal(answer.code, 200);
    assert.equal(answer.user, 'alice');
    const body = answer.body as { access_token: string; refresh_token: string; expires_in: number };
    assert.equal(body.expires_in, 60);
    const access = issuer.verify(body.access_token, 'access_token');
    const refresh = issuer.verify(body.refresh_token, 'refresh_token');
    assert.ok(!(access instanceof Error) && !(refresh instanceof Error));
    assert.equal(refresh.exp - refresh.iat, 60 + INACTIVITY_TIMEOUT);
  });

  it('answers an unknown user and a wrong password alike', () => {
    const wrong = tokenAnswer(form({ grant_type: 'password', username: 'alice', password: 'no' }), deps);
    const unknown = tokenAnswer(form({ grant_type: 'password', username: 'mallory', password: 'pw' }), deps);
    assert.deepEqual(wrong, unknown);
    assert.equal(wrong.code, 400);
    assert.deepEqual(wrong.body, { error: 'invalid_grant', error_description: 'incorrect password' });
  });

  it('refreshes with a refresh token only, for a user that still exists', () => {
    const refresh = issuer.issue('alice', 'refresh_token', 60);
    assert.equal(tokenAnswer(form({ grant_type: 'refresh_token', refresh_token: refresh }), deps).code, 200);
    const access = issuer.issue('alice', 'access_token', 60);
    assert.equal(tokenAnswer(form({ grant_type: 'refresh_token', refresh_token: access }), deps).code, 400);
    const gone = issuer.issue('mallory', 'refresh_token', 60);
    assert.deepEqual(tokenAnswer(form({ grant_type: 'refresh_token', refresh_token: gone }), deps).body, {
      error: 'invalid_grant',
      error_description: 'authenticated user does not exist',
    });
  });

  it('names an unsupported grant type', () => {
    assert.deepEqual(tokenAnswer(form({ grant_type: 'client_credentials' }), deps), {
      code: 400,
      body: { error: 'unsupported_grant_type' },
    });
  });
});

describe('bearer and userinfo', () => {
  it('takes the token of a Bearer header only', () => {
    assert.equal(bearer({ headers: { authorization: 'Bearer abc' } }), 'abc');
    assert.equal(bearer({ headers: { authorization: 'bearer  abc' } }), 'abc');
    assert.equal(bearer({ headers: { authorization: 'Basic abc' } }), undefined);
    assert.equal(bearer({ headers: {} }), undefined);
  });

  it("answers KubeSphere's claim names", () => {
    assert.deepEqual(userinfoClaims(alice), {
      sub: 'alice',
      url: 'alice',
      email: 'alice@sandbox.local',
      locale: 'en',
      preferred_username: 'alice',
    });
  });
});
