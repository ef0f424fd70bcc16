// The form pieces every extension's create/edit forms had written again: a button that asks before it acts, the
// label-and-input grid, the error line, the submit/cancel footer and the draft-then-submit hook. They live here once;
// each extension passes its own words and test ids (the tests select by those, so they stay the extension's).
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import styled from 'styled-components';
import type { ApiError } from '../api-error.js';

/** The words (read when shown, so they follow the page's language) and test ids of a ConfirmButton's answers. */
export interface ConfirmAnswers {
  yes: () => string;
  no: () => string;
  yesTestId: string;
  noTestId: string;
}

export interface ConfirmButtonProps {
  label: string;
  question: string;
  testId: string;
  onConfirm: () => void;
  answers: ConfirmAnswers;
}

/** A button whose action runs only after the question it asks is confirmed. */
export function ConfirmButton(props: ConfirmButtonProps) {
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
        data-testid={props.answers.yesTestId}
        onClick={() => {
          setAsking(false);
          props.onConfirm();
        }}
      >
        {props.answers.yes()}
      </Button>{' '}
      <Button size="sm" data-testid={props.answers.noTestId} onClick={() => setAsking(false)}>
        {props.answers.no()}
      </Button>
    </span>
  );
}

/** The ConfirmButton with one extension's answers, so that its pages pass only what differs per button. */
export function confirmButtonWith(answers: ConfirmAnswers) {
  return (props: Omit<ConfirmButtonProps, 'answers'>) => <ConfirmButton {...props} answers={answers} />;
}

/** A form as a grid: a label column and an input column (an extension may widen or restyle it with styled()). */
export const FormGrid = styled.form`
  background: #fff;
  border-radius: 4px;
  padding: 16px 20px;
  display: grid;
  grid-template-columns: 180px 1fr;
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
    max-width: 420px;
  }
  textarea {
    height: 64px;
  }
`;

/** A form's error line, across both columns of the grid. */
export const FormError = styled.div`
  grid-column: 1 / 3;
  color: #ca2621;
`;

/** The failure (with whatever more the extension shows under it), then the submit and cancel buttons. */
export function FormFooter(props: {
  /** The form's state: its failure and whether it is sending. */
  form: { failure: { message: string } | undefined; busy: boolean };
  submitLabel: string;
  submitTestId: string;
  errorTestId: string;
  cancelLabel: string;
  onCancel: () => void;
  children?: React.ReactNode;
}) {
  return (
    <>
      {props.form.failure && (
        <FormError data-testid={props.errorTestId} role="alert">
          {props.form.failure.message}
          {props.children}
        </FormError>
      )}
      <span />
      <span>
        <Button type="submit" color="secondary" disabled={props.form.busy} data-testid={props.submitTestId}>
          {props.submitLabel}
        </Button>{' '}
        <Button type="button" onClick={props.onCancel}>
          {props.cancelLabel}
        </Button>
      </span>
    </>
  );
}

/**
 * A draft and its submit: `toBody` refuses bad text before any request (`problemFailure` says how), `send` makes the
 * request, and a refusal becomes the failure `errorFailure` makes of it.
 */
export function useDraftSubmit<D, B, R, P, F>(opts: {
  initial: D;
  toBody: (draft: D) => { body: B } | { problem: P };
  send: (body: B) => Promise<R>;
  onSent: (reply: R) => void;
  problemFailure: (problem: P) => F;
  errorFailure: (error: ApiError) => F;
}) {
  const [draft, setDraft] = useState<D>(opts.initial);
  const [failure, setFailure] = useState<F>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<D>) => setDraft((d) => ({ ...d, ...patch }));
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const out = opts.toBody(draft);
    if ('problem' in out) {
      setFailure(opts.problemFailure(out.problem));
      return;
    }
    setBusy(true);
    setFailure(undefined);
    try {
      opts.onSent(await opts.send(out.body));
    } catch (err) {
      setFailure(opts.errorFailure(err as ApiError));
    } finally {
      setBusy(false);
    }
  };
  return { draft, set, setDraft, failure, busy, submit };
}
