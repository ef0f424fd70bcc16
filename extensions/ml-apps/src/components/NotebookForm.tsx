import React from 'react';
import type { Notebook, NotebookOptions } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { createNotebook } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { Form } from './Form.js';
import { FormFooter, GpuFields, useDraftForm } from './form-kit.js';
import { CUSTOM_IMAGE, emptyDraft, toCreateBody, type NotebookDraft } from './notebook-draft.js';

const WORKSPACE_CHOICES = ['new', 'existing', 'none'] as const;
const WORKSPACE_LABELS: Record<NotebookDraft['workspace'], string> = {
  new: 'ml-apps.form.workspaceNew',
  existing: 'ml-apps.form.workspaceExisting',
  none: 'ml-apps.form.workspaceNone',
};

/** The create form: the platform's images (or a custom one), CPU, memory, a GPU from the cluster's, volumes, env. */
export function NotebookForm(props: {
  namespace: string;
  cluster: string | undefined;
  options: NotebookOptions;
  onCreated: (notebook: Notebook) => void;
  onCancel: () => void;
}) {
  const { options } = props;
  const form = useDraftForm({
    initial: emptyDraft(options.images[0] ?? CUSTOM_IMAGE),
    toBody: toCreateBody,
    send: (body) => createNotebook(props.namespace, props.cluster, body),
    onSent: props.onCreated,
  });
  const { draft, set, text, choice } = form;

  return (
    <Form data-testid={ML_IDS.form} onSubmit={(e) => void form.submit(e)}>
      {text('name', t('ml-apps.form.name'))}
      {choice('image', t('ml-apps.form.image'), [...options.images, CUSTOM_IMAGE], (image) =>
        image === CUSTOM_IMAGE ? t('ml-apps.form.customImage') : image,
      )}
      {draft.image === CUSTOM_IMAGE && text('customImage', t('ml-apps.form.customImage'))}
      {text('cpu', t('ml-apps.form.cpu'))}
      {text('memory', t('ml-apps.form.memory'))}
      <GpuFields gpus={options.gpus} form={form} label={t('ml-apps.form.gpu')} />
      {choice('workspace', t('ml-apps.form.workspace'), WORKSPACE_CHOICES, (workspace) =>
        t(WORKSPACE_LABELS[workspace]),
      )}
      {draft.workspace === 'new' && text('workspaceSize', t('ml-apps.form.size'))}
      {draft.workspace === 'new' && text('storageClass', t('ml-apps.form.storageClass'))}
      {draft.workspace === 'existing' &&
        // '' until one is chosen: the draft's validation names the missing claim.
        choice('workspaceClaim', t('ml-apps.form.claim'), ['', ...options.claims], (claim) => claim)}
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
      {form.textArea('env', t('ml-apps.form.env'))}
      <FormFooter
        form={form}
        submitLabel={t('ml-apps.form.create')}
        submitTestId={ML_IDS.submit}
        onCancel={props.onCancel}
      />
    </Form>
  );
}
