// What the cmdb-alerting pages share: the form grid, a button that asks before it acts, a state badge, and the
// draft-and-submit flow (a local problem before any request, the backend's refusal as it says it).
import React from 'react';
import styled from 'styled-components';
import {
  confirmButtonWith,
  FormFooter as SharedFormFooter,
  FormGrid,
  t,
  useDraftSubmit,
} from '@ks-gpu-ml/ui';
import { ALERTING_IDS } from '../test-ids.js';
import type { Built, DraftProblem } from './drafts.js';
import { waitParts } from './timeline.js';

// The grid is the shared kit's; cmdb-alerting's forms are wider and mark an invalid input red.
export const Form = styled(FormGrid)`
  margin-bottom: 12px;
  grid-template-columns: 200px 1fr;
  input,
  select,
  textarea {
    max-width: 460px;
  }
  textarea {
    height: 72px;
    padding: 6px 8px;
  }
  [aria-invalid='true'] {
    border-color: #ca2621;
  }
`;
export const Hint = styled.div`
  grid-column: 2 / 3;
  margin-top: -6px;
  font-size: 12px;
  color: #79879c;
`;
/** A white card of a page (an alert's facts, its business, its delivery trail, a mapping), titled by an h2. */
export const Card = styled.div`
  background: #fff;
  border-radius: 4px;
  padding: 16px 20px;
  margin-bottom: 12px;
  h2 {
    font-size: 14px;
    margin: 0 0 12px;
  }
`;
/** A white panel like the forms', for what sits beside one (a result, a list under a form). */
export const Panel = styled.section`
  background: #fff;
  border-radius: 4px;
  padding: 16px 20px;
  margin-bottom: 12px;
  h3 {
    font-size: 14px;
    margin: 0 0 12px;
  }
`;
export const Toolbar = styled.div`
  display: flex;
  gap: 8px;
  margin-bottom: 12px;
`;

const COLORS: Record<string, string> = {
  critical: '#ca2621',
  error: '#ca2621',
  warning: '#f5a623',
  info: '#3385ff',
  firing: '#ca2621',
  resolved: '#55bc8a',
  escalating: '#f5a623',
  acknowledged: '#55bc8a',
  exhausted: '#ca2621',
  active: '#55bc8a',
  pending: '#f5a623',
  expired: '#79879c',
};

/** A coloured word: a severity, a status, a state. */
export function Badge({ value, label, testId }: { value: string; label?: string; testId?: string }) {
  const color = COLORS[value.toLowerCase()] ?? '#79879c';
  return (
    <span
      data-testid={testId}
      style={{ color, border: `1px solid ${color}`, borderRadius: 10, padding: '0 8px', fontSize: 12 }}
    >
      {label ?? value}
    </span>
  );
}

/** A button whose action runs only after its question is confirmed (the shared one, with this extension's words). */
export const ConfirmButton = confirmButtonWith({
  yes: () => t('cmdb-alerting.confirm.yes'),
  no: () => t('cmdb-alerting.form.cancel'),
  yesTestId: ALERTING_IDS.confirm,
  noTestId: ALERTING_IDS.cancel,
});

/** A policy step's wait, in the page's language. */
export function waitText(seconds: number): string {
  const { key, params } = waitParts(seconds);
  return t(`cmdb-alerting.wait.${key}`, params);
}

/** The message a draft problem shows. */
export const problemText = (p: DraftProblem) => t(`cmdb-alerting.invalid.${p.key}`, p.params);

interface Failure {
  message: string;
  field?: string;
}

/**
 * A draft and its submit (the shared hook): a local problem in the page's words, the backend's refusal as it says it,
 * with the field it names marked.
 */
export function useDraftForm<D, B, R>(opts: {
  initial: D;
  toBody: (draft: D) => Built<B>;
  send: (body: B) => Promise<R>;
  onSent: (reply: R) => void;
}) {
  const form = useDraftSubmit({
    ...opts,
    problemFailure: (p: DraftProblem): Failure => ({ field: p.field, message: problemText(p) }),
    errorFailure: (apiError): Failure => ({
      message: apiError.message || `HTTP ${apiError.status}`,
      ...(fieldOf(apiError.message) ? { field: fieldOf(apiError.message)! } : {}),
    }),
  });
  const { failure } = form;
  const invalid = (field: string) => failure?.field === field;
  return { ...form, invalid };
}

/**
 * The policy and receiver editors' form (they had each written it): the draft of the thing edited, or an empty one,
 * saved as an update or a create.
 */
export function useEditorForm<T, D, B, R>(opts: {
  edited: T | undefined;
  draftOf: (edited: T) => D;
  empty: () => D;
  toBody: (draft: D) => Built<B>;
  save: (body: B, existing: boolean) => Promise<R>;
  onSaved: () => void;
}) {
  const editing = opts.edited !== undefined;
  const form = useDraftForm({
    initial: opts.edited !== undefined ? opts.draftOf(opts.edited) : opts.empty(),
    toBody: opts.toBody,
    send: (body) => opts.save(body, editing),
    onSent: opts.onSaved,
  });
  return {
    ...form,
    editing,
    submitLabel: t(editing ? 'cmdb-alerting.form.save' : 'cmdb-alerting.form.create'),
  };
}

/** An editor's name input: fixed once the thing exists, since the name is its key. */
export function NameField(props: {
  id: string;
  label: string;
  form: {
    draft: { name: string };
    editing: boolean;
    invalid: (field: string) => boolean;
    set: (patch: { name: string }) => void;
  };
}) {
  const { form } = props;
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        value={form.draft.name}
        disabled={form.editing}
        aria-invalid={form.invalid('name')}
        onChange={(e) => form.set({ name: e.target.value })}
      />
    </>
  );
}

/**
 * A labelled text input (a textarea when `multiline`) bound to a string field of the draft and marked when the
 * failure names that field, with an optional hint below: the fields the silence, policy and receiver forms repeated.
 */
export function TextField<D>(props: {
  form: { draft: D; set: (patch: Partial<D>) => void; invalid: (field: string) => boolean };
  field: keyof D & string;
  id: string;
  label: string;
  multiline?: boolean;
  hint?: string;
}) {
  const { form, field } = props;
  const input = {
    id: props.id,
    value: String(form.draft[field]),
    'aria-invalid': form.invalid(field),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      form.set({ [field]: e.target.value } as Partial<D>),
  };
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      {props.multiline ? <textarea {...input} /> : <input {...input} />}
      {props.hint !== undefined && <Hint>{props.hint}</Hint>}
    </>
  );
}

/** The field a backend 400 names (`body.secretRefs.webhookKey` → `secrets.webhookKey`), to mark its input. */
export function fieldOf(message: string): string | undefined {
  const m = /\bbody\.([\w.]+)/.exec(message);
  if (!m) return undefined;
  return m[1]!.replace(/^secretRefs\./, 'secrets.');
}

/** The shared footer with cmdb-alerting's test ids and cancel word. */
export function FormFooter(props: {
  /** The form's state; an editor's form also says what its submit is called (save or create). */
  form: { failure: { message: string } | undefined; busy: boolean; submitLabel?: string };
  submitLabel?: string;
  onCancel: () => void;
}) {
  return (
    <SharedFormFooter
      {...props}
      submitLabel={props.submitLabel ?? props.form.submitLabel ?? ''}
      submitTestId={ALERTING_IDS.submit}
      errorTestId={ALERTING_IDS.formError}
      cancelLabel={t('cmdb-alerting.form.cancel')}
    />
  );
}
