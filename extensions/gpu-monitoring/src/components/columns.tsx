// The columns the GPU, idle-GPU, usage and GPU-hours tables share, and the paged table they sit in.
import React from 'react';
import { Link } from 'react-router-dom';
import type { GpuCard, GpuFigureName, GpuUsageRow } from '@ks-gpu-ml/contracts';
import { DataTable, t, type Column, type DataTableProps } from '@ks-gpu-ml/ui';
import { formatBytes, formatCelsius, formatMemory, formatPercent, formatWatts } from '../format.js';
import type { Links } from '../links.js';
import { gpuName } from '../shape.js';

/** A DataTable of 10 rows a page, in a box that tests find by `testId`. */
export function PagedTable<T>({ testId, ...table }: DataTableProps<T> & { testId: string }) {
  return (
    <div data-testid={testId}>
      <DataTable<T> pageSize={10} {...table} />
    </div>
  );
}

/** A right-aligned number column, sorted by `value` and shown through `format` (as it is without one). */
export function numberColumn<R>(
  key: string,
  title: string,
  value: (row: R) => number | undefined,
  format?: (value: number | undefined, row: R) => React.ReactNode,
): Column<R> {
  return {
    key,
    title,
    sortValue: value,
    ...(format ? { render: (r: R) => format(value(r), r) } : {}),
    align: 'right',
  };
}

type Figured = Pick<GpuUsageRow, GpuFigureName>;
type FigureColumn = readonly [
  key: string,
  value: (row: Figured) => number | undefined,
  format: (value: number | undefined, row: Figured) => string,
];

/** The figure columns of the GPU, node and usage tables: key (and `col.` title), value and its text. */
const FIGURE_COLUMNS = {
  utilization: ['utilization', (r) => r.utilization, formatPercent],
  tensor: ['tensor', (r) => r.tensorActive, formatPercent],
  memory: ['memory', (r) => r.memoryUsedBytes, (used, r) => formatMemory(used, r.memoryTotalBytes)],
  /** Memory used, without the total. */
  memoryUsed: ['memory', (r) => r.memoryUsedBytes, formatBytes],
  power: ['power', (r) => r.powerWatts, formatWatts],
  temperature: ['temperature', (r) => r.temperatureC, formatCelsius],
} satisfies Record<string, FigureColumn>;

/** Figure columns, in the order named. */
export function figureColumns<R extends Figured>(...names: (keyof typeof FIGURE_COLUMNS)[]): Column<R>[] {
  return names.map((name) => {
    const [key, value, format] = FIGURE_COLUMNS[name];
    return numberColumn<R>(key, t(`gpu-monitoring.col.${key}`), value, format);
  });
}

/** The GPU (or MIG instance) by node and index, linked to its page where the layout has one. */
export const gpuColumn = <R extends Pick<GpuCard, 'node' | 'gpu' | 'uuid' | 'migInstance'>>(
  links: Partial<Links>,
): Column<R> => ({
  key: 'gpu',
  title: t('gpu-monitoring.col.gpu'),
  sortValue: (c) => `${c.node}/${c.gpu.padStart(4, '0')}`,
  render: (c) => (links.gpu ? <Link to={links.gpu(c.uuid)}>{gpuName(c)}</Link> : gpuName(c)),
});

export const modelColumn = <R extends { model: string }>(): Column<R> => ({
  key: 'model',
  title: t('gpu-monitoring.col.model'),
  sortValue: (r) => r.model,
});

export const workspaceColumn = <R extends { workspace?: string | undefined }>(): Column<R> => ({
  key: 'workspace',
  title: t('gpu-monitoring.col.workspace'),
  sortValue: (r) => r.workspace,
  render: (r) => r.workspace ?? '—',
});

/** The project, linked to its page where the layout has one. */
export const projectColumn = <R extends { namespace?: string | undefined }>(
  links: Partial<Links>,
): Column<R> => ({
  key: 'namespace',
  title: t('gpu-monitoring.col.project'),
  sortValue: (r) => r.namespace,
  render: (r) =>
    r.namespace && links.project ? <Link to={links.project(r.namespace)}>{r.namespace}</Link> : r.namespace,
});
