import React from 'react';
import { mlAppsRoutes, type TrainJob } from '@ks-gpu-ml/contracts';
import { actionsColumn, t } from '@ks-gpu-ml/ui';
import { deleteTrainJob, useTrainJobs } from '../api.js';
import { AppList, DeleteJobActions, ReplicaPods } from '../components/AppList.js';
import { ProjectSection, type SectionScope } from '../components/ProjectSection.js';
import { TrainJobForm } from '../components/TrainJobForm.js';
import { TrainingJobsTable } from '../components/TrainingJobsTable.js';
import { useRights } from '../components/rights.js';
import { ML_IDS } from '../test-ids.js';
import { ageColumn, gpuHoursColumn, nameColumn, queuedStatusColumn } from '../components/columns.js';
import { gpuUseColumn, useProjectGpuUse } from '../components/gpu-use.js';

const gpusText = (job: TrainJob) =>
  job.gpusPerNode.length === 0
    ? '-'
    : `${job.numNodes} × (${job.gpusPerNode.map((g) => `${g.count} × ${g.resource}`).join(', ')})`;

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
/** The runtime, and what its initializers fetch (URIs outside t(): i18next would escape their slashes). */
function Runtime({ job }: { job: TrainJob }) {
  const uris = [job.initializer?.dataset?.storageUri, job.initializer?.model?.storageUri].filter(Boolean);
  return (
    <>
      {job.runtime.name}
      {uris.length > 0 && (
        <div data-testid={ML_IDS.initializers}>
          <small>
            {t('ml-apps.trainjobs.fetches')} {uris.join(' · ')}
          </small>
        </div>
      )}
    </>
  );
}

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
  const gpuUse = useProjectGpuUse(scope);
  const may = useRights(scope, { create: mlAppsRoutes.createTrainJob, delete: mlAppsRoutes.deleteTrainJob });
  return (
    <AppList
      scope={scope}
      list={jobs}
      create={
        may.create
          ? {
              label: t('ml-apps.trainjobs.new'),
              testId: ML_IDS.newTrainJob,
              form: (form) => <TrainJobForm {...form} />,
            }
          : undefined
      }
      columns={({ act, inspect }) => [
        nameColumn(ML_IDS.trainJobRow),
        queuedStatusColumn(ML_IDS.trainJobStatus),
        { key: 'runtime', title: t('ml-apps.trainjobs.runtime'), render: (job) => <Runtime job={job} /> },
        { key: 'gpus', title: t('ml-apps.column.gpus'), render: gpusText },
        ...(gpuUse ? [gpuUseColumn(gpuUse, (j: TrainJob) => j.replicas.map((r) => r.pod))] : []),
        gpuHoursColumn(),
        {
          key: 'replicas',
          title: t('ml-apps.trainjobs.replicas'),
          render: (job) =>
            job.replicas.length === 0 ? (
              '-'
            ) : (
              <ReplicaPods replicas={job.replicas} testId={ML_IDS.replicas} gpuUse={gpuUse} />
            ),
        },
        {
          key: 'progress',
          title: t('ml-apps.trainjobs.progress'),
          render: (job) => <Progress job={job} />,
        },
        ageColumn(),
        actionsColumn((job) => (
          <DeleteJobActions
            app={{ kind: 'TrainJob', name: job.name }}
            label={job.name}
            testId={ML_IDS.trainJobDelete}
            mayDelete={may.delete}
            onDelete={() => void act(() => deleteTrainJob(namespace, job.name, cluster))}
            inspect={inspect}
          />
        )),
      ]}
      table={{
        rowKey: (job) => job.name,
        searchText: (job) => `${job.name} ${job.image} ${job.runtime.name}`,
        emptyTitle: t('ml-apps.trainjobs.empty'),
      }}
    />
  );
}
