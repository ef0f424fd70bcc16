import React from 'react';
import { Link } from 'react-router-dom';
import type { DeadLetter } from '@ks-gpu-ml/contracts';
import {
  actionsColumn,
  DataTable,
  ErrorState,
  LoadingState,
  t,
  timeColumn,
  useRowAction,
  valueColumn,
} from '@ks-gpu-ml/ui';
import { basePath, retryDeadLetter, useDeadLetters, type AlertingScope } from '../api.js';
import { ConfirmButton } from '../components/kit.js';
import { Section } from '../components/Section.js';
import { ALERTING_IDS } from '../test-ids.js';

/**
 * The outbox's dead letters (ADR 0034): notifications given up on after the retry limit, or refused for good (an
 * invalid key, a receiver deleted). Each names its receiver, alert, attempts and last error, and can be retried once
 * the cause is fixed. The cluster's admins see every scope's; a workspace's admins their receivers'.
 */
export function DeadLettersPage() {
  return (
    <Section section="deadletters" testId={ALERTING_IDS.deadLettersPage}>
      {(scope) => <DeadLetters scope={scope} />}
    </Section>
  );
}

function DeadLetters({ scope }: { scope: AlertingScope }) {
  const query = useDeadLetters(scope);
  const { actionError, act } = useRowAction(() => query.refetch());
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <LoadingState />;
  return (
    <>
      {actionError && (
        <div data-testid={ALERTING_IDS.actionError}>
          <ErrorState error={actionError} />
        </div>
      )}
      <DataTable<DeadLetter>
        columns={[
          {
            key: 'receiver',
            title: t('cmdb-alerting.column.receiver'),
            render: (d) => <span data-testid={ALERTING_IDS.deadLetterRow}>{d.receiver}</span>,
            sortValue: (d) => d.receiver,
          },
          {
            key: 'alert',
            title: t('cmdb-alerting.column.alert'),
            render: (d) => (
              <Link to={`${basePath(scope)}/alerts/${d.alertKey}`} style={{ fontFamily: 'monospace' }}>
                {d.alertKey}
              </Link>
            ),
            sortValue: (d) => d.alertKey,
          },
          valueColumn('attempts', t('cmdb-alerting.column.attempts'), (d) => d.attempts),
          {
            key: 'lastError',
            title: t('cmdb-alerting.column.lastError'),
            render: (d) => (
              <span style={{ fontFamily: 'monospace', fontSize: 12, wordBreak: 'break-word' }}>
                {d.lastErrorText ?? d.lastError ?? '-'}
              </span>
            ),
          },
          timeColumn('updatedAt', t('cmdb-alerting.column.deadSince'), (d) => d.updatedAt),
          actionsColumn((d) => (
            <ConfirmButton
              label={t('cmdb-alerting.action.retry')}
              question={t('cmdb-alerting.confirm.retry')}
              testId={ALERTING_IDS.retryDeadLetter}
              onConfirm={() => void act(() => retryDeadLetter(scope, d.id))}
            />
          )),
        ]}
        rows={query.data.items}
        rowKey={(d) => String(d.id)}
        searchText={(d) => `${d.receiver} ${d.alertKey} ${d.lastError ?? ''}`}
        initialSort={{ key: 'updatedAt', direction: 'desc' }}
        emptyTitle={t('cmdb-alerting.deadLetters.empty')}
      />
      <div style={{ fontSize: 12, color: '#79879c', marginTop: 8 }}>
        {t(`cmdb-alerting.deadLetters.hint.${scope.kind}`)}
      </div>
    </>
  );
}
