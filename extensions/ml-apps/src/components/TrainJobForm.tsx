import React, { useState } from 'react';
import { Button } from '@kubed/components';
import type { NotebookOptions, TrainJob } from '@ks-gpu-ml/contracts';
import { t, type ApiError } from '@ks-gpu-ml/ui';
import { createTrainJob } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { Form, FormError } from './Form.js';
import { PrecheckRefusals } from './PrecheckRefusals.js';
import { refusalsOf } from './notebook-draft.js';
import { emptyTrainJobDraft, toTrainJobBody, type TrainJobDraft } from './trainjob-draft.js';

/** The submit form: runtime, trainer image and command, nodes, and per node CPU, memory and GPUs; env. */
export function TrainJobForm(props: {
  namespace: string;
  cluster: string | undefined;
  options: NotebookOptions;
  onCreated: (job: TrainJob) => void;
  onCancel: () => void;
}) {
  const [draft, setDraft] = useState<TrainJobDraft>(emptyTrainJobDraft());
  const [error, setError] = useState<{ message: string; field?: string; error?: ApiError }>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<TrainJobDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const gpu = props.options.gpus.find((g) => g.resource === draft.gpuResource);
  const field = (name: keyof TrainJobDraft, label: string, input: React.ReactElement) => (
    <>
      <label htmlFor={`tj-${name}`}>{label}</label>
      {React.cloneElement(input, { id: `tj-${name}`, 'aria-invalid': error?.field === name })}
    </>
  );
  const text = (name: keyof TrainJobDraft, label: string) =>
    field(name, label, <input value={draft[name]} onChange={(e) => set({ [name]: e.target.value })} />);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const out = toTrainJobBody(draft);
    if ('problem' in out) {
      setError({ field: out.problem.field, message: t(`ml-apps.form.invalid.${out.problem.key}`) });
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      props.onCreated(await createTrainJob(props.namespace, props.cluster, out.body));
    } catch (err) {
      const apiError = err as ApiError;
      setError({ message: apiError.message, error: apiError });
    } finally {
      setBusy(false);
    }
  };
  const refusals = error?.error ? refusalsOf(error.error.details) : [];

  return (
    <Form data-testid={ML_IDS.trainJobForm} onSubmit={(e) => void submit(e)}>
      {text('name', t('ml-apps.form.name'))}
      {field(
        'runtimeKind',
        t('ml-apps.trainjobs.runtimeKind'),
        <select
          value={draft.runtimeKind}
          onChange={(e) => set({ runtimeKind: e.target.value as TrainJobDraft['runtimeKind'] })}
        >
          <option value="ClusterTrainingRuntime">{t('ml-apps.trainjobs.clusterRuntime')}</option>
          <option value="TrainingRuntime">{t('ml-apps.trainjobs.projectRuntime')}</option>
        </select>,
      )}
      {text('runtimeName', t('ml-apps.trainjobs.runtime'))}
      {text('image', t('ml-apps.form.image'))}
      {text('command', t('ml-apps.trainjobs.command'))}
      {text('numNodes', t('ml-apps.trainjobs.numNodes'))}
      {text('cpu', t('ml-apps.trainjobs.cpuPerNode'))}
      {text('memory', t('ml-apps.trainjobs.memoryPerNode'))}
      {field(
        'gpuResource',
        t('ml-apps.trainjobs.gpuPerNode'),
        <select
          value={draft.gpuResource}
          onChange={(e) => set({ gpuResource: e.target.value, gpuModel: '' })}
        >
          <option value="">{t('ml-apps.form.noGpu')}</option>
          {props.options.gpus.map((g) => (
            <option key={g.resource} value={g.resource}>
              {t('ml-apps.form.gpuOption', { resource: g.resource, free: g.largestFree })}
            </option>
          ))}
        </select>,
      )}
      {gpu && text('gpuCount', t('ml-apps.form.gpuCount'))}
      {gpu &&
        gpu.models.length > 0 &&
        field(
          'gpuModel',
          t('ml-apps.form.gpuModel'),
          <select value={draft.gpuModel} onChange={(e) => set({ gpuModel: e.target.value })}>
            <option value="">{t('ml-apps.form.anyModel')}</option>
            {gpu.models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>,
        )}
      {field(
        'env',
        t('ml-apps.form.env'),
        <textarea value={draft.env} onChange={(e) => set({ env: e.target.value })} />,
      )}
      {error && (
        <FormError data-testid={ML_IDS.formError} role="alert">
          {error.message}
          {refusals.length > 0 && <PrecheckRefusals refusals={refusals} />}
        </FormError>
      )}
      <span />
      <span>
        <Button type="submit" color="secondary" disabled={busy} data-testid={ML_IDS.trainJobSubmit}>
          {t('ml-apps.trainjobs.submit')}
        </Button>{' '}
        <Button type="button" onClick={props.onCancel}>
          {t('ml-apps.form.cancel')}
        </Button>
      </span>
    </Form>
  );
}
