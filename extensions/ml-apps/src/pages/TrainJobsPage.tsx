import React from 'react';
import type { TrainJob } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t, useRowAction } from '@ks-gpu-ml/ui';
import { deleteTrainJob, useTrainJobs } from '../api.js';
import { InspectButton, useAppInspector } from '../components/AppInspector.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { CreatePanel, ProjectSection, type SectionScope } from '../components/ProjectSection.js';
import { QueueLine, StatusCell } from '../components/StatusCell.js';
import { TrainJobForm } from '../components/TrainJobForm.js';
import { TrainingJobsTable } from '../components/TrainingJobsTable.js';
import { ML_IDS } from '../test-ids.js';
import { ageColumn, gpuHoursColumn, nameColumn } from '../components/columns.js';

const gpusText = (job: TrainJob) =>
  job.gpusPerNode.length === 0
    ? '-'
    : `${job.numNodes} × (${job.gpusPerNode.map((g) => `${g.count} × ${g.resource}`).join(', ')})`;

/** Each node's pod: its node, and its state when it is not running. */
function Replicas({ job }: { job: TrainJob }) {
  if (job.replicas.length === 0) return <>-</>;
  return (
    <ul data-testid={ML_IDS.replicas} style={{ margin: 0, paddingLeft: 16 }}>
      {job.replicas.map((r) => (
        <li key={r.pod}>
          {r.pod}
          {r.node ? ` @ ${r.node}` : ''}: {t(`ml-apps.phase.${r.status.phase}`)}
        </li>
      ))}
    </ul>
  );
}

function Progress({ job }: { job: TrainJob }) {
  const p = job.progress;
  if (!p) return <>-</>;
  return (
    <span data-testid={ML_IDS.progress}>
      {p.percentage !== undefined ? `${p.percentage}%` : ''}
      {p.estimatedRemainingSeconds !== undefined
        ? ` · ${t('ml-apps.trainjobs.eta', { minutes: Math.ceil(p.estimatedRemainingSeconds / 60) })}`
        : ''}
    </span>
  );
}

/** A project's TrainJobs: state (waiting with the real reason), nodes' pods, GPUs, progress, age; submit, delete. */
export function TrainJobsPage() {
  return (
    <ProjectSection
      operator="trainjobs"
      section="trainjobs"
      testId={ML_IDS.trainJobsPage}
      after={(scope) => <TrainingJobsTable scope={scope} />}
    >
      {(scope) => <TrainJobs scope={scope} />}
    </ProjectSection>
  );
}

function TrainJobs({ scope }: { scope: SectionScope }) {
  const { namespace, cluster } = scope;
  const jobs = useTrainJobs(namespace, cluster);
  const { actionError, act } = useRowAction(() => jobs.refetch());
  const { inspect, inspector } = useAppInspector(scope);
  if (jobs.error) return <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />;
  if (!jobs.data) return <LoadingState />;

  return (
    <>
      <CreatePanel
        scope={scope}
        label={t('ml-apps.trainjobs.new')}
        testId={ML_IDS.newTrainJob}
        onCreated={() => void jobs.refetch()}
        form={(options, close) => (
          <TrainJobForm
            namespace={namespace}
            cluster={cluster}
            options={options}
            onCancel={() => close(false)}
            onCreated={() => close(true)}
          />
        )}
      />
      {actionError && <ErrorState error={actionError} />}
      <DataTable
        columns={[
          nameColumn(ML_IDS.trainJobRow),
          {
            key: 'status',
            title: t('ml-apps.column.status'),
            render: (job) => (
              <>
                <StatusCell status={job.status} testId={ML_IDS.trainJobStatus} />
                <QueueLine queue={job.queue} />
              </>
            ),
          },
          { key: 'runtime', title: t('ml-apps.trainjobs.runtime'), render: (job) => job.runtime.name },
          { key: 'gpus', title: t('ml-apps.column.gpus'), render: gpusText },
          gpuHoursColumn(),
          {
            key: 'replicas',
            title: t('ml-apps.trainjobs.replicas'),
            render: (job) => <Replicas job={job} />,
          },
          {
            key: 'progress',
            title: t('ml-apps.trainjobs.progress'),
            render: (job) => <Progress job={job} />,
          },
          ageColumn(),
          {
            key: 'actions',
            title: '',
            render: (job) => (
              <span>
                <ConfirmButton
                  label={t('ml-apps.action.delete')}
                  question={t('ml-apps.confirm.deleteJob', { name: job.name })}
                  testId={ML_IDS.trainJobDelete}
                  onConfirm={() => void act(() => deleteTrainJob(namespace, job.name, cluster))}
                />{' '}
                <InspectButton app={{ kind: 'TrainJob', name: job.name }} onInspect={inspect} />
              </span>
            ),
          },
        ]}
        rows={jobs.data.items}
        rowKey={(job) => job.name}
        searchText={(job) => `${job.name} ${job.image} ${job.runtime.name}`}
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('ml-apps.trainjobs.empty')}
      />
      {inspector}
    </>
  );
}
