// The table columns the ml-apps lists (notebooks, TrainJobs, training jobs, serving, models) had each written: the
// name (its cell carrying the row's test id), the state, the GPU hours and the age, and the serving tables' URL and
// GPUs. One definition each, so they stay alike.
import React from 'react';
import { t, type Column } from '@ks-gpu-ml/ui';
import { ageText, gpuHoursText } from './notebook-format.js';
import { QueueLine, StatusCell } from './StatusCell.js';

/** The name, sortable; its cell carries `rowTestId`, by which the tests find the rows. */
export const nameColumn = <T extends { name: string }>(rowTestId: string): Column<T> => ({
  key: 'name',
  title: t('ml-apps.column.name'),
  render: (x) => <span data-testid={rowTestId}>{x.name}</span>,
  sortValue: (x) => x.name,
});

/** The state in the controller's words (its cell's test id `statusTestId`, else the shared one). */
export const statusColumn = <T extends { status: { phase: string; reason?: string; message?: string } }>(
  statusTestId?: string,
): Column<T> => ({
  key: 'status',
  title: t('ml-apps.column.status'),
  render: (x) => <StatusCell status={x.status} testId={statusTestId} />,
});

/** A served model's URL, '-' before it has one. */
export const urlColumn = <T extends { url?: string }>(urlTestId?: string): Column<T> => ({
  key: 'url',
  title: t('ml-apps.serving.url'),
  render: (x) => (x.url ? <code data-testid={urlTestId}>{x.url}</code> : '-'),
});

/** The GPUs a served model's pods ask for, `count × resource` each. */
export const servingGpusColumn = <
  T extends { gpus: { resource: string; count: number }[] },
>(): Column<T> => ({
  key: 'gpus',
  title: t('ml-apps.column.gpus'),
  render: (x) => (x.gpus.length === 0 ? '-' : x.gpus.map((g) => `${g.count} × ${g.resource}`).join(', ')),
});

/** The GPU hours used so far (none counted as 0 when sorting). */
export const gpuHoursColumn = <T extends { gpuHours?: number }>(): Column<T> => ({
  key: 'gpuHours',
  title: t('ml-apps.column.gpuHours'),
  render: (x) => gpuHoursText(x.gpuHours),
  sortValue: (x) => x.gpuHours ?? 0,
});

/** How long ago it was created. */
export const ageColumn = <T extends { createdAt: string }>(): Column<T> => ({
  key: 'age',
  title: t('ml-apps.column.age'),
  render: (x) => ageText(x.createdAt),
  sortValue: (x) => x.createdAt,
});

/** A job's state (its cell's test id `statusTestId`, else the shared one) and, when Kueue queues it, its queue. */
export const queuedStatusColumn = <
  T extends {
    status: { phase: string; reason?: string; message?: string };
    queue?: { name: string; admitted: boolean };
  },
>(
  statusTestId?: string,
): Column<T> => ({
  key: 'status',
  title: t('ml-apps.column.status'),
  render: (job) => (
    <>
      <StatusCell status={job.status} testId={statusTestId} />
      <QueueLine queue={job.queue} />
    </>
  ),
});

/** What a served model is, as both serving lists (InferenceServices, LLMInferenceServices) show it. */
interface ServedModel {
  name: string;
  status: { phase: string; reason?: string; message?: string };
  url?: string;
  gpus: { resource: string; count: number }[];
  gpuHours?: number;
}

/**
 * The columns both serving lists lead with, in one order so the two tables read alike: name, state, URL, the
 * version served and the replicas (each kind words these its own way), GPUs and GPU hours.
 */
export const servedModelColumns = <T extends ServedModel>(kind: {
  testIds: { row: string; status: string; url?: string };
  versionText: (x: T) => string;
  replicas: { title: string; text: (x: T) => string };
}): Column<T>[] => [
  nameColumn(kind.testIds.row),
  statusColumn(kind.testIds.status),
  urlColumn(kind.testIds.url),
  { key: 'version', title: t('ml-apps.serving.version'), render: kind.versionText },
  { key: 'replicas', title: kind.replicas.title, render: kind.replicas.text },
  servingGpusColumn(),
  gpuHoursColumn(),
];
