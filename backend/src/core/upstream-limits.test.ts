import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AccessRequest, Authorizer } from './authz.js';
import { createCachedAuthorizer } from './authz.js';
import { loadConfig } from './config.js';
import { appErrorOf } from './test-errors.js';
import { accessReviewAuthorizer } from './upstream-limits.js';

const alice = { name: 'alice', groups: ['system:authenticated'] };
const pods = (name: string): AccessRequest => ({
  user: alice,
  verb: 'get',
  group: '',
  resource: 'pods',
  name,
  scope: 'namespace',
  scopeName: 'alpha-train',
});

function countingAuthorizer() {
  const asked: string[] = [];
  const inner: Authorizer = {
    async authorize(request) {
      asked.push(request.name ?? '');
      return { allowed: true };
    },
  };
  return { inner, asked };
}

describe('access review authorizer', () => {
  const config = loadConfig(
    { AUTH_MODE: 'kubernetes', ACCESS_REVIEW_BURST: '10', ACCESS_REVIEW_RATE_PER_S: '1' },
    [],
  );

  it('asks upstream for at most the burst of new names per user, then answers 429', async () => {
    const { inner, asked } = countingAuthorizer();
    const reviews = accessReviewAuthorizer(inner, config);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 100 }, (_, i) => reviews.authorize(pods(`p${i}`))),
    );
    assert.equal(asked.length, 10);
    assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 10);
    const refused = await appErrorOf(reviews.authorize(pods('one-more')));
    assert.equal(refused.statusCode, 429);
    assert.equal(refused.key, 'BACKEND_TOO_MANY_ACCESS_REVIEWS');
    await reviews.authorize(pods('p3'));
    assert.equal(asked.length, 10, 'a cached answer costs nothing and is not limited');
  });

  it('keeps its answers apart from the route decisions', async () => {
    const { inner, asked } = countingAuthorizer();
    const routes = createCachedAuthorizer(inner, { ttlMs: 60_000, maxEntries: 2, maxBytes: 1_000_000 });
    const reviews = accessReviewAuthorizer(inner, config);
    await routes.authorize(pods('route-decision'));
    for (let i = 0; i < 10; i++) await reviews.authorize(pods(`new-${i}`));
    await routes.authorize(pods('route-decision'));
    assert.equal(asked.filter((n) => n === 'route-decision').length, 1, 'the route decision was not evicted');
  });
});
