import type { AlertmanagerAlert, AlertmanagerWebhookPayload } from '@ks-gpu-ml/contracts';
import type { Notification } from '../../clients/channels/channel.js';

/** For tests and the benchmark: webhook batches shaped as Alertmanager 0.25 sends them. */
export function alertFixture(n: number, overrides: Partial<AlertmanagerAlert> = {}): AlertmanagerAlert {
  return {
    status: 'firing',
    labels: {
      alertname: 'KubePodCrashLooping',
      namespace: 'alpha-train',
      pod: `pod-${n}`,
      severity: 'critical',
    },
    annotations: { summary: `pod-${n} is restarting` },
    startsAt: '2026-12-05T10:00:00.000Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'http://127.0.0.1:9090/graph?g0.expr=up',
    fingerprint: n.toString(16).padStart(16, '0'),
    ...overrides,
  };
}

export function batchFixture(
  alerts: AlertmanagerAlert[],
  overrides: Partial<AlertmanagerWebhookPayload> = {},
): AlertmanagerWebhookPayload {
  return {
    version: '4',
    groupKey: '{}:{alertname="KubePodCrashLooping"}',
    truncatedAlerts: 0,
    status: alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved',
    receiver: 'cmdb-alerting',
    groupLabels: { alertname: 'KubePodCrashLooping' },
    commonLabels: { alertname: 'KubePodCrashLooping' },
    commonAnnotations: {},
    externalURL: 'http://127.0.0.1:9093',
    alerts,
    ...overrides,
  };
}

/**
 * For tests: a firing, critical message as the escalation hands it to the outbox. Its texts are placeholders: the
 * tests that use it look at who it reaches and what becomes of it, not at what it says.
 */
export function notificationFixture(
  fields: Pick<Notification, 'idempotencyKey' | 'alertKey' | 'recipients'> & Partial<Notification>,
): Notification {
  return { status: 'firing', severity: 'critical', title: 't', markdown: 'm', text: 't', ...fields };
}
