import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alignRange, stepFor } from './step.js';

describe('stepFor', () => {
  it('picks the smallest round step giving at most ~300 points', () => {
    assert.equal(stepFor(3600), 15); // 12 s wanted; the 15 s scrape interval is the floor
    assert.equal(stepFor(3 * 3600), 60); // 36 s → 60 s
    assert.equal(stepFor(6 * 3600), 120); // 72 s → 120 s
    assert.equal(stepFor(24 * 3600), 300); // 288 s → 300 s
    assert.equal(stepFor(7 * 86_400), 3600); // 2016 s → 3600 s
    assert.equal(stepFor(30 * 86_400), 10_800);
    assert.equal(stepFor(3 * 365 * 86_400), 4 * 86_400); // beyond the ladder: whole days
  });
  it('never goes below the scrape interval and honours maxPoints', () => {
    assert.equal(stepFor(600, { scrapeIntervalSeconds: 5 }), 5);
    assert.equal(stepFor(600, { scrapeIntervalSeconds: 30 }), 30);
    assert.equal(stepFor(3600, { maxPoints: 60, scrapeIntervalSeconds: 5 }), 60);
    assert.throws(() => stepFor(0), RangeError);
  });
  it('aligns start and end outward to the step', () => {
    assert.deepEqual(alignRange(1001, 1999, 60), { start: 960, end: 2040 });
  });
});
