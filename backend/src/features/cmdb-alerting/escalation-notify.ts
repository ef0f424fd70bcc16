import type { ReceiverInput } from '@ks-gpu-ml/contracts';
import type { Notification } from '../../clients/channels/channel.js';
import type { EscalationAlert } from '../../clients/store/alert-escalation.js';
import { businessLines } from './enrich.js';

/**
 * What the escalation engine hands the outbox: one notification per receiver, rendered from the alert. The
 * receiver reference (`<workspace>/<name>`, or `<name>` for the cluster's) is what the outbox and the channels
 * look the receiver up by; it is also the `person` of the receiver's acknowledgement link.
 */
export const receiverRef = (owner: string, name: string): string => (owner ? `${owner}/${name}` : name);

/** A workspace's step names its own receiver, or the cluster's of that name when the workspace has none. */
export function resolveReceiver(
  owner: string,
  name: string,
  known: ReadonlyMap<string, ReceiverInput>,
): { ref: string; spec: ReceiverInput } | undefined {
  for (const ref of owner ? [receiverRef(owner, name), name] : [name]) {
    const spec = known.get(ref);
    if (spec) return { ref, spec };
  }
  return undefined;
}

/** An alert's key: its fingerprint and the second it started, so a new firing of the same labels is a new alert. */
export const alertKeyOf = (alert: Pick<EscalationAlert, 'fingerprint' | 'startsAt'>): string =>
  `${alert.fingerprint}-${Math.floor(Date.parse(alert.startsAt) / 1000)}`;

export interface RenderInput {
  alertKey: string;
  alert: EscalationAlert;
  status: 'firing' | 'resolved';
  /** Which step occurrence (0-based); resolved notices use the count of steps sent. */
  seq: number;
  receiver: { ref: string; spec: ReceiverInput };
  ackUrl?: string;
  /** The code a WeCom app message asks to reply with ("ACK <code>", docs/adr/0047); firing messages only. */
  replyCode?: string;
  /** The message's words in the receiver's `language` (locales' CMDB_ALERTING_MESSAGE_*); English without it. */
  translate?: (language: 'en' | 'zh', key: string) => string;
}

const ENGLISH: Record<string, string> = {
  CMDB_ALERTING_MESSAGE_FIRING: 'FIRING',
  CMDB_ALERTING_MESSAGE_RESOLVED: 'RESOLVED',
  CMDB_ALERTING_MESSAGE_ACKNOWLEDGE: 'Acknowledge',
  CMDB_ALERTING_MESSAGE_REPLY_ACK: 'Reply ACK {code} to acknowledge',
};

export function renderNotification(input: RenderInput): Notification {
  const { alert, status } = input;
  const name = alert.labels.alertname ?? 'alert';
  const severity = alert.labels.severity ?? 'none';
  const summary = alert.annotations.summary ?? alert.annotations.description ?? '';
  const where = ['namespace', 'pod', 'node', 'Hostname']
    .filter((l) => alert.labels[l])
    .map((l) => `${l}=${alert.labels[l]}`)
    .join(', ');
  const language = input.receiver.spec.settings.language === 'zh' ? 'zh' : 'en';
  const word = (key: string) => input.translate?.(language, key) ?? ENGLISH[key]!;
  const acknowledge = word('CMDB_ALERTING_MESSAGE_ACKNOWLEDGE');
  const head = `[${word(status === 'firing' ? 'CMDB_ALERTING_MESSAGE_FIRING' : 'CMDB_ALERTING_MESSAGE_RESOLVED')}] ${name} (${severity})`;
  // The business system it hits, its importance and owners (docs/adr/0039), in the receiver's language.
  const business = alert.business ? businessLines(alert.business, language) : [];
  const businessMd = alert.business ? businessLines(alert.business, language, 'markdown') : [];
  const replyCode = status === 'firing' ? input.replyCode : undefined;
  const replyLine = replyCode ? word('CMDB_ALERTING_MESSAGE_REPLY_ACK').replace('{code}', replyCode) : '';
  const lines = [
    ...business,
    summary,
    where,
    status === 'firing' && input.ackUrl ? `${acknowledge}: ${input.ackUrl}` : '',
    replyLine,
  ].filter(Boolean);
  const ackLine =
    (status === 'firing' && input.ackUrl ? `\n[${acknowledge}](${input.ackUrl})` : '') +
    (replyLine ? `\n${replyLine}` : '');
  return {
    // One per alert, status, step and receiver: a retry or a second replica's enqueue is the same notification.
    idempotencyKey: `${input.alertKey}:${status}:${input.seq}:${input.receiver.ref}`,
    alertKey: input.alertKey,
    status,
    severity,
    title: `${head}${alert.business ? ` [${alert.business.system.value}]` : ''}${summary ? ` ${summary}` : ''}`,
    markdown:
      [`**${head}**`, ...businessMd, summary, where && `> ${where}`].filter(Boolean).join('\n') + ackLine,
    text: [head, ...lines].join('\n'),
    ...(status === 'firing' && input.ackUrl ? { ackUrl: input.ackUrl } : {}),
    ...(replyCode ? { replyCode } : {}),
    recipients: input.receiver.spec.recipients,
  };
}
