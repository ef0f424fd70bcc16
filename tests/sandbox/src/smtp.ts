// Starts the sandbox's SMTP server: Debian's aiosmtpd (python3-aiosmtpd), a real SMTP implementation, on loopback,
// writing every message it accepts into a Maildir that tests read (SMTP_MAILDIR in .sandbox/env).
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { layout } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { waitFor } from './wait.js';

export interface SmtpServer {
  host: string;
  port: number;
  maildir: string;
}

/** True when something on host:port answers with an SMTP greeting (220). */
function greets(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port, timeout: 2000 });
    socket.once('data', (data) => {
      socket.end('QUIT\r\n');
      resolve(data.toString().startsWith('220'));
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

export async function startSmtpServer(port: number): Promise<SmtpServer> {
  const host = '127.0.0.1';
  const maildir = join(layout.data, 'maildir');
  mkdirSync(layout.data, { recursive: true });
  // -n: stay as this user (no setuid to nobody); Mailbox creates the Maildir and writes one file per message.
  const record = startProcess(
    'smtp',
    '/usr/bin/python3',
    ['-m', 'aiosmtpd', '-n', '-l', `${host}:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { url: `smtp://${host}:${port}` },
  );
  await waitFor('aiosmtpd SMTP greeting', async () => (assertRunning(record), greets(host, port)));
  return { host, port, maildir };
}
