import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allowListMatchers, anyOf, duration, escapeLabelValue, escapeRegex, selector } from './promql.js';

describe('escaping', () => {
  it('escapes backslash, double quote and newline for a PromQL string', () => {
    assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  });
  it('escapes regex metacharacters so a value matches only itself', () => {
    assert.equal(escapeRegex('a.b|c*(d)[e]{f}^$+?\\'), 'a\\.b\\|c\\*\\(d\\)\\[e\\]\\{f\\}\\^\\$\\+\\?\\\\');
    assert.equal(anyOf(['team-a', 'x.y']), 'team-a|x\\.y');
  });
  it('renders allow-lists: one value as equality, several as an (anchored by Prometheus) alternation, none as nothing', () => {
    assert.deepEqual(allowListMatchers('namespace', ['a']), ['namespace="a"']);
    assert.deepEqual(allowListMatchers('namespace', ['b', 'a.x', 'b']), ['namespace=~"a\\\\.x|b"']);
    assert.deepEqual(allowListMatchers('namespace', []), ['namespace=""', 'namespace!=""']);
    assert.deepEqual(allowListMatchers('ns', ['"}) or up{x="']), ['ns="\\"}) or up{x=\\""']);
  });
  it('writes selectors and durations', () => {
    assert.equal(selector('up'), 'up');
    assert.equal(selector('up', ['a="1"', 'b!=""']), 'up{a="1", b!=""}');
    assert.equal(duration(90), '90s');
    assert.equal(duration(300), '5m');
    assert.equal(duration(7200), '2h');
    assert.equal(duration(604_800), '7d');
    assert.throws(() => duration(0), RangeError);
  });
});
