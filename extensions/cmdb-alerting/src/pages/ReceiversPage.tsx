import React from 'react';
import { RECEIVER_FIELDS, type Receiver } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';
import { deleteReceiver, useReceivers, type AlertingScope } from '../api.js';
import { byName, EditableList, editDeleteColumn, nameColumn } from '../components/EditableList.js';
import { ReceiverForm } from '../components/ReceiverForm.js';
import { ReceiverTest } from '../components/ReceiverTest.js';
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
  return (
    <EditableList
      query={useReceivers(scope)}
      newTestId={ALERTING_IDS.newReceiver}
      newLabel={t('cmdb-alerting.receivers.new')}
      form={(editing, on) => (
        <ReceiverForm
          key={editing === 'new' ? '' : editing.name}
          scope={scope}
          {...(editing === 'new' ? {} : { receiver: editing })}
          {...on}
        />
      )}
      table={(rows, actions) => (
        <DataTable
          columns={[
            nameColumn(ALERTING_IDS.receiverRow),
            {
              key: 'type',
              title: t('cmdb-alerting.column.type'),
              render: (r) => t(`cmdb-alerting.type.${r.type}`),
              sortValue: (r) => r.type,
            },
            { key: 'secrets', title: t('cmdb-alerting.column.secrets'), render: secretsText },
            { key: 'recipients', title: t('cmdb-alerting.column.recipients'), render: recipientsText },
            {
              key: 'test',
              title: t('cmdb-alerting.column.test'),
              render: (r) => <ReceiverTest scope={scope} name={r.name} />,
            },
            editDeleteColumn({
              editTestId: ALERTING_IDS.editReceiver,
              deleteTestId: ALERTING_IDS.deleteReceiver,
              question: (name) => t('cmdb-alerting.confirm.deleteReceiver', { name }),
              remove: (name) => deleteReceiver(scope, name),
              actions,
            }),
          ]}
          rows={rows}
          {...byName}
          searchText={(r) => `${r.name} ${r.type} ${r.description ?? ''}`}
          emptyTitle={t('cmdb-alerting.receivers.empty')}
        />
      )}
    />
  );
}
