import React from 'react';
import type { NotebookOptions, TrainJob } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { createTrainJob } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { Form } from './Form.js';
import { FormFooter, GpuFields, useDraftForm } from './form-kit.js';
import { emptyTrainJobDraft, toTrainJobBody } from './trainjob-draft.js';

/**
 * The submit form: runtime, trainer image and command, nodes, and per node CPU, memory and GPUs; env; the dataset and
 * model the runtime's initializers fetch (the server refuses one the runtime lacks).
 */
export function TrainJobForm(props: {
  namespace: string;
  cluster: string | undefined;
  options: NotebookOptions;
  onCreated: (job: TrainJob) => void;
  onCancel: () => void;
}) {
  const form = useDraftForm({
    initial: emptyTrainJobDraft(),
    toBody: toTrainJobBody,
    send: (body) => createTrainJob(props.namespace, props.cluster, body),
    onSent: props.onCreated,
  });
  const { text, choice } = form;

  return (
    <Form data-testid={ML_IDS.trainJobForm} onSubmit={(e) => void form.submit(e)}>
      {text('name', t('ml-apps.form.name'))}
      {choice(
        'runtimeKind',
        t('ml-apps.trainjobs.runtimeKind'),
        ['ClusterTrainingRuntime', 'TrainingRuntime'] as const,
        (kind) =>
          t(
            kind === 'TrainingRuntime'
              ? 'ml-apps.trainjobs.projectRuntime'
              : 'ml-apps.trainjobs.clusterRuntime',
          ),
      )}
      {text('runtimeName', t('ml-apps.trainjobs.runtime'))}
      {text('image', t('ml-apps.form.image'))}
      {text('command', t('ml-apps.trainjobs.command'))}
      {text('numNodes', t('ml-apps.trainjobs.numNodes'))}
      {text('cpu', t('ml-apps.trainjobs.cpuPerNode'))}
      {text('memory', t('ml-apps.trainjobs.memoryPerNode'))}
      <GpuFields gpus={props.options.gpus} form={form} label={t('ml-apps.trainjobs.gpuPerNode')} />
      {form.textArea('env', t('ml-apps.form.env'))}
      {text('dataset', t('ml-apps.trainjobs.datasetUri'))}
      {text('model', t('ml-apps.trainjobs.modelUri'))}
      <FormFooter
        form={form}
        submitLabel={t('ml-apps.trainjobs.submit')}
        submitTestId={ML_IDS.trainJobSubmit}
        onCancel={props.onCancel}
      />
    </Form>
  );
}
