import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appErrorOf } from './test-errors.js';
import { createAuthenticator, type Identity, type TokenVerifier } from './identity.js';
import { createRateLimiter } from './rate-limit.js';

const alice: Identity = { name: 'alice', groups: ['devs'] };

function countingVerifier(tokens: Record<string, Identity>) {
  const calls: string[] = [];
  const verifier: TokenVerifier = {
    async verify(token) {
      calls.push(token);
      await new Promise((r) => setTimeout(r, 5));
      return tokens[token] ?? null;
    },
  };
  return { verifier, calls };
}

describe('authenticator', () => {
  it('asks the issuer once per token within the TTL, and again after it', async () => {
    let now = 0;
    const { verifier, calls } = countingVerifier({ t1: alice });
    const auth = createAuthenticator({
      verifier,
      ttlMs: 1000,
      maxEntries: 10,
      maxBytes: 1_000_000,
      now: () => now,
    });
    await auth.authenticate({ authorization: 'Bearer t1' });
    now = 999;
    await auth.authenticate({ authorization: 'Bearer t1' });
    assert.equal(calls.length, 1);
    now = 1000;
    await auth.authenticate({ authorization: 'Bearer t1' });
    assert.equal(calls.length, 2);
  });

  it('coalesces concurrent verifications of the same token', async () => {
    const { verifier, calls } = countingVerifier({ t1: alice });
    const auth = createAuthenticator({ verifier, ttlMs: 1000, maxEntries: 10, maxBytes: 1_000_000 });
    await Promise.all(Array.from({ length: 20 }, () => auth.authenticate({ authorization: 'Bearer t1' })));
    assert.equal(calls.length, 1);
  });

  it('keeps the cache bounded', async () => {
    const tokens = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`t${i}`, alice]));
    const { verifier, calls } = countingVerifier(tokens);
    const auth = createAuthenticator({ verifier, ttlMs: 60_000, maxEntries: 10, maxBytes: 1_000_000 });
    for (let i = 0; i < 50; i++) await auth.authenticate({ authorization: `Bearer t${i}` });
    await auth.authenticate({ authorization: 'Bearer t0' }); // evicted long ago: asked again
    assert.equal(calls.length, 51);
  });

  it('adds system:authenticated to the verified groups', async () => {
    const auth = createAuthenticator({
      verifier: countingVerifier({ t1: alice }).verifier,
      ttlMs: 1000,
      maxEntries: 10,
      maxBytes: 1_000_000,
    });
    const identity = await auth.authenticate({ authorization: 'bearer t1' });
    assert.deepEqual(identity.groups.sort(), ['devs', 'system:authenticated']);
  });

  it('rejects a missing or non-bearer authorization with 401', async () => {
    const auth = createAuthenticator({
      verifier: countingVerifier({}).verifier,
      ttlMs: 1000,
      maxEntries: 10,
      maxBytes: 1_000_000,
    });
    for (const headers of [{}, { authorization: 'Basic YWxpY2U6eA==' }, { 'x-remote-user': 'alice' }]) {
      const err = await appErrorOf(auth.authenticate(headers));
      assert.equal(err.statusCode, 401);
      assert.equal(err.key, 'BACKEND_UNAUTHORIZED_NO_TOKEN');
    }
  });

  it('rejects a token the issuer refuses, and caches the refusal only briefly', async () => {
    const { verifier, calls } = countingVerifier({});
    const auth = createAuthenticator({
      verifier,
      ttlMs: 60_000,
      maxEntries: 10,
      maxBytes: 1_000_000,
      negativeTtlMs: 0,
    });
    const err = await appErrorOf(auth.authenticate({ authorization: 'Bearer nope' }));
    assert.equal(err.key, 'BACKEND_UNAUTHORIZED_INVALID_TOKEN');
    await appErrorOf(auth.authenticate({ authorization: 'Bearer nope' }));
    assert.equal(calls.length, 2);
  });

  it('rejects X-Remote-User naming someone other than the token owner', async () => {
    const auth = createAuthenticator({
      verifier: countingVerifier({ t1: alice }).verifier,
      ttlMs: 1000,
      maxEntries: 10,
      maxBytes: 1_000_000,
    });
    const forged = await appErrorOf(
      auth.authenticate({ authorization: 'Bearer t1', 'x-remote-user': 'admin' }),
    );
    assert.equal(forged.statusCode, 401);
    assert.equal(forged.key, 'BACKEND_UNAUTHORIZED_FORGED_USER');
    const doubled = await appErrorOf(
      auth.authenticate({ authorization: 'Bearer t1', 'x-remote-user': ['alice', 'admin'] }),
    );
    assert.equal(doubled.key, 'BACKEND_UNAUTHORIZED_FORGED_USER');
    const ok = await auth.authenticate({ authorization: 'Bearer t1', 'x-remote-user': 'alice' });
    assert.equal(ok.name, 'alice');
  });

  it('rejects X-Remote-Group naming a group the token owner is not in', async () => {
    const auth = createAuthenticator({
      verifier: countingVerifier({ t1: alice }).verifier,
      ttlMs: 1000,
      maxEntries: 10,
      maxBytes: 1_000_000,
    });
    const err = await appErrorOf(
      auth.authenticate({ authorization: 'Bearer t1', 'x-remote-group': 'devs, system:masters' }),
    );
    assert.equal(err.key, 'BACKEND_UNAUTHORIZED_FORGED_GROUP');
    assert.deepEqual(err.params, { group: 'system:masters' });
    await auth.authenticate({ authorization: 'Bearer t1', 'x-remote-group': 'system:authenticated' });
  });
});

describe('authenticator rate limit', () => {
  it('answers 429 with a retry delay once a client has spent its new-token budget; known tokens still pass', async () => {
    const { verifier, calls } = countingVerifier({ t1: alice });
    const auth = createAuthenticator({
      verifier,
      ttlMs: 60_000,
      maxEntries: 10_000,
      maxBytes: 10_000_000,
      limiter: createRateLimiter({ perSecond: 1, burst: 5 }, 'BACKEND_TOO_MANY_NEW_TOKENS'),
    });
    await auth.authenticate({ authorization: 'Bearer t1' }, 'peer');
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        appErrorOf(auth.authenticate({ authorization: `Bearer random-${i}` }, 'peer')),
      ),
    );
    assert.equal(
      outcomes.filter((e) => e.statusCode === 401).length,
      4,
      'the rest of the burst was verified',
    );
    const limited = outcomes.filter((e) => e.statusCode === 429);
    assert.equal(limited.length, 96);
    assert.ok(Number(limited[0]!.details.retryAfterSeconds) >= 1);
    assert.equal(calls.length, 5, 'upstream calls are bounded by the burst');
    assert.equal((await auth.authenticate({ authorization: 'Bearer t1' }, 'peer')).name, 'alice');
    await appErrorOf(auth.authenticate({ authorization: 'Bearer random-x' }, 'other-peer')).then((e) =>
      assert.equal(e.statusCode, 401, 'another client has its own bucket'),
    );
  });

  it('re-verifies a token it accepted before without spending the budget', async () => {
    let now = 0;
    const { verifier, calls } = countingVerifier({ t1: alice });
    const auth = createAuthenticator({
      verifier,
      ttlMs: 1_000,
      maxEntries: 100,
      maxBytes: 1_000_000,
      now: () => now,
      limiter: createRateLimiter({ perSecond: 1, burst: 1, now: () => now }, 'BACKEND_TOO_MANY_NEW_TOKENS'),
    });
    await auth.authenticate({ authorization: 'Bearer t1' }, 'peer');
    for (let i = 0; i < 5; i++) {
      now += 1_001; // the verdict expired; the bucket has refilled only one unit a second
      await appErrorOf(auth.authenticate({ authorization: `Bearer new-${i}` }, 'peer'));
      assert.equal((await auth.authenticate({ authorization: 'Bearer t1' }, 'peer')).name, 'alice');
    }
    assert.equal(calls.filter((t) => t === 't1').length, 6, 'asked again after each expiry');
  });
});
