import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Notification } from './channel.js';
import { createEmailChannel, outcomeOfSmtpError, threadHeaders } from './email.js';

const base: Notification = {
  idempotencyKey: 'k1',
  alertKey: 'group-a',
  status: 'firing',
  severity: 'critical',
  title: 'Pod crash looping',
  markdown: '**Pod crash looping**',
  text: 'Pod crash looping',
  recipients: [{ email: 'owner@example.com' }],
};

describe('email threading headers', () => {
  it('gives every message of one alert the same thread root and each message its own id', () => {
    const first = threadHeaders(base, 'Alerts <alerts@bank.example>');
    const resolved = threadHeaders(
      { ...base, idempotencyKey: 'k2', status: 'resolved' },
      'alerts@bank.example',
    );
    const other = threadHeaders({ ...base, alertKey: 'group-b' }, 'alerts@bank.example');
    assert.equal(first.threadRoot, resolved.threadRoot);
    assert.notEqual(first.threadRoot, other.threadRoot);
    assert.notEqual(first.messageId, resolved.messageId);
    assert.match(first.messageId, /^<n-[0-9a-f]{32}@bank\.example>$/);
  });

  it('keeps the same Message-ID for a retry of the same notification', () => {
    assert.equal(threadHeaders(base, 'a@b.example').messageId, threadHeaders(base, 'a@b.example').messageId);
  });
});

describe('SMTP answers to outcomes', () => {
  it('retries 4xx and unreachable servers, fails on 5xx and bad credentials', () => {
    assert.equal(outcomeOfSmtpError({ responseCode: 451, response: '451 4.7.1 greylisted' }).kind, 'retry');
    assert.equal(
      outcomeOfSmtpError({ responseCode: 550, response: '550 5.1.1 no such user' }).kind,
      'failed',
    );
    assert.equal(
      outcomeOfSmtpError({ code: 'EAUTH', responseCode: 535, response: '535 bad' }).kind,
      'failed',
    );
    assert.equal(outcomeOfSmtpError({ code: 'ECONNECTION', message: 'connect ECONNREFUSED' }).kind, 'retry');
  });

  it('an unreachable server is a retry that never repeats the password', async () => {
    const password = 'S3cret-smtp-password';
    const channel = createEmailChannel({
      host: '127.0.0.1',
      port: 1,
      user: 'alerts',
      password,
      from: 'alerts@bank.example',
      deadlineMs: 2000,
    });
    const outcome = await channel.send([base], new AbortController().signal);
    assert.equal(outcome.kind, 'retry');
    assert.ok(!JSON.stringify(outcome).includes(password));
  });

  it('fails without trying when nobody has an email address', async () => {
    const channel = createEmailChannel({ host: '127.0.0.1', port: 1, from: 'a@b.example' });
    const outcome = await channel.send(
      [{ ...base, recipients: [{ mobile: '+8613800000000' }] }],
      AbortSignal.timeout(1000),
    );
    assert.equal(outcome.kind, 'failed');
  });
});
