import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JwtIssuer, decodeJwtPayload } from './jwt.js';

describe('JwtIssuer', () => {
  it('issues HS256 tokens the BFF can decode and the issuer verifies', () => {
    const issuer = new JwtIssuer();
    const token = issuer.issue('alice', 'access_token', 60);
    const [header] = token.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(header!, 'base64url').toString()), { alg: 'HS256', typ: 'JWT' });
    const payload = decodeJwtPayload(token)!;
    assert.equal(payload.username, 'alice');
    assert.equal(payload.token_type, 'access_token');
    assert.equal(payload.iss, 'kubesphere');
    assert.equal(typeof payload.exp, 'number');
    const claims = issuer.verify(token, 'access_token');
    assert.ok(!(claims instanceof Error));
    assert.equal(claims.username, 'alice');
  });

  it('rejects another secret, a tampered payload, the wrong type, expiry and garbage', () => {
    const issuer = new JwtIssuer();
    const token = issuer.issue('alice', 'access_token', 60);
    assert.match(String(new JwtIssuer().verify(token, 'access_token')), /invalid signature/);
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ username: 'admin', token_type: 'access_token', exp: 9e9 })).toString('base64url')}.${s}`;
    assert.match(String(issuer.verify(forged, 'access_token')), /invalid signature/);
    assert.match(String(issuer.verify(token, 'refresh_token')), /invalid token type/);
    const old = issuer.issue('alice', 'access_token', 60, Date.now() - 120_000);
    assert.match(String(issuer.verify(old, 'access_token')), /expired/);
    assert.match(String(issuer.verify('not-a-jwt', 'access_token')), /malformed/);
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${token.split('.')[1]}.`;
    assert.match(String(issuer.verify(none, 'access_token')), /algorithm/);
  });
});
