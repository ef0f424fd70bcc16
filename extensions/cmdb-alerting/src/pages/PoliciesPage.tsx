import React, { useState } from 'react';
import { Button } from '@kubed/components';
import type { EscalationPolicy } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t, type ApiError } from '@ks-gpu-ml/ui';
import { deletePolicy, usePolicies, useReceivers, type AlertingScope } from '../api.js';
import { ConfirmButton, Toolbar, waitText } from '../components/kit.js';
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
  const policies = usePolicies(scope);
  const receivers = useReceivers(scope);
  const [editing, setEditing] = useState<EscalationPolicy | 'new'>();
  const [actionError, setActionError] = useState<ApiError>();
  if (policies.error) return <ErrorState error={policies.error} onRetry={() => void policies.refetch()} />;
  if (!policies.data) return <LoadingState />;
  const remove = async (name: string) => {
    setActionError(undefined);
    try {
      await deletePolicy(scope, name);
    } catch (err) {
      setActionError(err as ApiError);
    }
    await policies.refetch();
  };
  const close = () => {
    setEditing(undefined);
    void policies.refetch();
  };
  return (
    <>
      {editing ? (
        <PolicyForm
          key={editing === 'new' ? '' : editing.name}
          scope={scope}
          {...(editing === 'new' ? {} : { policy: editing })}
          receiverNames={(receivers.data?.items ?? []).map((r) => r.name)}
          onCancel={() => setEditing(undefined)}
          onSaved={close}
        />
      ) : (
        <Toolbar>
          <Button color="secondary" data-testid={ALERTING_IDS.newPolicy} onClick={() => setEditing('new')}>
            {t('cmdb-alerting.policies.new')}
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
            render: (p) => <span data-testid={ALERTING_IDS.policyRow}>{p.name}</span>,
            sortValue: (p) => p.name,
          },
          { key: 'labels', title: t('cmdb-alerting.column.matchLabels'), render: labelsText },
          { key: 'chain', title: t('cmdb-alerting.column.steps'), render: chainText },
          {
            key: 'repeat',
            title: t('cmdb-alerting.column.repeat'),
            render: (p) => String(p.repeat),
            sortValue: (p) => p.repeat,
          },
          {
            key: 'actions',
            title: '',
            render: (p) => (
              <span>
                <Button size="sm" data-testid={ALERTING_IDS.editPolicy} onClick={() => setEditing(p)}>
                  {t('cmdb-alerting.action.edit')}
                </Button>{' '}
                <ConfirmButton
                  label={t('cmdb-alerting.action.delete')}
                  question={t('cmdb-alerting.confirm.deletePolicy', { name: p.name })}
                  testId={ALERTING_IDS.deletePolicy}
                  onConfirm={() => void remove(p.name)}
                />
              </span>
            ),
          },
        ]}
        rows={policies.data.items}
        rowKey={(p) => p.name}
        searchText={(p) => `${p.name} ${p.description ?? ''} ${labelsText(p)} ${chainText(p)}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('cmdb-alerting.policies.empty')}
      />
    </>
  );
}
