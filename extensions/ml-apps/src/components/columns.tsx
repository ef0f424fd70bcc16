// The table columns the ml-apps lists (notebooks, TrainJobs, training jobs, serving, models) had each written: the
// name (its cell carrying the row's test id), the GPU hours and the age. One definition each, so they stay alike.
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
