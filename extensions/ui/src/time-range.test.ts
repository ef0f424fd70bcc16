import { test } from 'node:test';
import assert from 'node:assert/strict';
import { durationSeconds, formatSeconds, resolveRange, stepFor } from './time-range.js';

test('durationSeconds', () => {
  assert.equal(durationSeconds('15m'), 900);
  assert.equal(durationSeconds('24h'), 86400);
  assert.equal(durationSeconds('7d'), 604800);
  assert.equal(durationSeconds('0m'), null);
  assert.equal(durationSeconds('1y'), null);
  assert.equal(durationSeconds(''), null);
});

test('stepFor: nice steps under the point budget', () => {
  assert.equal(stepFor(900), 15);
  assert.equal(stepFor(3600), 15);
  assert.equal(stepFor(86400), 300);
  assert.equal(stepFor(604800), 3600);
  assert.equal(stepFor(30 * 86400), 10800);
  assert.equal(stepFor(3600, 10), 600);
});

test('resolveRange: end aligned to the step, start one range before', () => {
  const now = Date.UTC(2026, 10, 28, 12, 7, 31);
  const w = resolveRange('1h', now);
  assert.equal(w.step, 15);
  assert.equal(w.end % 15, 0);
  assert.ok(now / 1000 - w.end < 15);
  assert.equal(w.end - w.start, 3600);
  assert.ok((w.end - w.start) / w.step <= 300);
  assert.deepEqual(resolveRange('bogus', now), resolveRange('1h', now));
});

test('formatSeconds', () => {
  assert.equal(formatSeconds(30), '30s');
  assert.equal(formatSeconds(300), '5m');
  assert.equal(formatSeconds(7200), '2h');
  assert.equal(formatSeconds(86400), '1d');
  assert.equal(formatSeconds(0), '0s');
});
