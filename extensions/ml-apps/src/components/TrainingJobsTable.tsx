import React from 'react';
import {
  mlAppsRoutes,
  TRAINING_JOB_KINDS,
  type TrainingJob,
  type TrainingJobKind,
} from '@ks-gpu-ml/contracts';
import { actionsColumn, t, valueColumn } from '@ks-gpu-ml/ui';
import { deleteTrainingJob, useTrainingJobs } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { AppList, DeleteJobActions, ReplicaPods } from './AppList.js';
import type { SectionScope } from './ProjectSection.js';
import { TrainingJobForm } from './TrainingJobForm.js';
import { ageColumn, gpuHoursColumn, nameColumn, queuedStatusColumn } from './columns.js';
import { gpuUseColumn, useProjectGpuUse } from './gpu-use.js';
import { useRights } from './rights.js';

const typesText = (job: TrainingJob) =>
  job.replicaTypes
    .map((r) => `${r.type} × ${r.replicas}${r.gpus.map((g) => ` (${g.count} × ${g.resource})`).join('')}`)
    .join(', ');

/** The project's Training Operator v1 jobs (TFJob, PyTorchJob, XGBoostJob, MPIJob), when the cluster serves any. */
export function TrainingJobsTable({ scope }: { scope: SectionScope }) {
  const { namespace, cluster } = scope;
  const jobs = useTrainingJobs(namespace, cluster);
  const gpuUse = useProjectGpuUse(scope);
  const may = useRights(scope, {
    create: mlAppsRoutes.createTrainingJob,
    delete: mlAppsRoutes.deleteTrainingJob,
  });
  if (!jobs.error && jobs.data?.kinds.length === 0) return null;
  const kinds = TRAINING_JOB_KINDS.filter((k) => jobs.data?.kinds.includes(k));

  return (
    <AppList
      scope={scope}
      list={jobs}
      block={{
        testId: ML_IDS.trainingJobs,
        title: (data) => t('ml-apps.trainingjobs.title', { kinds: data.kinds.join(', ') }),
      }}
      create={
        may.create
          ? {
              label: t('ml-apps.trainingjobs.new'),
              testId: ML_IDS.newTrainingJob,
              form: (form) => <TrainingJobForm {...form} kinds={kinds} />,
            }
          : undefined
      }
      columns={({ act, inspect }) => [
        valueColumn('kind', t('ml-apps.trainingjobs.kind'), (j: TrainingJob) => j.kind),
        nameColumn(ML_IDS.trainingJobRow),
        queuedStatusColumn(),
        { key: 'types', title: t('ml-apps.trainingjobs.replicaTypes'), render: typesText },
        ...(gpuUse ? [gpuUseColumn(gpuUse, (j: TrainingJob) => j.replicas.map((r) => r.pod))] : []),
        gpuHoursColumn(),
        {
          key: 'pods',
          title: t('ml-apps.trainjobs.replicas'),
          render: (j) => <ReplicaPods replicas={j.replicas} gpuUse={gpuUse} />,
        },
        ageColumn(),
        actionsColumn((j) => (
          <DeleteJobActions
            app={{ kind: j.kind as TrainingJobKind, name: j.name }}
            label={`${j.kind} ${j.name}`}
            testId={ML_IDS.trainingJobDelete}
            mayDelete={may.delete}
            onDelete={() =>
              void act(() => deleteTrainingJob(namespace, j.name, j.kind as TrainingJobKind, cluster))
            }
            inspect={inspect}
          />
        )),
      ]}
      table={{
        rowKey: (j) => `${j.kind}/${j.name}`,
        searchText: (j) => `${j.kind} ${j.name}`,
        emptyTitle: t('ml-apps.trainingjobs.empty'),
      }}
    />
  );
}
