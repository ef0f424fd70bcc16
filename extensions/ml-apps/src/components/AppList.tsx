// A project's list of one kind of ML app (notebooks, TrainJobs, Training Operator v1 jobs), the part those lists
// share: the list's loading and error states, the create panel with the kind's form, the last row action's error,
// the table, and the panel of the app whose logs and events are open. Each list gives its columns and form.
import React from 'react';
import type { NotebookOptions } from '@ks-gpu-ml/contracts';
import {
  DataTable,
  ErrorState,
  LoadingState,
  t,
  useRowAction,
  type ApiError,
  type Column,
  type DataTableProps,
} from '@ks-gpu-ml/ui';
import { InspectButton, useAppInspector, type InspectedApp } from './AppInspector.js';
import { ConfirmButton } from './ConfirmButton.js';
import { ML_IDS } from '../test-ids.js';
import { gpuUseOf, gpuUseText, type ProjectGpuUse } from './gpu-use.js';
import { CreatePanel, type SectionScope } from './ProjectSection.js';

/** What a list's create form is given: where it creates, the options read when it opened, and how it closes. */
export interface AppFormProps extends SectionScope {
  options: NotebookOptions;
  onCancel: () => void;
  onCreated: () => void;
}

/** What a list's rows can do: run an action (its error shown above the table, the list read again) or inspect. */
export interface RowTools {
  act: (run: () => Promise<unknown>) => Promise<void>;
  inspect: (app: InspectedApp) => void;
}

/** The rows of a list reply. */
type RowOf<D extends { items: readonly unknown[] }> = D['items'][number];

export function AppList<D extends { items: readonly unknown[] }>(props: {
  scope: SectionScope;
  /** The list's query (polled by its hook). */
  list: { data: D | undefined; error: ApiError | null; refetch: () => Promise<unknown> };
  /** The create button and its form; left out when the caller may not create (docs/adr/0020). */
  create?: { label: string; testId: string; form: (form: AppFormProps) => React.ReactNode } | undefined;
  columns: (tools: RowTools) => Column<RowOf<D>>[];
  table: Pick<DataTableProps<RowOf<D>>, 'rowKey' | 'searchText' | 'emptyTitle'>;
  /** When given, the loaded list stands in a block with this test id under the title made from its reply. */
  block?: { testId: string; title: (data: D) => string };
}) {
  const { scope, list } = props;
  const { actionError, act } = useRowAction(() => list.refetch());
  const { inspect, inspector } = useAppInspector(scope);
  if (list.error) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (!list.data) return <LoadingState />;

  const { create } = props;
  const body = (
    <>
      {create && (
        <CreatePanel
          scope={scope}
          label={create.label}
          testId={create.testId}
          onCreated={() => void list.refetch()}
          form={(options, close) =>
            create.form({
              ...scope,
              options,
              onCancel: () => close(false),
              onCreated: () => close(true),
            })
          }
        />
      )}
      {actionError && <ErrorState error={actionError} />}
      <DataTable
        columns={props.columns({ act, inspect })}
        rows={list.data.items}
        initialSort={{ key: 'name', direction: 'asc' }}
        {...props.table}
      />
      {inspector}
    </>
  );
  if (!props.block) return body;
  return (
    <div data-testid={props.block.testId}>
      <h3>{props.block.title(list.data)}</h3>
      {body}
    </div>
  );
}

/** A job's delete button (asking first, naming it `label`; only when `mayDelete`) and its inspect button. */
export function DeleteJobActions(props: {
  app: InspectedApp;
  label: string;
  testId: string;
  mayDelete: boolean | undefined;
  onDelete: () => void;
  inspect: (app: InspectedApp) => void;
}) {
  return (
    <span>
      {props.mayDelete && (
        <>
          <ConfirmButton
            label={t('ml-apps.action.delete')}
            question={t('ml-apps.confirm.deleteJob', { name: props.label })}
            testId={props.testId}
            onConfirm={props.onDelete}
          />{' '}
        </>
      )}
      <InspectButton app={props.app} onInspect={props.inspect} />
    </span>
  );
}

/** A job's pods: each with its node, and its state. */
export function ReplicaPods(props: {
  replicas: { pod: string; node?: string; status: { phase: string } }[];
  testId?: string;
  /** gpu-monitoring's figures, where readable: each pod's GPUs and their live use. */
  gpuUse?: ProjectGpuUse;
}) {
  return (
    <ul data-testid={props.testId} style={{ margin: 0, paddingLeft: 16 }}>
      {props.replicas.map((r) => {
        const gpus = props.gpuUse?.rows && gpuUseOf(props.gpuUse.rows, [r.pod]);
        return (
          <li key={r.pod}>
            {r.pod}
            {r.node ? ` @ ${r.node}` : ''}: {t(`ml-apps.phase.${r.status.phase}`)}
            {gpus && (
              <span data-testid={ML_IDS.replicaGpus}>
                {' · '}
                {t('ml-apps.gpuUse.replica', { count: gpus.devices })} {gpuUseText(gpus)}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}
