// The routing policy editor (docs/adr/0043): which alerts (business systems, importance, severity, clusters,
// projects, labels, the unowned bucket), when (a window in a time zone, its days, hours and holidays, or outside
// it), and to whom (the cluster's receivers at once, then an escalation policy's steps).
import React from 'react';
import { WEEKDAYS, type RoutingPolicy } from '@ks-gpu-ml/contracts';
import { ChoiceSelect, t } from '@ks-gpu-ml/ui';
import { saveRoutingPolicy } from '../routing-api.js';
import { ROUTING_IDS } from '../routing-test-ids.js';
import { Form, FormFooter, Hint, NameField, TextField, useEditorForm } from './kit.js';
import { emptyRoutingDraft, routingBody, routingDraftOf, type RoutingDraft } from './routing-drafts.js';

export function RoutingForm(props: {
  cluster: string | undefined;
  policy?: RoutingPolicy;
  receiverNames: string[];
  policyNames: string[];
  onCancel: () => void;
  onSaved: () => void;
}) {
  const form = useEditorForm({
    edited: props.policy,
    draftOf: routingDraftOf,
    empty: emptyRoutingDraft,
    toBody: routingBody,
    save: (body, existing) => saveRoutingPolicy(props.cluster, body, existing),
    onSaved: props.onSaved,
  });
  const { draft, set } = form;
  const text = (field: keyof RoutingDraft & string, hint?: string, multiline = false) => (
    <TextField
      form={form}
      field={field}
      id={`r-${field}`}
      label={t(`cmdb-alerting.routing.${field}`)}
      {...(hint !== undefined ? { hint } : {})}
      {...(multiline ? { multiline } : {})}
    />
  );
  const check = (field: 'isDefault' | 'windowOn' | 'outside') => (
    <>
      <label htmlFor={`r-${field}`}>{t(`cmdb-alerting.routing.${field}`)}</label>
      <input
        id={`r-${field}`}
        type="checkbox"
        style={{ justifySelf: 'start' }}
        checked={draft[field]}
        onChange={(e) => set({ [field]: e.target.checked } as Partial<RoutingDraft>)}
      />
    </>
  );
  return (
    <Form data-testid={ROUTING_IDS.routingForm} onSubmit={(e) => void form.submit(e)}>
      <NameField id="r-name" label={t('cmdb-alerting.routing.name')} form={form} />
      {text('description')}
      {text('priority', t('cmdb-alerting.routing.priorityHint'))}
      {text('systems', t('cmdb-alerting.routing.listHint'))}
      {text('importance')}
      {text('severities')}
      {text('clusters')}
      {text('namespaces')}
      {text('labels', t('cmdb-alerting.policy.matchLabelsHint'), true)}
      <label htmlFor="r-unowned">{t('cmdb-alerting.routing.unowned')}</label>
      <ChoiceSelect
        id="r-unowned"
        value={draft.unowned}
        choices={['any', 'yes', 'no'] as const}
        label={(v) => t(`cmdb-alerting.routing.unowned.${v}`)}
        onChange={(unowned) => set({ unowned })}
      />
      {text(
        'receivers',
        t('cmdb-alerting.routing.receiversHint', { receivers: props.receiverNames.join(', ') || '-' }),
      )}
      {text(
        'escalationPolicy',
        t('cmdb-alerting.routing.escalationPolicyHint', { policies: props.policyNames.join(', ') || '-' }),
      )}
      {check('isDefault')}
      {check('windowOn')}
      {draft.windowOn && (
        <>
          <Hint>{t('cmdb-alerting.routing.windowHint')}</Hint>
          {text('timeZone')}
          <span>{t('cmdb-alerting.routing.days')}</span>
          <span style={{ display: 'flex', gap: 8 }}>
            {WEEKDAYS.map((d) => (
              <label key={d}>
                <input
                  type="checkbox"
                  aria-label={t(`cmdb-alerting.routing.day.${d}`)}
                  checked={draft.days.includes(d)}
                  onChange={(e) =>
                    set({ days: e.target.checked ? [...draft.days, d] : draft.days.filter((x) => x !== d) })
                  }
                />{' '}
                {t(`cmdb-alerting.routing.day.${d}`)}
              </label>
            ))}
          </span>
          {text('start')}
          {text('end', t('cmdb-alerting.routing.endHint'))}
          {text('holidays', t('cmdb-alerting.routing.holidaysHint'))}
          {check('outside')}
          <Hint>{t('cmdb-alerting.routing.outsideHint')}</Hint>
        </>
      )}
      <FormFooter form={form} onCancel={props.onCancel} />
    </Form>
  );
}
