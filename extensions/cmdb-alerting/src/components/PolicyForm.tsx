// The escalation policy editor: which alerts (labels), the steps in order (receivers, then the wait before the
// next step and how many must acknowledge), and how often the chain repeats.
import React from 'react';
import { Button } from '@kubed/components';
import type { EscalationPolicy } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { savePolicy, type AlertingScope } from '../api.js';
import { ALERTING_IDS } from '../test-ids.js';
import { emptyPolicyDraft, emptyStep, policyBody, policyDraftOf, type StepDraft } from './drafts.js';
import { Form, FormFooter, Hint, NameField, TextField, useEditorForm } from './kit.js';

export function PolicyForm(props: {
  scope: AlertingScope;
  policy?: EscalationPolicy;
  /** Receivers of the scope, offered as a hint (a workspace's policy may also name the cluster's). */
  receiverNames: string[];
  onCancel: () => void;
  onSaved: () => void;
}) {
  const form = useEditorForm({
    edited: props.policy,
    draftOf: policyDraftOf,
    empty: emptyPolicyDraft,
    toBody: policyBody,
    save: (body, existing) => savePolicy(props.scope, body, existing),
    onSaved: props.onSaved,
  });
  const { draft, set } = form;
  const setStep = (i: number, patch: Partial<StepDraft>) =>
    set({ steps: draft.steps.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  return (
    <Form data-testid={ALERTING_IDS.policyForm} onSubmit={(e) => void form.submit(e)}>
      <NameField id="p-name" label={t('cmdb-alerting.policy.name')} form={form} />
      <label htmlFor="p-description">{t('cmdb-alerting.policy.description')}</label>
      <input
        id="p-description"
        value={draft.description}
        onChange={(e) => set({ description: e.target.value })}
      />
      <TextField
        form={form}
        field="matchLabels"
        id="p-labels"
        label={t('cmdb-alerting.policy.matchLabels')}
        multiline
        hint={t('cmdb-alerting.policy.matchLabelsHint')}
      />
      {draft.steps.map((step, i) => (
        <React.Fragment key={i}>
          <label htmlFor={`p-step-${i}-receivers`}>
            {t('cmdb-alerting.policy.stepReceivers', { step: i + 1 })}
          </label>
          <span style={{ display: 'flex', gap: 8, alignItems: 'center' }}>
            <input
              id={`p-step-${i}-receivers`}
              value={step.receivers}
              aria-invalid={form.invalid(`steps.${i}.receivers`)}
              onChange={(e) => setStep(i, { receivers: e.target.value })}
            />
            <label htmlFor={`p-step-${i}-wait`}>{t('cmdb-alerting.policy.waitMinutes')}</label>
            <input
              id={`p-step-${i}-wait`}
              style={{ width: 70 }}
              value={step.waitMinutes}
              aria-invalid={form.invalid(`steps.${i}.waitMinutes`)}
              onChange={(e) => setStep(i, { waitMinutes: e.target.value })}
            />
            <label htmlFor={`p-step-${i}-acks`}>{t('cmdb-alerting.policy.acksRequired')}</label>
            <input
              id={`p-step-${i}-acks`}
              style={{ width: 50 }}
              value={step.acksRequired}
              aria-invalid={form.invalid(`steps.${i}.acksRequired`)}
              onChange={(e) => setStep(i, { acksRequired: e.target.value })}
            />
            <label htmlFor={`p-step-${i}-contacts`}>{t('cmdb-alerting.policy.contacts')}</label>
            <textarea
              id={`p-step-${i}-contacts`}
              value={step.contacts ?? ''}
              aria-invalid={form.invalid(`steps.${i}.contacts`)}
              onChange={(e) => setStep(i, { contacts: e.target.value })}
            />
            {draft.steps.length > 1 && (
              <Button
                type="button"
                size="sm"
                data-testid={ALERTING_IDS.removeStep}
                onClick={() => set({ steps: draft.steps.filter((_, j) => j !== i) })}
              >
                {t('cmdb-alerting.policy.removeStep')}
              </Button>
            )}
          </span>
        </React.Fragment>
      ))}
      <span />
      <span>
        <Button
          type="button"
          size="sm"
          data-testid={ALERTING_IDS.addStep}
          onClick={() => set({ steps: [...draft.steps, emptyStep()] })}
        >
          {t('cmdb-alerting.policy.addStep')}
        </Button>
      </span>
      <Hint>
        {t('cmdb-alerting.policy.receiversHint', {
          receivers: props.receiverNames.length ? props.receiverNames.join(', ') : '-',
        })}
      </Hint>
      <Hint>{t('cmdb-alerting.policy.contactsHint')}</Hint>
      <label htmlFor="p-repeat">{t('cmdb-alerting.policy.repeat')}</label>
      <input
        id="p-repeat"
        value={draft.repeat}
        aria-invalid={form.invalid('repeat')}
        onChange={(e) => set({ repeat: e.target.value })}
      />
      <FormFooter form={form} onCancel={props.onCancel} />
    </Form>
  );
}
