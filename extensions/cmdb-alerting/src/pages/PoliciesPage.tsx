import React from 'react';
import type { EscalationPolicy } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';
import { deletePolicy, usePolicies, useReceivers, type AlertingScope } from '../api.js';
import { byName, EditableList, editDeleteColumn, nameColumn } from '../components/EditableList.js';
import { waitText } from '../components/kit.js';
import { PolicyForm } from '../components/PolicyForm.js';
import { Section } from '../components/Section.js';
import { ALERTING_IDS } from '../test-ids.js';

/** Escalation policies: which alerts, the chain of steps (receivers → wait → next), repeats; edit, delete. */
export function PoliciesPage() {
  return (
    <Section section="policies" testId={ALERTING_IDS.policiesPage}>
      {(scope) => <Policies scope={scope} />}
    </Section>
  );
}

/** "robot → 5 min → owner, backup" */
export const chainText = (p: EscalationPolicy) =>
  p.steps
    .map(
      (s, i) => `${s.receivers.join(', ')}${i < p.steps.length - 1 ? ` → ${waitText(s.waitSeconds)} →` : ''}`,
    )
    .join(' ');

const labelsText = (p: EscalationPolicy) =>
  Object.entries(p.matchLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ') || t('cmdb-alerting.policies.everyAlert');

function Policies({ scope }: { scope: AlertingScope }) {
  const receivers = useReceivers(scope);
  return (
    <EditableList
      query={usePolicies(scope)}
      newTestId={ALERTING_IDS.newPolicy}
      newLabel={t('cmdb-alerting.policies.new')}
      form={(editing, on) => (
        <PolicyForm
          key={editing === 'new' ? '' : editing.name}
          scope={scope}
          {...(editing === 'new' ? {} : { policy: editing })}
          receiverNames={(receivers.data?.items ?? []).map((r) => r.name)}
          {...on}
        />
      )}
      table={(rows, actions) => (
        <DataTable
          columns={[
            nameColumn(ALERTING_IDS.policyRow),
            { key: 'labels', title: t('cmdb-alerting.column.matchLabels'), render: labelsText },
            { key: 'chain', title: t('cmdb-alerting.column.steps'), render: chainText },
            {
              key: 'repeat',
              title: t('cmdb-alerting.column.repeat'),
              render: (p) => String(p.repeat),
              sortValue: (p) => p.repeat,
            },
            editDeleteColumn({
              editTestId: ALERTING_IDS.editPolicy,
              deleteTestId: ALERTING_IDS.deletePolicy,
              question: (name) => t('cmdb-alerting.confirm.deletePolicy', { name }),
              remove: (name) => deletePolicy(scope, name),
              actions,
            }),
          ]}
          rows={rows}
          {...byName}
          searchText={(p) => `${p.name} ${p.description ?? ''} ${labelsText(p)} ${chainText(p)}`}
          emptyTitle={t('cmdb-alerting.policies.empty')}
        />
      )}
    />
  );
}
