import React from 'react';
import type { TrainingJob } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t } from '@ks-gpu-ml/ui';
import { useTrainingJobs } from '../api.js';
import { ML_IDS } from '../test-ids.js';
import { ageText } from './notebook-format.js';
import type { SectionScope } from './ProjectSection.js';
import { StatusCell } from './StatusCell.js';

const typesText = (job: TrainingJob) =>
  job.replicaTypes
    .map((r) => `${r.type} × ${r.replicas}${r.gpus.map((g) => ` (${g.count} × ${g.resource})`).join('')}`)
    .join(', ');

/** The project's Training Operator v1 jobs (TFJob, PyTorchJob, XGBoostJob, MPIJob), when the cluster serves any. */
export function TrainingJobsTable({ scope }: { scope: SectionScope }) {
  const jobs = useTrainingJobs(scope.namespace, scope.cluster);
  if (jobs.error) return <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />;
  if (!jobs.data) return <LoadingState />;
  if (jobs.data.kinds.length === 0) return null;
  return (
    <div data-testid={ML_IDS.trainingJobs}>
      <h3>{t('ml-apps.trainingjobs.title', { kinds: jobs.data.kinds.join(', ') })}</h3>
      <DataTable
        columns={[
          {
            key: 'kind',
            title: t('ml-apps.trainingjobs.kind'),
            render: (j) => j.kind,
            sortValue: (j) => j.kind,
          },
          {
            key: 'name',
            title: t('ml-apps.column.name'),
            render: (j) => <span data-testid={ML_IDS.trainingJobRow}>{j.name}</span>,
            sortValue: (j) => j.name,
          },
          {
            key: 'status',
            title: t('ml-apps.column.status'),
            render: (j) => <StatusCell status={j.status} />,
          },
          { key: 'types', title: t('ml-apps.trainingjobs.replicaTypes'), render: typesText },
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
          {
            key: 'age',
            title: t('ml-apps.column.age'),
            render: (j) => ageText(j.createdAt),
            sortValue: (j) => j.createdAt,
          },
        ]}
        rows={jobs.data.items}
        rowKey={(j) => `${j.kind}/${j.name}`}
        searchText={(j) => `${j.kind} ${j.name}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('ml-apps.trainingjobs.empty')}
      />
    </div>
  );
}
