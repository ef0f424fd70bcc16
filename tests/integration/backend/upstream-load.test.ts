// What callers can make the backend ask upstream is bounded: 1,000 random bearer tokens, or access reviews naming
// ever new objects, cost at most a burst plus a rate of kube-apiserver calls (counted by the backend's own
// upstream metric), and the rest are answered 429 with Retry-After.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { platformRoutes, ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig } from '../../sandbox/src/testing.js';
import { startBackend, type BackendProcess } from './backend-process.js';
import { urlOf } from './fixtures.js';

const BURST = 20;
const PER_SECOND = 5;
let backend: BackendProcess;

before(async () => {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  backend = await startBackend({
    NEW_TOKEN_BURST: String(BURST),
    NEW_TOKEN_RATE_PER_S: String(PER_SECOND),
    ACCESS_REVIEW_BURST: String(BURST),
    ACCESS_REVIEW_RATE_PER_S: String(PER_SECOND),
  });
});
after(async () => {
  assert.equal(await backend?.stop(), 0);
});

/** kube-apiserver calls the backend has made so far, from its own upstream histogram. */
async function kubeCalls(): Promise<number> {
  const text = await (await fetch(`${backend.url}/metrics`)).text();
  let total = 0;
  for (const match of text.matchAll(/^ksgpuml_upstream_request_duration_seconds_count\{([^}]*)\} (\d+)/gm)) {
    if (/client="kube"/.test(match[1]!)) total += Number(match[2]);
  }
  return total;
}

/** Runs `count` requests, `concurrency` at a time; returns each answer's status and Retry-After. */
async function flood(
  count: number,
  request: (i: number) => Promise<Response>,
  concurrency = 25,
): Promise<{ status: number; retryAfter: string | null }[]> {
  const answers: { status: number; retryAfter: string | null }[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const res = await request(next++);
        await res.arrayBuffer();
        answers.push({ status: res.status, retryAfter: res.headers.get('retry-after') });
      }
    }),
  );
  return answers;
}

/** Asserts the bound (burst + rate × elapsed, +2 for the warm-up's own calls); returns the figure for the log. */
function assertBounded(calls: number, startedAt: number, what: string): string {
  const seconds = (Date.now() - startedAt) / 1000;
  const bound = BURST + Math.ceil(PER_SECOND * seconds) + 2;
  const figure = `${what}: ${calls} kube-apiserver calls in ${seconds.toFixed(1)} s, bound ${bound}`;
  assert.ok(calls <= bound, figure);
  return figure;
}

describe('upstream load from callers', () => {
  it('1,000 random bearer tokens cost a bounded number of TokenReviews; the rest get 429 with Retry-After', async (t) => {
    const featuresUrl = `${backend.url}${urlOf(platformRoutes.listFeatures, '')}`;
    const before = await kubeCalls();
    const startedAt = Date.now();
    const answers = await flood(1_000, () =>
      fetch(featuresUrl, { headers: { authorization: `Bearer ${randomBytes(24).toString('base64url')}` } }),
    );
    t.diagnostic(assertBounded((await kubeCalls()) - before, startedAt, '1,000 random tokens'));
    const limited = answers.filter((a) => a.status === 429);
    assert.ok(limited.length > 0, 'some were refused with 429');
    assert.ok(
      limited.every((a) => Number(a.retryAfter) >= 1),
      'every 429 says when to retry',
    );
    assert.ok(
      answers.every((a) => a.status === 401 || a.status === 429),
      'a random token is never accepted',
    );

    // After the delay it names, a real user signs in again.
    await new Promise((r) => setTimeout(r, Number(limited[0]!.retryAfter) * 1000));
    const alice = await fetch(featuresUrl, {
      headers: { authorization: `Bearer ${sandboxUser('alice').token}` },
    });
    assert.equal(alice.status, 200);
  });

  it('access reviews naming 300 new objects cost a bounded number of SubjectAccessReviews', async (t) => {
    const { token } = sandboxUser('alice');
    const reviewUrl = `${backend.url}${urlOf(platformRoutes.createAccessReview, 'alpha-train')}`;
    const review = (name: string) =>
      fetch(reviewUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ verb: 'get', group: '', resource: 'pods', name }),
      });
    assert.equal((await review('warm-up')).status, 200, 'alice may ask (and her token is now verified)');
    const before = await kubeCalls();
    const startedAt = Date.now();
    const answers = await flood(300, (i) => review(`pod-${i}`));
    t.diagnostic(assertBounded((await kubeCalls()) - before, startedAt, '300 access reviews'));
    assert.ok(
      answers.some((a) => a.status === 429 && Number(a.retryAfter) >= 1),
      'the excess got 429',
    );
    assert.ok(answers.every((a) => a.status === 200 || a.status === 429));
  });
});
