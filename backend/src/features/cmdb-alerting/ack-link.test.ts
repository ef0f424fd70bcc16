import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ackUrl, signAckToken, verifyAckToken, type AckClaim } from './ack-link.js';

const key = Buffer.alloc(32, 7);
const claim: AckClaim = {
  alertKey: '8f3c1a0b2d4e6f70-1733400000',
  person: 'ws-alpha/owner-phone',
  expiresAt: 2_000,
};
const before = 1_999_999;

describe('signed acknowledgement links', () => {
  it('verifies its own token before the expiry and gives the claim back', () => {
    assert.deepEqual(verifyAckToken(key, signAckToken(key, claim), before), { ok: true, claim });
  });

  it('is expired at the expiry second and after, still naming the claim', () => {
    const verdict = verifyAckToken(key, signAckToken(key, claim), 2_000_000);
    assert.deepEqual(verdict, { ok: false, reason: 'expired', claim });
  });

  it('calls a token signed with another key forged', () => {
    const other = signAckToken(Buffer.alloc(32, 8), claim);
    assert.deepEqual(verifyAckToken(key, other, before), { ok: false, reason: 'forged' });
  });

  it('calls a token whose claim was changed forged (another person, a later expiry), never expired', () => {
    const [, signature] = signAckToken(key, claim).split('.');
    for (const changed of [
      { ...claim, person: 'boss' },
      { ...claim, expiresAt: 9_999_999_999 },
      { ...claim, alertKey: '8f3c1a0b2d4e6f71-1733400000' },
    ]) {
      const [payload] = signAckToken(key, changed).split('.');
      assert.deepEqual(verifyAckToken(key, `${payload}.${signature}`, 3_000_000), {
        ok: false,
        reason: 'forged',
      });
    }
  });

  it('calls cut, padded and malformed tokens forged', () => {
    const token = signAckToken(key, claim);
    for (const bad of [
      '',
      '.',
      token.slice(0, -2),
      `${token}.x`,
      `${token}AA`,
      'x'.repeat(5000),
      token.split('.')[0]!,
    ])
      assert.deepEqual(verifyAckToken(key, bad, before), { ok: false, reason: 'forged' }, bad.slice(0, 40));
  });

  it('builds the link on the base URL, outside /kapis', () => {
    const url = ackUrl('https://ks.example.com/alerting-backend/', key, claim);
    assert.match(
      url,
      /^https:\/\/ks\.example\.com\/alerting-backend\/alerting\/ack\?t=[-_A-Za-z0-9]+\.[-_A-Za-z0-9]+$/,
    );
  });
});
