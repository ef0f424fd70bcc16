import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UpstreamError } from './upstream.js';
import { createPrometheusClient } from './prometheus.js';
import type { UpstreamOutcome } from './upstream.js';
import { startHttpStandIn, type ListeningStandIn } from './test-http-stand-in.js';

/** A stand-in Prometheus on 127.0.0.1:0 that records each request and answers after a delay. */
let prometheus: ListeningStandIn;
let baseUrl: string;
const received: URLSearchParams[] = [];

before(async () => {
  prometheus = await startHttpStandIn((_req, body, res) => {
    const params = new URLSearchParams(body);
    received.push(params);
    const query = params.get('query') ?? '';
    const delay = query === 'slow' ? 500 : 20;
    setTimeout(() => {
      if (query === 'bad(') {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      if (query.startsWith('large')) {
        // A long range answer: 5,000 points, about 400 kB once parsed.
        const values = Array.from({ length: 5_000 }, (_, i) => [i, String(i)]);
        res.end(
          JSON.stringify({
            status: 'success',
            data: { resultType: 'matrix', result: [{ metric: { q: query }, values }] },
          }),
        );
        return;
      }
      const result = [{ metric: { q: query }, value: [1, String(received.length)] }];
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
    }, delay);
  });
  baseUrl = prometheus.url;
});
after(() => prometheus.stop());

describe('prometheus client', () => {
  it('coalesces identical concurrent queries into one upstream call', async () => {
    const prom = createPrometheusClient({ baseUrl, timeoutMs: 2000, cacheTtlMs: 0 });
    const start = received.length;
    const answers = await Promise.all(Array.from({ length: 10 }, () => prom.query('up{job="a"}', 100)));
    assert.equal(received.length - start, 1);
    assert.ok(answers.every((a) => a === answers[0]));
    await Promise.all([prom.query('up{job="a"}', 100), prom.query('up{job="b"}', 100)]);
    assert.equal(received.length - start, 3, 'different queries are not merged; cacheTtlMs 0 caches nothing');
  });

  it('reuses an answer within the TTL and asks again after it', async () => {
    const prom = createPrometheusClient({ baseUrl, timeoutMs: 2000, cacheTtlMs: 150 });
    const start = received.length;
    const range = { start: 0, end: 600, step: 60 };
    await prom.queryRange('rate(x[5m])', range);
    await prom.queryRange('rate(x[5m])', range);
    assert.equal(received.length - start, 1);
    assert.equal(received.at(-1)?.get('step'), '60');
    await new Promise((r) => setTimeout(r, 200));
    await prom.queryRange('rate(x[5m])', range);
    assert.equal(received.length - start, 2);
  });

  it('reports failures as UpstreamError, with outcomes observed, and does not cache them', async () => {
    const outcomes: UpstreamOutcome[] = [];
    const prom = createPrometheusClient({
      baseUrl,
      timeoutMs: 100,
      cacheTtlMs: 10_000,
      observe: (client, outcome) => {
        assert.equal(client, 'prometheus');
        outcomes.push(outcome);
      },
    });
    await assert.rejects(prom.query('bad('), UpstreamError);
    await assert.rejects(prom.query('bad('), UpstreamError);
    await assert.rejects(prom.query('slow'), UpstreamError);
    await prom.query('fine');
    assert.deepEqual(outcomes, ['ok', 'ok', 'timeout', 'ok']);
  });

  /** A client whose cache holds 1 MB for a minute, keeping answers up to `maxEntryBytes`. */
  const cachingClient = (maxEntryBytes: number) =>
    createPrometheusClient({
      baseUrl,
      timeoutMs: 2000,
      cacheTtlMs: 60_000,
      cacheMaxBytes: 1_000_000,
      cacheMaxEntryBytes: maxEntryBytes,
    });

  it('does not keep an answer larger than cacheMaxEntryBytes, and keeps small ones', async () => {
    const prom = cachingClient(100_000);
    const start = received.length;
    const range = { start: 0, end: 5_000, step: 1 };
    await prom.queryRange('large_range', range);
    await prom.queryRange('large_range', range);
    assert.equal(received.length - start, 2, 'the large answer was asked twice');
    await prom.query('small_one', 1);
    await prom.query('small_one', 1);
    assert.equal(received.length - start, 3, 'the small answer was reused');
  });

  it('holds no more answers than cacheMaxBytes allows', async () => {
    const prom = cachingClient(1_000_000);
    const start = received.length;
    // Each answer weighs ~400 kB: the cache can hold two of them, so the first is gone after the third.
    for (const step of [1, 2, 3]) await prom.queryRange('large_bounded', { start: 0, end: 5_000, step });
    await prom.queryRange('large_bounded', { start: 0, end: 5_000, step: 3 });
    assert.equal(received.length - start, 3, 'the newest answer is still cached');
    await prom.queryRange('large_bounded', { start: 0, end: 5_000, step: 1 });
    assert.equal(received.length - start, 4, 'the oldest answer was evicted by bytes, not count');
  });
});
