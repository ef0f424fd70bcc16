// The scaffolding the policies, receivers and silences pages had each written: loading and error states, the form
// in place of the "new" button while one is open, a row action's error above the table. One piece, so the pages keep
// only their columns and their form.
import React, { useState } from 'react';
import { Button } from '@kubed/components';
import {
  actionsColumn,
  ErrorState,
  LoadingState,
  t,
  useRowAction,
  type ApiError,
  type Column,
} from '@ks-gpu-ml/ui';
import { ALERTING_IDS } from '../test-ids.js';
import { ConfirmButton, Toolbar } from './kit.js';

interface ListQuery<T> {
  data?: { items: T[] } | undefined;
  error?: ApiError | null;
  refetch: () => Promise<unknown>;
}

/** What the table of an editable list may do: open a row in the form, run a row's action. */
export interface ListActions<T> {
  edit: (row: T) => void;
  act: (run: () => Promise<unknown>) => void;
}

/** A list with a create/edit form: `form` draws the open one, `table` the rows. */
export function EditableList<T>(props: {
  query: ListQuery<T>;
  /** Open the form on the first render (an alert's Silence link). */
  startNew?: boolean;
  newTestId: string;
  newLabel: string;
  form: (editing: T | 'new', on: { onCancel: () => void; onSaved: () => void }) => React.ReactNode;
  table: (rows: T[], actions: ListActions<T>) => React.ReactNode;
}) {
  const { query } = props;
  const [editing, setEditing] = useState<T | 'new' | undefined>(props.startNew ? 'new' : undefined);
  const { actionError, act } = useRowAction(() => query.refetch());
  if (query.error) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (!query.data) return <LoadingState />;
  const onSaved = () => {
    setEditing(undefined);
    void query.refetch();
  };
  return (
    <>
      {editing ? (
        props.form(editing, { onCancel: () => setEditing(undefined), onSaved })
      ) : (
        <Toolbar>
          <Button color="secondary" data-testid={props.newTestId} onClick={() => setEditing('new')}>
            {props.newLabel}
          </Button>
        </Toolbar>
      )}
      {actionError && (
        <div data-testid={ALERTING_IDS.actionError}>
          <ErrorState error={actionError} />
        </div>
      )}
      {props.table(query.data.items, { edit: setEditing, act: (run) => void act(run) })}
    </>
  );
}

interface Named {
  name: string;
}

/** The name column of a list of named things (its cell carries the row's test id). */
export const nameColumn = <T extends Named>(rowTestId: string): Column<T> => ({
  key: 'name',
  title: t('cmdb-alerting.column.name'),
  render: (r) => <span data-testid={rowTestId}>{r.name}</span>,
  sortValue: (r) => r.name,
});

/** Named rows: keyed by name and first sorted by it. */
export const byName = {
  rowKey: (r: Named) => r.name,
  initialSort: { key: 'name', direction: 'asc' } as const,
};

/** A row's edit button and its delete button (which asks first, naming the row in `question`). */
export function editDeleteColumn<T extends Named>(opts: {
  editTestId: string;
  deleteTestId: string;
  question: (name: string) => string;
  remove: (name: string) => Promise<unknown>;
  actions: ListActions<T>;
}): Column<T> {
  return actionsColumn((r) => (
    <span>
      <Button size="sm" data-testid={opts.editTestId} onClick={() => opts.actions.edit(r)}>
        {t('cmdb-alerting.action.edit')}
      </Button>{' '}
      <ConfirmButton
        label={t('cmdb-alerting.action.delete')}
        question={opts.question(r.name)}
        testId={opts.deleteTestId}
        onConfirm={() => opts.actions.act(() => opts.remove(r.name))}
      />
    </span>
  ));
}
