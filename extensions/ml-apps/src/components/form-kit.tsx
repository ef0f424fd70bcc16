// What the notebook and the training-job forms share: the draft and its submit (checked locally first, then sent;
// a refusal kept with the field it names and the pre-check's numbers), labelled fields, the GPU choice from the
// cluster's, and the error and the buttons at the bottom.
import React from 'react';
import type { NotebookOptions, PrecheckRefusal } from '@ks-gpu-ml/contracts';
import { ChoiceSelect, FormFooter as SharedFormFooter, t, useDraftSubmit } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';
import { PrecheckRefusals } from './PrecheckRefusals.js';
import { refusalsOf, type DraftProblem } from './notebook-draft.js';

interface FormFailure {
  message: string;
  field?: string;
  refusals: PrecheckRefusal[];
}

/** A form's draft and its submit: `toBody` refuses bad text before any request, `send` makes the request. */
export function useDraftForm<D, B, R>(opts: {
  initial: D;
  toBody: (draft: D) => { body: B } | { problem: DraftProblem<keyof D> };
  send: (body: B) => Promise<R>;
  onSent: (reply: R) => void;
}) {
  const { draft, set, setDraft, failure, busy, submit } = useDraftSubmit({
    ...opts,
    problemFailure: ({ field, key }: DraftProblem<keyof D>): FormFailure => ({
      field: String(field),
      message: t(`ml-apps.form.invalid.${key}`),
      refusals: [],
    }),
    errorFailure: (apiError): FormFailure => ({
      message: apiError.message,
      refusals: refusalsOf(apiError.details),
    }),
  });
  /** A labelled input whose id and aria-invalid follow the field's name. */
  const field = (name: keyof D, label: string, input: React.ReactElement) => (
    <>
      <label htmlFor={`f-${String(name)}`}>{label}</label>
      {React.cloneElement(input, { id: `f-${String(name)}`, 'aria-invalid': failure?.field === name })}
    </>
  );
  /** The value and change handler that bind an input to a string field of the draft. */
  const bind = (name: keyof D) => ({
    value: String(draft[name]),
    onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) =>
      set({ [name]: e.target.value } as unknown as Partial<D>),
  });
  /** A text input bound to a string field of the draft. */
  const text = (name: keyof D, label: string) => field(name, label, <input {...bind(name)} />);
  /** A textarea bound to a string field of the draft (the env, metrics and parameters lists). */
  const textArea = (name: keyof D, label: string) => field(name, label, <textarea {...bind(name)} />);
  /** A select of `choices` bound to a field of the draft, each choice worded by `word`. */
  const choice = <K extends keyof D, C extends D[K] & (string | number)>(
    name: K,
    label: string,
    choices: readonly C[],
    word: (choice: C) => string,
  ) =>
    field(
      name,
      label,
      <ChoiceSelect
        value={draft[name] as C}
        choices={choices}
        label={word}
        onChange={(chosen) => set({ [name]: chosen } as unknown as Partial<D>)}
      />,
    );
  return { draft, set, setDraft, failure, busy, submit, field, text, textArea, choice };
}

/** What GpuFields needs of a form. */
export interface DraftForm<D> {
  draft: D;
  set(patch: Partial<D>): void;
  field(name: keyof D, label: string, input: React.ReactElement): React.ReactElement;
  text(name: keyof D, label: string): React.ReactElement;
}

interface GpuDraft {
  gpuResource: string;
  gpuCount: string;
  gpuModel: string;
}

/** What a labelled field's select takes besides its value (`field` sets id and aria-invalid by cloning). */
interface ChoiceFieldProps {
  id?: string;
  'aria-invalid'?: boolean;
  testId?: string;
}

/** The GPU resource to ask for, or none ('' first): each as the cluster offers it, with the most one node has free. */
export function GpuResourceChoice(
  props: ChoiceFieldProps & {
    gpus: NotebookOptions['gpus'];
    value: string;
    onChange: (resource: string) => void;
  },
) {
  const { gpus, ...select } = props;
  const words = new Map(
    gpus.map((g) => [g.resource, t('ml-apps.form.gpuOption', { resource: g.resource, free: g.largestFree })]),
  );
  return (
    <ChoiceSelect
      {...select}
      choices={['', ...gpus.map((g) => g.resource)]}
      label={(resource) => words.get(resource) ?? t('ml-apps.form.noGpu')}
    />
  );
}

/** The GPU model of the chosen resource, or any ('' first). */
export function GpuModelChoice(
  props: ChoiceFieldProps & { models: readonly string[]; value: string; onChange: (model: string) => void },
) {
  const { models, ...select } = props;
  return (
    <ChoiceSelect
      {...select}
      choices={['', ...models]}
      label={(model) => model || t('ml-apps.form.anyModel')}
    />
  );
}

/** The GPU resource (as the cluster offers it, with the most one node has free), then its count and model. */
export function GpuFields<D extends GpuDraft>(props: {
  gpus: NotebookOptions['gpus'];
  form: DraftForm<D>;
  label: string;
}) {
  const { form } = props;
  const gpu = props.gpus.find((g) => g.resource === form.draft.gpuResource);
  const choose = (patch: Partial<GpuDraft>) => form.set(patch as Partial<D>);
  return (
    <>
      {form.field(
        'gpuResource',
        props.label,
        <GpuResourceChoice
          gpus={props.gpus}
          value={form.draft.gpuResource}
          onChange={(gpuResource) => choose({ gpuResource, gpuModel: '' })}
        />,
      )}
      {gpu && form.text('gpuCount', t('ml-apps.form.gpuCount'))}
      {gpu &&
        gpu.models.length > 0 &&
        form.field(
          'gpuModel',
          t('ml-apps.form.gpuModel'),
          <GpuModelChoice
            models={gpu.models}
            value={form.draft.gpuModel}
            onChange={(gpuModel) => choose({ gpuModel })}
          />,
        )}
    </>
  );
}

/** The shared footer with ml-apps' error test id and cancel word; under the failure, the pre-check's numbers. */
export function FormFooter(props: {
  /** The form's state: its failure and whether it is sending. */
  form: { failure: FormFailure | undefined; busy: boolean };
  submitLabel: string;
  submitTestId: string;
  onCancel: () => void;
}) {
  const { failure } = props.form;
  return (
    <SharedFormFooter {...props} errorTestId={ML_IDS.formError} cancelLabel={t('ml-apps.form.cancel')}>
      {failure && failure.refusals.length > 0 && <PrecheckRefusals refusals={failure.refusals} />}
    </SharedFormFooter>
  );
}
