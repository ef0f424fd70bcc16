import React, { useState } from 'react';
import { Button } from '@kubed/components';
import type { Notebook, NotebookOptions } from '@ks-gpu-ml/contracts';
import { t, type ApiError } from '@ks-gpu-ml/ui';
import { createNotebook } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { Form, FormError } from './Form.js';
import { PrecheckRefusals } from './PrecheckRefusals.js';
import { CUSTOM_IMAGE, emptyDraft, refusalsOf, toCreateBody, type NotebookDraft } from './notebook-draft.js';

/** The create form: the platform's images (or a custom one), CPU, memory, a GPU from the cluster's, volumes, env. */
export function NotebookForm(props: {
  namespace: string;
  cluster: string | undefined;
  options: NotebookOptions;
  onCreated: (notebook: Notebook) => void;
  onCancel: () => void;
}) {
  const { options } = props;
  const [draft, setDraft] = useState<NotebookDraft>(emptyDraft(options.images[0] ?? CUSTOM_IMAGE));
  const [error, setError] = useState<{ message: string; field?: string; error?: ApiError }>();
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<NotebookDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const gpu = options.gpus.find((g) => g.resource === draft.gpuResource);
  const field = (name: keyof NotebookDraft, label: string, input: React.ReactElement) => (
    <>
      <label htmlFor={`nb-${name}`}>{label}</label>
      {React.cloneElement(input, { id: `nb-${name}`, 'aria-invalid': error?.field === name })}
    </>
  );
  const text = (name: keyof NotebookDraft, label: string) =>
    field(
      name,
      label,
      <input value={draft[name] as string} onChange={(e) => set({ [name]: e.target.value })} />,
    );

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const out = toCreateBody(draft);
    if ('problem' in out) {
      setError({ field: out.problem.field, message: t(`ml-apps.form.invalid.${out.problem.key}`) });
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      props.onCreated(await createNotebook(props.namespace, props.cluster, out.body));
    } catch (err) {
      const apiError = err as ApiError;
      setError({ message: apiError.message, error: apiError });
    } finally {
      setBusy(false);
    }
  };
  const refusals = error?.error ? refusalsOf(error.error.details) : [];

  return (
    <Form data-testid={ML_IDS.form} onSubmit={(e) => void submit(e)}>
      {text('name', t('ml-apps.form.name'))}
      {field(
        'image',
        t('ml-apps.form.image'),
        <select value={draft.image} onChange={(e) => set({ image: e.target.value })}>
          {options.images.map((image) => (
            <option key={image} value={image}>
              {image}
            </option>
          ))}
          <option value={CUSTOM_IMAGE}>{t('ml-apps.form.customImage')}</option>
        </select>,
      )}
      {draft.image === CUSTOM_IMAGE && text('customImage', t('ml-apps.form.customImage'))}
      {text('cpu', t('ml-apps.form.cpu'))}
      {text('memory', t('ml-apps.form.memory'))}
      {field(
        'gpuResource',
        t('ml-apps.form.gpu'),
        <select
          value={draft.gpuResource}
          onChange={(e) => set({ gpuResource: e.target.value, gpuModel: '' })}
        >
          <option value="">{t('ml-apps.form.noGpu')}</option>
          {options.gpus.map((g) => (
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
        'workspace',
        t('ml-apps.form.workspace'),
        <select
          value={draft.workspace}
          onChange={(e) => set({ workspace: e.target.value as NotebookDraft['workspace'] })}
        >
          <option value="new">{t('ml-apps.form.workspaceNew')}</option>
          <option value="existing">{t('ml-apps.form.workspaceExisting')}</option>
          <option value="none">{t('ml-apps.form.workspaceNone')}</option>
        </select>,
      )}
      {draft.workspace === 'new' && text('workspaceSize', t('ml-apps.form.size'))}
      {draft.workspace === 'new' && text('storageClass', t('ml-apps.form.storageClass'))}
      {draft.workspace === 'existing' &&
        field(
          'workspaceClaim',
          t('ml-apps.form.claim'),
          <select value={draft.workspaceClaim} onChange={(e) => set({ workspaceClaim: e.target.value })}>
            <option value="" />
            {options.claims.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>,
        )}
      {options.claims.map((claim) => {
        const v = draft.dataVolumes[claim] ?? { mounted: false, readOnly: true };
        const put = (patch: Partial<typeof v>) =>
          set({ dataVolumes: { ...draft.dataVolumes, [claim]: { ...v, ...patch } } });
        return (
          <React.Fragment key={claim}>
            <span>{t('ml-apps.form.dataVolume', { claim })}</span>
            <span>
              <label>
                <input
                  type="checkbox"
                  checked={v.mounted}
                  onChange={(e) => put({ mounted: e.target.checked })}
                />{' '}
                {t('ml-apps.form.mountAt', { path: `/data/${claim}` })}
              </label>{' '}
              <label>
                <input
                  type="checkbox"
                  checked={v.readOnly}
                  onChange={(e) => put({ readOnly: e.target.checked })}
                />{' '}
                {t('ml-apps.form.readOnly')}
              </label>
            </span>
          </React.Fragment>
        );
      })}
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
        <Button type="submit" color="secondary" disabled={busy} data-testid={ML_IDS.submit}>
          {t('ml-apps.form.create')}
        </Button>{' '}
        <Button type="button" onClick={props.onCancel}>
          {t('ml-apps.form.cancel')}
        </Button>
      </span>
    </Form>
  );
}
