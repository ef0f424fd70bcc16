import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { AlertmanagerWebhookPayload } from './cmdb-alerting.js';

// What Alertmanager 0.25's webhook notifier marshals (notify/webhook/webhook.go), here for a resolved group.
const sent = {
  receiver: 'cmdb-alerting',
  status: 'resolved',
  alerts: [
    {
      status: 'resolved',
      labels: { alertname: 'GpuXidError', namespace: 'alpha-train', Hostname: 'gpu-node-1' },
      annotations: { summary: 'XID 79 on GPU 0' },
      startsAt: '2026-12-05T10:00:00.123456789Z',
      endsAt: '2026-12-05T10:05:00.5Z',
      generatorURL: 'http://prometheus:9090/graph?g0.expr=DCGM_FI_DEV_XID_ERRORS+%3E+0',
      fingerprint: '8f3c1a0b2d4e6f70',
    },
  ],
  groupLabels: { alertname: 'GpuXidError' },
  commonLabels: { alertname: 'GpuXidError', namespace: 'alpha-train', Hostname: 'gpu-node-1' },
  commonAnnotations: { summary: 'XID 79 on GPU 0' },
  externalURL: 'http://alertmanager-0:9093',
  version: '4',
  groupKey: '{}:{alertname="GpuXidError"}',
  truncatedAlerts: 0,
};

const firstError = (payload: unknown) => {
  const error = Value.Errors(AlertmanagerWebhookPayload, payload).First();
  return error && `${error.path}: ${error.message}`;
};

describe('AlertmanagerWebhookPayload (version 4)', () => {
  it('accepts what Alertmanager sends, and fields newer releases add', () => {
    assert.equal(firstError(sent), undefined);
    assert.equal(firstError({ ...sent, notification_reason: 'new' }), undefined);
    const firing = { ...sent.alerts[0], status: 'firing', endsAt: '0001-01-01T00:00:00Z' };
    assert.equal(firstError({ ...sent, status: 'firing', alerts: [firing] }), undefined);
  });

  it('names what is wrong in a malformed batch', () => {
    assert.match(firstError({ ...sent, version: '3' }) ?? '', /^\/version/);
    const { groupKey: _, ...noGroupKey } = sent;
    assert.match(firstError(noGroupKey) ?? '', /^\/groupKey/);
    assert.match(firstError({ ...sent, alerts: [] }) ?? '', /^\/alerts/);
    const { fingerprint: __, ...noFingerprint } = sent.alerts[0]!;
    assert.match(firstError({ ...sent, alerts: [noFingerprint] }) ?? '', /^\/alerts\/0\/fingerprint/);
    assert.match(
      firstError({ ...sent, alerts: [{ ...sent.alerts[0], status: 'pending' }] }) ?? '',
      /^\/alerts\/0\/status/,
    );
    assert.match(
      firstError({ ...sent, alerts: [{ ...sent.alerts[0], labels: { severity: 3 } }] }) ?? '',
      /^\/alerts\/0\/labels\/severity/,
    );
    assert.match(
      firstError({ ...sent, alerts: [{ ...sent.alerts[0], startsAt: 'yesterday' }] }) ?? '',
      /^\/alerts\/0\/startsAt/,
    );
  });
});
