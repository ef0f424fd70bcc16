import React from 'react';
import { TRAINING_JOB_KINDS, type TrainingJob, type TrainingJobKind } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t, useRowAction } from '@ks-gpu-ml/ui';
import { deleteTrainingJob, useTrainingJobs } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { InspectButton, useAppInspector } from './AppInspector.js';
import { ConfirmButton } from './ConfirmButton.js';
import { CreatePanel, type SectionScope } from './ProjectSection.js';
import { QueueLine, StatusCell } from './StatusCell.js';
import { TrainingJobForm } from './TrainingJobForm.js';
import { ageColumn, gpuHoursColumn, nameColumn } from './columns.js';

const typesText = (job: TrainingJob) =>
  job.replicaTypes
    .map((r) => `${r.type} × ${r.replicas}${r.gpus.map((g) => ` (${g.count} × ${g.resource})`).join('')}`)
    .join(', ');

/** The project's Training Operator v1 jobs (TFJob, PyTorchJob, XGBoostJob, MPIJob), when the cluster serves any. */
export function TrainingJobsTable({ scope }: { scope: SectionScope }) {
  const { namespace, cluster } = scope;
  const jobs = useTrainingJobs(namespace, cluster);
  const { actionError, act } = useRowAction(() => jobs.refetch());
  const { inspect, inspector } = useAppInspector(scope);
  if (jobs.error) return <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />;
  if (!jobs.data) return <LoadingState />;
  if (jobs.data.kinds.length === 0) return null;
  const kinds = TRAINING_JOB_KINDS.filter((k) => jobs.data.kinds.includes(k));

  return (
    <div data-testid={ML_IDS.trainingJobs}>
      <h3>{t('ml-apps.trainingjobs.title', { kinds: jobs.data.kinds.join(', ') })}</h3>
      <CreatePanel
        scope={scope}
        label={t('ml-apps.trainingjobs.new')}
        testId={ML_IDS.newTrainingJob}
        onCreated={() => void jobs.refetch()}
        form={(options, close) => (
          <TrainingJobForm
            namespace={namespace}
            cluster={cluster}
            kinds={kinds}
            options={options}
            onCancel={() => close(false)}
            onCreated={() => close(true)}
          />
        )}
      />
      {actionError && <ErrorState error={actionError} />}
      <DataTable
        columns={[
          {
            key: 'kind',
            title: t('ml-apps.trainingjobs.kind'),
            render: (j) => j.kind,
            sortValue: (j) => j.kind,
          },
          nameColumn(ML_IDS.trainingJobRow),
          {
            key: 'status',
            title: t('ml-apps.column.status'),
            render: (j) => (
              <>
                <StatusCell status={j.status} />
                <QueueLine queue={j.queue} />
              </>
            ),
          },
          { key: 'types', title: t('ml-apps.trainingjobs.replicaTypes'), render: typesText },
          gpuHoursColumn(),
          {
            key: 'pods',
            title: t('ml-apps.trainjobs.replicas'),
            render: (j) => (
              <ul style={{ margin: 0, paddingLeft: 16 }}>
                {j.replicas.map((r) => (
                  <li key={r.pod}>
                    {r.pod}
                    {r.node ? ` @ ${r.node}` : ''}: {t(`ml-apps.phase.${r.status.phase}`)}
                  </li>
                ))}
              </ul>
            ),
          },
          ageColumn(),
          {
            key: 'actions',
            title: '',
            render: (j) => (
              <span>
                <ConfirmButton
                  label={t('ml-apps.action.delete')}
                  question={t('ml-apps.confirm.deleteJob', { name: `${j.kind} ${j.name}` })}
                  testId={ML_IDS.trainingJobDelete}
                  onConfirm={() =>
                    void act(() => deleteTrainingJob(namespace, j.name, j.kind as TrainingJobKind, cluster))
                  }
                />{' '}
                <InspectButton app={{ kind: j.kind as TrainingJobKind, name: j.name }} onInspect={inspect} />
              </span>
            ),
          },
        ]}
        rows={jobs.data.items}
        rowKey={(j) => `${j.kind}/${j.name}`}
        searchText={(j) => `${j.kind} ${j.name}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('ml-apps.trainingjobs.empty')}
      />
      {inspector}
    </div>
  );
}
