// The email channel against the sandbox's real SMTP server (Debian's aiosmtpd writing a Maildir): the server
// receives the mail with its text and HTML parts and the threading headers that group one alert's messages.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Notification } from '../../../backend/src/clients/channels/channel.js';
import { createEmailChannel, threadHeaders } from '../../../backend/src/clients/channels/email.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';
import { waitFor } from '../../sandbox/src/wait.js';

// The sandbox writes these into .sandbox/env; the same variables in the environment point at another server.
const sandbox = readSandboxEnv();
const smtp = {
  host: process.env.SMTP_HOST ?? sandbox.SMTP_HOST!,
  port: Number(process.env.SMTP_PORT ?? sandbox.SMTP_PORT),
  maildir: process.env.SMTP_MAILDIR ?? sandbox.SMTP_MAILDIR!,
};

function mailContaining(marker: string): string | undefined {
  const folder = join(smtp.maildir, 'new');
  if (!existsSync(folder)) return undefined;
  for (const file of readdirSync(folder)) {
    const text = readFileSync(join(folder, file), 'utf8');
    if (text.includes(marker)) return text;
  }
  return undefined;
}

describe('email channel to the sandbox SMTP server', () => {
  it('delivers text and HTML parts with Message-ID, In-Reply-To and References of the alert thread', async () => {
    const run = randomUUID();
    const from = 'alerts@ks-gpu-ml.example';
    const notification: Notification = {
      idempotencyKey: `${run}-firing-step1`,
      alertKey: `crashloop-${run}`,
      status: 'firing',
      severity: 'critical',
      title: `Crash loop ${run}`,
      markdown: '',
      text: `Pod payments-api is crash looping (${run})`,
      html: `<p>Pod <b>payments-api</b> is crash looping (${run})</p>`,
      recipients: [{ email: 'owner@bank.example' }, { mobile: '+8613800000000' }],
    };
    const channel = createEmailChannel({ host: smtp.host, port: smtp.port, from, deadlineMs: 10_000 });
    const outcome = await channel.send([notification], AbortSignal.timeout(15_000));
    assert.equal(outcome.kind, 'delivered', JSON.stringify(outcome));

    const mail = await waitFor('the mail in the Maildir', async () => mailContaining(run), {
      timeoutMs: 10_000,
    });
    const { messageId, threadRoot } = threadHeaders(notification, from);
    assert.match(mail, new RegExp(`^Subject: Crash loop ${run}`, 'm'));
    assert.match(mail, /^To: owner@bank\.example/m);
    assert.ok(mail.includes(`Message-ID: ${messageId}`), 'Message-ID from the idempotency key');
    assert.ok(mail.includes(`In-Reply-To: ${threadRoot}`), 'In-Reply-To the alert thread root');
    assert.ok(mail.includes(`References: ${threadRoot}`), 'References the alert thread root');
    assert.match(mail, /Content-Type: text\/plain/);
    assert.match(mail, /Content-Type: text\/html/);
    assert.ok(mail.includes('<b>payments-api</b>'));
  });
});
