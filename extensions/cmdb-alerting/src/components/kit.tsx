// What the cmdb-alerting pages share: the form grid, a button that asks before it acts, a state badge, and the
// draft-and-submit flow (a local problem before any request, the backend's refusal as it says it).
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import styled from 'styled-components';
import { t, type ApiError } from '@ks-gpu-ml/ui';
import { ALERTING_IDS } from '../test-ids.js';
import type { Built, DraftProblem } from './drafts.js';
import { waitParts } from './timeline.js';

export const Form = styled.form`
  background: #fff;
  border-radius: 4px;
  padding: 16px 20px;
  margin-bottom: 12px;
  display: grid;
  grid-template-columns: 200px 1fr;
  gap: 10px 16px;
  align-items: center;
  label {
    color: #36435c;
  }
  input,
  select,
  textarea {
    height: 32px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    padding: 0 8px;
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
export const FormError = styled.div`
  grid-column: 1 / 3;
  color: #ca2621;
`;
export const Hint = styled.div`
  grid-column: 2 / 3;
  margin-top: -6px;
  font-size: 12px;
  color: #79879c;
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

/** A button whose action runs only after the question it asks is confirmed. */
export function ConfirmButton(props: {
  label: string;
  question: string;
  testId: string;
  onConfirm: () => void;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button size="sm" data-testid={props.testId} onClick={() => setAsking(true)}>
        {props.label}
      </Button>
    );
  }
  return (
    <span>
      {props.question}{' '}
      <Button
        size="sm"
        color="error"
        data-testid={ALERTING_IDS.confirm}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {t('cmdb-alerting.confirm.yes')}
      </Button>{' '}
      <Button size="sm" data-testid={ALERTING_IDS.cancel} onClick={() => setAsking(false)}>
        {t('cmdb-alerting.form.cancel')}
      </Button>
    </span>
  );
}

/** A policy step's wait, in the page's language. */
export function waitText(seconds: number): string {
  const { key, params } = waitParts(seconds);
  return t(`cmdb-alerting.wait.${key}`, params);
}

/** The message a draft problem shows. */
export const problemText = (p: DraftProblem) => t(`cmdb-alerting.invalid.${p.key}`, p.params);

/** A draft and its submit: `toBody` refuses bad text before any request, `send` makes the request. */
export function useDraftForm<D, B, R>(opts: {
  initial: D;
  toBody: (draft: D) => Built<B>;
  send: (body: B) => Promise<R>;
  onSent: (reply: R) => void;
}) {
  const [draft, setDraft] = useState<D>(opts.initial);
  const [failure, setFailure] = useState<{ message: string; field?: string }>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<D>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const out = opts.toBody(draft);
    if ('problem' in out) {
      setFailure({ field: out.problem.field, message: problemText(out.problem) });
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      opts.onSent(await opts.send(out.body));
    } catch (err) {
      const apiError = err as ApiError;
      setFailure({
        message: apiError.message || `HTTP ${apiError.status}`,
        ...(fieldOf(apiError.message) ? { field: fieldOf(apiError.message)! } : {}),
      });
    } finally {
      setBusy(false);
    }
  };
  const invalid = (field: string) => failure?.field === field;
  return { draft, set, setDraft, failure, busy, submit, invalid };
}

/** The field a backend 400 names (`body.secretRefs.webhookKey` → `secrets.webhookKey`), to mark its input. */
export function fieldOf(message: string): string | undefined {
  const m = /\bbody\.([\w.]+)/.exec(message);
  if (!m) return undefined;
  return m[1]!.replace(/^secretRefs\./, 'secrets.');
}

/** The failure, then the submit and cancel buttons, at the bottom of a form. */
export function FormFooter(props: {
  failure: { message: string } | undefined;
  busy: boolean;
  submitLabel: string;
  onCancel: () => void;
}) {
  return (
    <>
      {props.failure && (
        <FormError data-testid={ALERTING_IDS.formError} role="alert">
          {props.failure.message}
        </FormError>
      )}
      <span />
      <span>
        <Button type="submit" color="secondary" disabled={props.busy} data-testid={ALERTING_IDS.submit}>
          {props.submitLabel}
        </Button>{' '}
        <Button type="button" onClick={props.onCancel}>
          {t('cmdb-alerting.form.cancel')}
        </Button>
      </span>
    </>
  );
}
