import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertDedupKey } from './dedup-key.js';
import { alertFixture } from './test-fixtures.js';

describe('alertDedupKey', () => {
  const group = '{}:{alertname="KubePodCrashLooping"}';
  const alert = alertFixture(1);

  it('is the same for the copy an HA peer or a retry sends, whatever its endsAt', () => {
    const peerCopy = { ...alertFixture(1), status: 'resolved' as const, endsAt: '2026-12-05T10:05:00.1Z' };
    const otherPeer = { ...peerCopy, endsAt: '2026-12-05T10:05:00.7Z' };
    assert.equal(alertDedupKey(group, alert), alertDedupKey(group, { ...alert }));
    assert.equal(alertDedupKey(group, peerCopy), alertDedupKey(group, otherPeer));
    assert.match(alertDedupKey(group, alert), /^[0-9a-f]{64}$/);
  });

  it('differs by group, fingerprint, status and startsAt', () => {
    const key = alertDedupKey(group, alert);
    assert.notEqual(alertDedupKey('{}:{alertname="Other"}', alert), key);
    assert.notEqual(alertDedupKey(group, alertFixture(2)), key);
    assert.notEqual(alertDedupKey(group, { ...alert, status: 'resolved' }), key);
    assert.notEqual(alertDedupKey(group, { ...alert, startsAt: '2026-12-05T11:00:00Z' }), key);
  });

  it('cannot be forged by moving text between the parts', () => {
    const a = alertDedupKey('g\u0000abc', { ...alert, fingerprint: 'def' });
    const b = alertDedupKey('g', { ...alert, fingerprint: 'abc\u0000def' });
    assert.notEqual(a, b);
  });
});
