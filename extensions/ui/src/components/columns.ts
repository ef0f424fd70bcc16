// The plainest DataTable columns, which the extensions' tables had each spelt out: a value shown as it is and
// sorted by itself, a moment shown in the reader's local time and sorted by its ISO text (which sorts as time
// does), and the row's buttons. A column that shows one thing and sorts by another stays written out where it is.
import type React from 'react';
import type { Column } from './DataTable.js';

/** The row's value as it is, '-' where it has none; sorted by the value (none last, as sortRows puts it). */
export const valueColumn = <T>(
  key: string,
  title: string,
  value: (row: T) => string | number | undefined,
): Column<T> => ({
  key,
  title,
  render: (row) => value(row) ?? '-',
  sortValue: value,
});

/** A moment (ISO 8601) in the reader's local time and words. */
export const localTime = (iso: string): string => new Date(iso).toLocaleString();

/** A moment (ISO 8601) in the reader's local time, sorted by the ISO text. */
export const timeColumn = <T>(key: string, title: string, iso: (row: T) => string): Column<T> => ({
  key,
  title,
  render: (row) => localTime(iso(row)),
  sortValue: iso,
});

/** The row's buttons: untitled, not sortable, last by convention. */
export const actionsColumn = <T>(render: (row: T) => React.ReactNode): Column<T> => ({
  key: 'actions',
  title: '',
  render,
});
