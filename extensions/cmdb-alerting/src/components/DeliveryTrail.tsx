// An alert's delivery trail (ADR 0034): every attempt the outbox made, newest first — receiver, channel, recipients,
// outcome, the provider's answer and the error text as the backend reduced them (no secret is ever in them).
import React from 'react';
import styled from 'styled-components';
import { RECEIVER_TYPES, type DeliveryAttempt } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t, timeColumn, valueColumn } from '@ks-gpu-ml/ui';
import { useDeliveries, type AlertingScope } from '../api.js';
import { ALERTING_IDS } from '../test-ids.js';
import { Badge, Card } from './kit.js';

/** The colour a trail outcome borrows from the kit's palette. */
const OUTCOME_COLOUR: Record<string, string> = {
  delivered: 'resolved',
  retry: 'warning',
  failed: 'error',
  interrupted: 'pending',
  // A placed phone call's result, read back from its provider (ADR 0044).
  answered: 'resolved',
  'not-answered': 'warning',
  'call-failed': 'error',
};

const KNOWN_OUTCOMES = new Set(Object.keys(OUTCOME_COLOUR));

export const outcomeLabel = (outcome: string) =>
  KNOWN_OUTCOMES.has(outcome) ? t(`cmdb-alerting.delivery.${outcome}`) : outcome;

const channelLabel = (channel: string) =>
  (RECEIVER_TYPES as readonly string[]).includes(channel) ? t(`cmdb-alerting.type.${channel}`) : channel;

const Mono = styled.span`
  font-family: monospace;
  font-size: 12px;
  word-break: break-word;
`;

export function DeliveryTrail({ scope, alertKey }: { scope: AlertingScope; alertKey: string }) {
  const trail = useDeliveries(scope, alertKey);
  return (
    <Card data-testid={ALERTING_IDS.deliveryTrail}>
      <h2>{t('cmdb-alerting.alert.deliveries')}</h2>
      {trail.error ? (
        <ErrorState error={trail.error} title={t('cmdb-alerting.alert.deliveriesUnreadable')} />
      ) : !trail.data ? (
        <LoadingState />
      ) : (
        <DataTable<DeliveryAttempt & { seq: number }>
          columns={[
            {
              ...timeColumn('at', t('cmdb-alerting.column.attemptedAt'), (a) => a.at),
              // Attempts in one millisecond keep the order the outbox made them in.
              sortValue: (a) => `${a.at} ${String(a.seq).padStart(8, '0')}`,
            },
            valueColumn('receiver', t('cmdb-alerting.column.receiver'), (a) => a.receiver),
            {
              key: 'channel',
              title: t('cmdb-alerting.column.channel'),
              render: (a) => channelLabel(a.channel),
              sortValue: (a) => a.channel,
            },
            {
              key: 'recipients',
              title: t('cmdb-alerting.column.recipients'),
              render: (a) => (a.recipients.length ? a.recipients.join(', ') : '-'),
            },
            {
              key: 'outcome',
              title: t('cmdb-alerting.column.outcome'),
              render: (a) => (
                <span data-testid={ALERTING_IDS.deliveryOutcome}>
                  <Badge value={OUTCOME_COLOUR[a.outcome] ?? a.outcome} label={outcomeLabel(a.outcome)} />
                </span>
              ),
              sortValue: (a) => a.outcome,
            },
            {
              key: 'providerAnswer',
              title: t('cmdb-alerting.column.providerAnswer'),
              render: (a) => <Mono data-testid={ALERTING_IDS.deliveryAnswer}>{a.providerAnswer ?? '-'}</Mono>,
            },
            {
              key: 'error',
              title: t('cmdb-alerting.column.error'),
              render: (a) => <Mono title={a.error}>{a.errorText ?? a.error ?? '-'}</Mono>,
            },
          ]}
          rows={trail.data.items.map((a, seq) => ({ ...a, seq }))}
          rowKey={(a) => `${a.seq}`}
          searchText={(a) =>
            `${a.receiver} ${a.channel} ${a.recipients.join(' ')} ${a.outcome} ${a.providerAnswer ?? ''} ${a.error ?? ''}`
          }
          initialSort={{ key: 'at', direction: 'desc' }}
          emptyTitle={t('cmdb-alerting.alert.deliveriesEmpty')}
        />
      )}
    </Card>
  );
}
