// Pure shaping of the recorded alert states for the alerts table: one row per alert (its key is the fingerprint and
// the second it started firing, as the backend keys escalations, ADR 0031), the newest state winning.
import type { ReceivedAlert } from '@ks-gpu-ml/contracts';

/** `<fingerprint>-<startsAt unix seconds>`: the key the escalation and acknowledgement routes take. */
export function alertKeyOf(alert: Pick<ReceivedAlert, 'fingerprint' | 'startsAt'>): string {
  return `${alert.fingerprint}-${Math.floor(Date.parse(alert.startsAt) / 1000)}`;
}

export interface AlertRow {
  key: string;
  alertname: string;
  severity: string;
  status: ReceivedAlert['status'];
  namespace: string;
  /** The business system the alert names, when a label carries it (the CMDB linkage adds it). */
  business: string;
  startsAt: string;
  /** When the newest state was recorded. */
  receivedAt: string;
  labels: Record<string, string>;
}

const BUSINESS_LABELS = ['business', 'business_system', 'cmdb_business'];

/** One row per alert key, newest recorded state first (the list arrives newest first; a later page never wins). */
export function alertRows(items: readonly ReceivedAlert[]): AlertRow[] {
  const rows = new Map<string, AlertRow>();
  for (const item of items) {
    const key = alertKeyOf(item);
    const seen = rows.get(key);
    if (seen && seen.receivedAt >= item.receivedAt) continue;
    rows.set(key, {
      key,
      alertname: item.labels.alertname ?? '',
      severity: item.labels.severity ?? '',
      status: item.status,
      namespace: item.labels.namespace ?? '',
      business: BUSINESS_LABELS.map((l) => item.labels[l]).find((v) => v) ?? '',
      startsAt: item.startsAt,
      receivedAt: item.receivedAt,
      labels: item.labels,
    });
  }
  return [...rows.values()].sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1));
}

const SEVERITY_RANK: Record<string, number> = { critical: 0, error: 1, warning: 2, info: 3 };

/** Sorts critical before warning before info; unknown severities last. */
export const severityRank = (severity: string) => SEVERITY_RANK[severity.toLowerCase()] ?? 9;

/** A short "5m", "3h", "2d" age of an RFC 3339 time relative to `now`. */
export function ageOf(time: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(time)) / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** The matchers a silence of this alert starts from: its name and project, one a line (the editor's format). */
export const silenceMatchers = (row: Pick<AlertRow, 'alertname' | 'namespace'>): string =>
  [row.alertname && `alertname="${row.alertname}"`, row.namespace && `namespace="${row.namespace}"`]
    .filter(Boolean)
    .join('\n');
