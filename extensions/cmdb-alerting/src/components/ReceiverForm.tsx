// The receiver editor: its type decides the settings, the Secret references (namespace, name and key, never a
// value) and the recipient field asked for (contracts' RECEIVER_FIELDS, the table the backend checks).
import React from 'react';
import {
  RECEIVER_FIELDS,
  RECEIVER_LANGUAGES,
  RECEIVER_TYPES,
  WECOM_CALLBACK_PATH,
  type Receiver,
} from '@ks-gpu-ml/contracts';
import { ChoiceSelect, t } from '@ks-gpu-ml/ui';
import { saveReceiver, type AlertingScope } from '../api.js';
import { ALERTING_IDS } from '../test-ids.js';
import { emptyReceiverDraft, receiverBody, receiverDraftOf, type SecretDraft } from './drafts.js';
import { Form, FormFooter, Hint, NameField, TextField, useEditorForm } from './kit.js';

/** The path of a WeCom app receiver's "receive messages" callback, on the backend's external address (ADR 0047). */
export const wecomCallbackPath = (scope: AlertingScope, name: string): string =>
  `${WECOM_CALLBACK_PATH}/${scope.kind === 'workspace' ? `${scope.workspace}/` : ''}${name || '<name>'}`;

/** Settings with a fixed set of values, offered as a choice (empty: unset, the backend's default). */
const CHOICES: Record<string, readonly string[]> = {
  language: RECEIVER_LANGUAGES,
  mentionAll: ['true', 'false'],
};

export function ReceiverForm(props: {
  scope: AlertingScope;
  /** The receiver edited; absent: a new one. */
  receiver?: Receiver;
  onCancel: () => void;
  onSaved: () => void;
}) {
  const form = useEditorForm({
    edited: props.receiver,
    draftOf: receiverDraftOf,
    empty: () => emptyReceiverDraft(),
    toBody: receiverBody,
    save: (body, existing) => saveReceiver(props.scope, body, existing),
    onSaved: props.onSaved,
  });
  const { draft, set } = form;
  const fields = RECEIVER_FIELDS[draft.type];
  const settingKeys = [...fields.settings.required, ...fields.settings.optional];
  const secretKeys = [...fields.secrets.required, ...fields.secrets.optional];
  const setSecret = (key: string, patch: Partial<SecretDraft>) =>
    set({
      secrets: {
        ...draft.secrets,
        [key]: { ...(draft.secrets[key] ?? { namespace: '', name: '', key: '' }), ...patch },
      },
    });
  const required = (list: readonly string[], key: string) => (list.includes(key) ? ' *' : '');
  return (
    <Form data-testid={ALERTING_IDS.receiverForm} onSubmit={(e) => void form.submit(e)}>
      <NameField id="r-name" label={t('cmdb-alerting.receiver.name')} form={form} />
      <label htmlFor="r-type">{t('cmdb-alerting.receiver.type')}</label>
      <ChoiceSelect
        id="r-type"
        value={draft.type}
        choices={RECEIVER_TYPES}
        label={(type) => t(`cmdb-alerting.type.${type}`)}
        onChange={(type) => set({ type })}
      />
      <label htmlFor="r-description">{t('cmdb-alerting.receiver.description')}</label>
      <input
        id="r-description"
        value={draft.description}
        onChange={(e) => set({ description: e.target.value })}
      />
      {settingKeys.map((key) => (
        <React.Fragment key={`s-${key}`}>
          <label htmlFor={`r-setting-${key}`}>
            {t(`cmdb-alerting.setting.${key}`)}
            {required(fields.settings.required, key)}
          </label>
          {CHOICES[key] ? (
            <select
              id={`r-setting-${key}`}
              value={draft.settings[key] ?? ''}
              aria-invalid={form.invalid(`settings.${key}`)}
              onChange={(e) => set({ settings: { ...draft.settings, [key]: e.target.value } })}
            >
              <option value="">{t('cmdb-alerting.setting.unset')}</option>
              {CHOICES[key].map((value) => (
                <option key={value} value={value}>
                  {t(`cmdb-alerting.choice.${key}.${value}`)}
                </option>
              ))}
            </select>
          ) : (
            <input
              id={`r-setting-${key}`}
              value={draft.settings[key] ?? ''}
              aria-invalid={form.invalid(`settings.${key}`)}
              onChange={(e) => set({ settings: { ...draft.settings, [key]: e.target.value } })}
            />
          )}
        </React.Fragment>
      ))}
      {secretKeys.map((key) => {
        const ref = draft.secrets[key] ?? { namespace: '', name: '', key: '' };
        const label = t(`cmdb-alerting.secret.${key}`);
        return (
          <React.Fragment key={`k-${key}`}>
            <label htmlFor={`r-secret-${key}-name`}>
              {label}
              {required(fields.secrets.required, key)}
            </label>
            <span style={{ display: 'flex', gap: 8 }} aria-invalid={form.invalid(`secrets.${key}`)}>
              <input
                aria-label={t('cmdb-alerting.secret.namespace', { secret: label })}
                placeholder={t('cmdb-alerting.secret.namespacePlaceholder')}
                value={ref.namespace}
                onChange={(e) => setSecret(key, { namespace: e.target.value })}
              />
              <input
                id={`r-secret-${key}-name`}
                aria-label={t('cmdb-alerting.secret.name', { secret: label })}
                placeholder={t('cmdb-alerting.secret.namePlaceholder')}
                value={ref.name}
                onChange={(e) => setSecret(key, { name: e.target.value })}
              />
              <input
                aria-label={t('cmdb-alerting.secret.key', { secret: label })}
                placeholder={t('cmdb-alerting.secret.keyPlaceholder')}
                value={ref.key}
                onChange={(e) => setSecret(key, { key: e.target.value })}
              />
            </span>
            <Hint>{t('cmdb-alerting.secret.hint')}</Hint>
            {key === 'callbackAesKey' && (
              <Hint>
                {t('cmdb-alerting.secret.callbackHint', { path: wecomCallbackPath(props.scope, draft.name) })}
              </Hint>
            )}
          </React.Fragment>
        );
      })}
      {fields.recipientField && (
        <>
          <TextField
            form={form}
            field="recipients"
            id="r-recipients"
            label={t(`cmdb-alerting.recipients.${fields.recipientField}`)}
            multiline
            hint={t('cmdb-alerting.recipients.hint')}
          />
        </>
      )}
      <FormFooter form={form} onCancel={props.onCancel} />
    </Form>
  );
}
