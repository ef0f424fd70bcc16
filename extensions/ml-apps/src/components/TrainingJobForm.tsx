import React from 'react';
import {
  TRAINING_REPLICA_TYPES,
  type NotebookOptions,
  type TrainingJob,
  type TrainingJobKind,
} from '@ks-gpu-ml/contracts';
import { ChoiceSelect, t } from '@ks-gpu-ml/ui';
import { createTrainingJob } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { Form } from './Form.js';
import { FormFooter, GpuModelChoice, GpuResourceChoice, useDraftForm } from './form-kit.js';
import {
  emptyTrainingJobDraft,
  toTrainingJobBody,
  withKind,
  type ReplicaDraft,
} from './training-job-draft.js';

/** One replica type: whether it runs, how many, and each replica's image, command, CPU, memory and GPUs. */
function ReplicaFields(props: {
  type: string;
  draft: ReplicaDraft;
  gpus: NotebookOptions['gpus'];
  set: (patch: Partial<ReplicaDraft>) => void;
}) {
  const { type, draft, set } = props;
  const id = (name: string) => `f-${type}-${name}`;
  const input = (name: keyof ReplicaDraft, label: string) => (
    <>
      <label htmlFor={id(name)}>{label}</label>
      <input
        id={id(name)}
        data-testid={ML_IDS.replicaField(type, name)}
        value={String(draft[name])}
        onChange={(e) => set({ [name]: e.target.value })}
      />
    </>
  );
  const gpu = props.gpus.find((g) => g.resource === draft.gpuResource);
  return (
    <>
      <label htmlFor={id('enabled')}>
        <strong>{type}</strong>
      </label>
      <span>
        <input
          id={id('enabled')}
          type="checkbox"
          style={{ height: 'auto' }}
          data-testid={ML_IDS.replicaField(type, 'enabled')}
          checked={draft.enabled}
          onChange={(e) => set({ enabled: e.target.checked })}
        />{' '}
        {t('ml-apps.trainingjobs.runType', { type })}
      </span>
      {draft.enabled && (
        <>
          {input('replicas', t('ml-apps.trainingjobs.replicaCount'))}
          {input('image', t('ml-apps.form.image'))}
          {input('command', t('ml-apps.trainjobs.command'))}
          {input('cpu', t('ml-apps.trainingjobs.cpuPerReplica'))}
          {input('memory', t('ml-apps.trainingjobs.memoryPerReplica'))}
          <label htmlFor={id('gpuResource')}>{t('ml-apps.trainingjobs.gpuPerReplica')}</label>
          <GpuResourceChoice
            id={id('gpuResource')}
            testId={ML_IDS.replicaField(type, 'gpuResource')}
            gpus={props.gpus}
            value={draft.gpuResource}
            onChange={(gpuResource) => set({ gpuResource, gpuModel: '' })}
          />
          {gpu && input('gpuCount', t('ml-apps.form.gpuCount'))}
          {gpu && gpu.models.length > 0 && (
            <>
              <label htmlFor={id('gpuModel')}>{t('ml-apps.form.gpuModel')}</label>
              <GpuModelChoice
                id={id('gpuModel')}
                models={gpu.models}
                value={draft.gpuModel}
                onChange={(gpuModel) => set({ gpuModel })}
              />
            </>
          )}
        </>
      )}
    </>
  );
}

/** The v1 submit form: the kind (of those the cluster serves), the name, each replica type of the kind, env. */
export function TrainingJobForm(props: {
  namespace: string;
  cluster: string | undefined;
  kinds: readonly TrainingJobKind[];
  options: NotebookOptions;
  onCreated: (job: TrainingJob) => void;
  onCancel: () => void;
}) {
  const form = useDraftForm({
    initial: emptyTrainingJobDraft(props.kinds[0] ?? 'PyTorchJob'),
    toBody: toTrainingJobBody,
    send: (body) => createTrainingJob(props.namespace, props.cluster, body),
    onSent: props.onCreated,
  });
  const { draft, set, field, text } = form;
  const setReplica = (type: string, patch: Partial<ReplicaDraft>) =>
    set({ replicas: { ...draft.replicas, [type]: { ...draft.replicas[type]!, ...patch } } });

  return (
    <Form data-testid={ML_IDS.trainingJobForm} onSubmit={(e) => void form.submit(e)}>
      {field(
        'kind',
        t('ml-apps.trainingjobs.kind'),
        <ChoiceSelect
          testId={ML_IDS.trainingJobKind}
          value={draft.kind}
          choices={props.kinds}
          label={(kind) => kind}
          onChange={(kind) => form.setDraft(withKind(draft, kind))}
        />,
      )}
      {text('name', t('ml-apps.form.name'))}
      {TRAINING_REPLICA_TYPES[draft.kind].map((type) => (
        <ReplicaFields
          key={type}
          type={type}
          draft={draft.replicas[type]!}
          gpus={props.options.gpus}
          set={(patch) => setReplica(type, patch)}
        />
      ))}
      {form.textArea('env', t('ml-apps.form.env'))}
      <FormFooter
        form={form}
        submitLabel={t('ml-apps.trainjobs.submit')}
        submitTestId={ML_IDS.trainingJobSubmit}
        onCancel={props.onCancel}
      />
    </Form>
  );
}
