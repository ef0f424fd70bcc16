/**
 * The email channel: one mail per notification over SMTP (nodemailer), text and HTML parts, subject from the title.
 * Threading (ADR 0033): every mail about one alert replies to the same root id derived from its
 * alertKey, so a mail client groups firing, repeats and the resolved notice; the Message-ID derives from the
 * idempotencyKey, so a retried copy carries the same id and clients that drop duplicate ids drop it.
 */
import { createHash } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';
import { scrubText } from '../reduced-error.js';
import { noObserve, timed, type ObserveUpstream } from '../upstream.js';
import type { Channel, DeliveryOutcome, Notification } from './channel.js';

export interface EmailChannelConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  user?: string;
  /** The value of the Secret the receiver names; never logged, never part of an outcome. */
  password?: string;
  /** The sender address; its domain names our Message-IDs. */
  from: string;
  /** Copied on every mail (the receiver's `cc` setting). */
  cc?: readonly string[];
  /** The whole SMTP conversation for one mail must end within this. */
  deadlineMs?: number;
}

const DEFAULT_DEADLINE_MS = 15_000;

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

function domainOf(address: string): string {
  const match = /@([^>\s]+)>?\s*$/.exec(address);
  return match?.[1] ?? 'ks-gpu-ml.local';
}

export interface ThreadHeaders {
  messageId: string;
  /** The alert's thread root: In-Reply-To and References of every mail about the alert. */
  threadRoot: string;
}

export function threadHeaders(notification: Notification, from: string): ThreadHeaders {
  const domain = domainOf(from);
  return {
    messageId: `<n-${digest(notification.idempotencyKey)}@${domain}>`,
    threadRoot: `<alert-${digest(notification.alertKey)}@${domain}>`,
  };
}

interface SmtpErrorLike {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  message?: unknown;
  name?: unknown;
}

/** SMTP's own classes: 4xx is transient (greylisting, mailbox busy), 5xx permanent; no answer at all is transient. */
export function outcomeOfSmtpError(err: unknown): DeliveryOutcome {
  const e = (err ?? {}) as SmtpErrorLike;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const said = typeof e.response === 'string' ? e.response : typeof e.message === 'string' ? e.message : '';
  const what = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'error';
  const providerAnswer = scrubText(`${code ?? what} ${said}`.trim(), 300);
  if (e.code === 'EAUTH')
    return { kind: 'failed', reason: 'CMDB_ALERTING_EMAIL_AUTH_FAILED', providerAnswer };
  if (code !== undefined && code >= 500)
    return { kind: 'failed', reason: 'CMDB_ALERTING_EMAIL_REJECTED', providerAnswer };
  if (code !== undefined && code >= 400)
    return { kind: 'retry', reason: 'CMDB_ALERTING_EMAIL_TRY_LATER', providerAnswer };
  return { kind: 'retry', reason: 'CMDB_ALERTING_EMAIL_UNREACHABLE', providerAnswer };
}

function abortable<T>(work: Promise<T>, signal: AbortSignal, onAbort: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => (onAbort(), reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

export function createEmailChannel(
  config: EmailChannelConfig,
  observe: ObserveUpstream = noObserve,
): Channel {
  const deadlineMs = config.deadlineMs ?? DEFAULT_DEADLINE_MS;
  const transport = (): Transporter =>
    createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure ?? false,
      auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
      connectionTimeout: deadlineMs,
      greetingTimeout: deadlineMs,
      socketTimeout: deadlineMs,
      logger: false,
    });

  async function sendOne(notification: Notification, signal: AbortSignal): Promise<string> {
    const to = notification.recipients.flatMap((r) => (r.email ? [r.email] : []));
    const { messageId, threadRoot } = threadHeaders(notification, config.from);
    const mailer = transport();
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(deadlineMs)]);
    try {
      await timed(observe, 'smtp', () =>
        abortable(
          mailer.sendMail({
            from: config.from,
            to,
            ...(config.cc && config.cc.length > 0 ? { cc: [...config.cc] } : {}),
            subject: notification.title,
            text: notification.text,
            html: notification.html,
            messageId,
            inReplyTo: threadRoot,
            references: [threadRoot],
          }),
          deadline,
          () => mailer.close(),
        ),
      );
    } finally {
      mailer.close();
    }
    return messageId;
  }

  return {
    type: 'email',
    nextSendAt: (now) => now,
    async send(batch, signal, accepted) {
      if (!batch.some((n) => n.recipients.some((r) => r.email))) {
        return { kind: 'failed', reason: 'CMDB_ALERTING_EMAIL_NO_RECIPIENT' };
      }
      const ids: string[] = [];
      for (const notification of batch) {
        let id: string;
        try {
          id = await sendOne(notification, signal);
        } catch (err) {
          return outcomeOfSmtpError(err);
        }
        // One mail per notification: each is settled as the server takes it (a store error is the caller's).
        if (accepted) await accepted([notification], 'SMTP accepted 1 mail', id);
        else ids.push(id);
      }
      return {
        kind: 'delivered',
        providerAnswer: `SMTP accepted ${ids.length} mail(s)`,
        providerRef: ids.join(' '),
      };
    },
  };
}
