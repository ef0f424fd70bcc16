import type { BusinessSystemList, UnownedReport } from '@ks-gpu-ml/contracts';
import type { Notification } from '../../clients/channels/channel.js';
import type { OutboxEntry } from '../../clients/store/outbox.js';

/**
 * The unowned bucket, reported (issue 15: "an unowned bucket that is itself reported daily"): the workloads no source
 * maps to a business system and the open alerts that landed there, from the business systems view. `sendReport`
 * puts one notification per receiver of the platform default routing policy into the outbox, which delivers it like
 * any alert's message (retries, dead letters, trail); nothing is sent when the bucket is empty.
 */
export function unownedReport(systems: BusinessSystemList, now: number): UnownedReport {
  const bucket = systems.items.find((s) => s.unowned);
  return {
    generatedAt: new Date(now).toISOString(),
    truncated: systems.truncated,
    workloads: (bucket?.workloads ?? []).map(({ kind, namespace, name }) => ({ kind, namespace, name })),
    openAlerts: bucket?.openAlerts ?? [],
  };
}

export type ReportTranslate = (lang: 'en' | 'zh', key: string, params: Record<string, unknown>) => string;

const MAX_LINES = 50;

/** The report as a message: a title and a list, in both languages (receivers have no language of their own). */
export function reportNotification(
  report: UnownedReport,
  translate: ReportTranslate,
  period: string,
): Notification {
  const day = report.generatedAt.slice(0, 10);
  const lines = (lang: 'en' | 'zh') => {
    const params = { workloads: report.workloads.length, alerts: report.openAlerts.length, day };
    const items = [
      ...report.workloads.slice(0, MAX_LINES).map((w) => `- ${w.kind} ${w.namespace}/${w.name}`),
      ...(report.workloads.length > MAX_LINES
        ? [
            translate(lang, 'CMDB_ALERTING_UNOWNED_REPORT_MORE', {
              count: report.workloads.length - MAX_LINES,
            }),
          ]
        : []),
      ...report.openAlerts
        .slice(0, MAX_LINES)
        .map((a) => `- ${a.alertname} ${a.namespace ?? ''} (${a.alertKey})`),
    ];
    return {
      title: translate(lang, 'CMDB_ALERTING_UNOWNED_REPORT_TITLE', params),
      summary: translate(lang, 'CMDB_ALERTING_UNOWNED_REPORT_SUMMARY', params),
      items,
    };
  };
  const en = lines('en');
  const zh = lines('zh');
  const text = [en.title, en.summary, ...en.items, '', zh.title, zh.summary, ...zh.items].join('\n');
  const markdown = [
    `**${en.title}**`,
    en.summary,
    ...en.items,
    '',
    `**${zh.title}**`,
    zh.summary,
    ...zh.items,
  ].join('\n');
  return {
    // One report per period whichever replica sends it: the outbox keeps one row per key and receiver.
    idempotencyKey: `unowned-report:${period}`,
    alertKey: `unowned-report-${day}`,
    status: 'firing',
    severity: 'info',
    title: `${en.title} / ${zh.title}`,
    markdown,
    text,
    recipients: [],
  };
}

export interface ReportDeps {
  report: () => Promise<UnownedReport>;
  /** The receivers of the platform default routing policy (empty: none configured). */
  defaultReceivers: () => Promise<string[]>;
  enqueue: (entries: readonly OutboxEntry[], now: number) => Promise<number>;
  translate: ReportTranslate;
  /** The schedule's period: one report per period (a second send in the same period is dropped by the outbox). */
  periodMs: number;
  now?: () => number;
}

/** Sends the report now; what happened, for the log and the tests. */
export async function sendReport(
  deps: ReportDeps,
): Promise<{ sent: number; workloads: number; reason?: 'empty' | 'no-default-receiver' }> {
  const now = (deps.now ?? Date.now)();
  const report = await deps.report();
  if (report.workloads.length === 0 && report.openAlerts.length === 0)
    return { sent: 0, workloads: 0, reason: 'empty' };
  const receivers = await deps.defaultReceivers();
  if (receivers.length === 0)
    return { sent: 0, workloads: report.workloads.length, reason: 'no-default-receiver' };
  const notification = reportNotification(report, deps.translate, String(Math.floor(now / deps.periodMs)));
  const sent = await deps.enqueue(
    receivers.map((receiver) => ({
      receiver,
      notification: { ...notification, idempotencyKey: `${notification.idempotencyKey}:${receiver}` },
    })),
    now,
  );
  return { sent, workloads: report.workloads.length };
}
