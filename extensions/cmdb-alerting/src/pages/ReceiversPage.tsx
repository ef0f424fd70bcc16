import React, { useState } from 'react';
import { Button } from '@kubed/components';
import { RECEIVER_FIELDS, type Receiver } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t, type ApiError } from '@ks-gpu-ml/ui';
import { deleteReceiver, useReceivers, type AlertingScope } from '../api.js';
import { ConfirmButton, Toolbar } from '../components/kit.js';
import { ReceiverForm } from '../components/ReceiverForm.js';
import { Section } from '../components/Section.js';
import { ALERTING_IDS } from '../test-ids.js';

/** Receivers of the cluster or a workspace: type, Secret references (never values), recipients; edit, delete. */
export function ReceiversPage() {
  return (
    <Section section="receivers" testId={ALERTING_IDS.receiversPage}>
      {(scope) => <Receivers scope={scope} />}
    </Section>
  );
}

const secretsText = (r: Receiver) =>
  Object.entries(r.secretRefs)
    .map(([k, ref]) => `${t(`cmdb-alerting.secret.${k}`)}: ${ref.namespace}/${ref.name}[${ref.key}]`)
    .join('; ') || '-';

const recipientsText = (r: Receiver) => {
  const field = RECEIVER_FIELDS[r.type].recipientField;
  if (!field || r.recipients.length === 0) return '-';
  return r.recipients.map((p) => (p.name ? `${p.name} (${p[field] ?? ''})` : (p[field] ?? ''))).join(', ');
};

function Receivers({ scope }: { scope: AlertingScope }) {
  const receivers = useReceivers(scope);
  const [editing, setEditing] = useState<Receiver | 'new'>();
  const [actionError, setActionError] = useState<ApiError>();
  if (receivers.error) return <ErrorState error={receivers.error} onRetry={() => void receivers.refetch()} />;
  if (!receivers.data) return <LoadingState />;
  const remove = async (name: string) => {
    setActionError(undefined);
    try {
      await deleteReceiver(scope, name);
    } catch (err) {
      setActionError(err as ApiError);
    }
    await receivers.refetch();
  };
  const close = () => {
    setEditing(undefined);
    void receivers.refetch();
  };
  return (
    <>
      {editing ? (
        <ReceiverForm
          key={editing === 'new' ? '' : editing.name}
          scope={scope}
          {...(editing === 'new' ? {} : { receiver: editing })}
          onCancel={() => setEditing(undefined)}
          onSaved={close}
        />
      ) : (
        <Toolbar>
          <Button color="secondary" data-testid={ALERTING_IDS.newReceiver} onClick={() => setEditing('new')}>
            {t('cmdb-alerting.receivers.new')}
          </Button>
        </Toolbar>
      )}
      {actionError && (
        <div data-testid={ALERTING_IDS.actionError}>
          <ErrorState error={actionError} />
        </div>
      )}
      <DataTable
        columns={[
          {
            key: 'name',
            title: t('cmdb-alerting.column.name'),
            render: (r) => <span data-testid={ALERTING_IDS.receiverRow}>{r.name}</span>,
            sortValue: (r) => r.name,
          },
          {
            key: 'type',
            title: t('cmdb-alerting.column.type'),
            render: (r) => t(`cmdb-alerting.type.${r.type}`),
            sortValue: (r) => r.type,
          },
          { key: 'secrets', title: t('cmdb-alerting.column.secrets'), render: secretsText },
          { key: 'recipients', title: t('cmdb-alerting.column.recipients'), render: recipientsText },
          {
            key: 'actions',
            title: '',
            render: (r) => (
              <span>
                <Button size="sm" data-testid={ALERTING_IDS.editReceiver} onClick={() => setEditing(r)}>
                  {t('cmdb-alerting.action.edit')}
                </Button>{' '}
                <ConfirmButton
                  label={t('cmdb-alerting.action.delete')}
                  question={t('cmdb-alerting.confirm.deleteReceiver', { name: r.name })}
                  testId={ALERTING_IDS.deleteReceiver}
                  onConfirm={() => void remove(r.name)}
                />
              </span>
            ),
          },
        ]}
        rows={receivers.data.items}
        rowKey={(r) => r.name}
        searchText={(r) => `${r.name} ${r.type} ${r.description ?? ''}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('cmdb-alerting.receivers.empty')}
      />
    </>
  );
}
