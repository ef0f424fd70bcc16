// The pieces both quota editors (a project's rows, a workspace's split) are made of: the table, the resource
// cell, and the base/max cell — an input when the caller may edit, the value otherwise — with the API's
// messages for that field under it.
import React from 'react';
import styled from 'styled-components';
import { QuantityInput, t } from '@ks-gpu-ml/ui';
import { rowKey, type DraftRow, type FieldErrors } from '../rows.js';
import { QUOTA_IDS } from '../test-ids.js';

export const QuotaTable = styled.table`
  width: 100%;
  border-collapse: collapse;
  background: #fff;
  th,
  td {
    padding: 10px 12px;
    border-bottom: 1px solid #eff4f9;
    text-align: left;
    vertical-align: top;
  }
  th {
    font-size: 12px;
    color: #79879c;
  }
`;
const FieldError = styled.div`
  color: #ca2621;
  font-size: 12px;
  margin-top: 4px;
  max-width: 260px;
`;

export type QuotaField = 'base' | 'max';
export type OnQuotaChange = (index: number, field: QuotaField, value: string | undefined) => void;

/** The API's messages for one field (or row), as an alert under it; nothing when there are none. */
export function FieldMessages({ messages, testId }: { messages: string[] | undefined; testId: string }) {
  if (!messages?.length) return null;
  return (
    <FieldError role="alert" data-testid={testId}>
      {messages.map((m, i) => (
        <div key={i}>{m}</div>
      ))}
    </FieldError>
  );
}

/** The resource name, its model under it, and the problems the API placed on the row as a whole. */
export function ResourceCell({ row, errors }: { row: DraftRow; errors?: string[] | undefined }) {
  return (
    <td>
      <strong>{row.resource}</strong>
      {row.model && <div style={{ color: '#79879c' }}>{row.model}</div>}
      <FieldMessages messages={errors} testId={QUOTA_IDS.rowError} />
    </td>
  );
}

export interface QuotaCellProps {
  row: DraftRow;
  index: number;
  field: QuotaField;
  canEdit: boolean;
  errors: FieldErrors;
  onChange: OnQuotaChange;
}

/**
 * Base or max of one row: an input labelled "<resource>: Base|Max" (invalid text reports `undefined`, an
 * emptied input `''`), or the value read-only; the API's messages for `<index>.<field>` under it.
 */
export function QuotaCell({ row, index, field, canEdit, errors, onChange }: QuotaCellProps) {
  return (
    <td>
      {canEdit ? (
        <QuantityInput
          kind="gpu"
          optional
          value={row[field]}
          aria-label={`${rowKey(row)}: ${t(field === 'base' ? 'gpu-quota.col.base' : 'gpu-quota.col.max')}`}
          onChange={(canonical, result) =>
            onChange(index, field, result.ok ? canonical : result.error === 'empty' ? '' : undefined)
          }
        />
      ) : (
        <span data-testid={QUOTA_IDS.value(field)}>{row[field] === '' ? '—' : row[field]}</span>
      )}
      <FieldMessages messages={errors[`${index}.${field}`]} testId={QUOTA_IDS.fieldError(field)} />
    </td>
  );
}

/** Base and max cells of one row, side by side. */
export function BaseMaxCells(props: Omit<QuotaCellProps, 'field'>) {
  return (
    <>
      <QuotaCell {...props} field="base" />
      <QuotaCell {...props} field="max" />
    </>
  );
}

type Keyed = Parameters<typeof rowKey>[0];

export interface QuotaRowsTableProps<S extends Keyed> {
  testId: string;
  rowTestId: string;
  /** The headings after resource, base and max. */
  headings: readonly string[];
  rows: readonly DraftRow[];
  /** The rows as last saved: each draft row is shown with the saved one of the same resource and model. */
  saved: readonly S[];
  canEdit: boolean;
  errors: FieldErrors;
  onChange: OnQuotaChange;
  /** The cells after base and max, for a draft row, its saved row (none before it is saved) and its index. */
  cells: (row: DraftRow, saved: S | undefined, index: number) => React.ReactNode;
}

/** A quota editor's table: per GPU resource, the resource, its base and max (inputs when editable), then `cells`. */
export function QuotaRowsTable<S extends Keyed>(props: QuotaRowsTableProps<S>) {
  const { rows, saved, canEdit, errors, onChange } = props;
  return (
    <QuotaTable data-testid={props.testId}>
      <thead>
        <tr>
          <th>{t('gpu-quota.col.resource')}</th>
          <th>{t('gpu-quota.col.base')}</th>
          <th>{t('gpu-quota.col.max')}</th>
          {props.headings.map((heading) => (
            <th key={heading}>{heading}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const key = rowKey(r);
          return (
            <tr key={key} data-testid={props.rowTestId} data-resource={r.resource} data-model={r.model ?? ''}>
              <ResourceCell row={r} errors={errors[`${i}.row`]} />
              <BaseMaxCells row={r} index={i} canEdit={canEdit} errors={errors} onChange={onChange} />
              {props.cells(
                r,
                saved.find((x) => rowKey(x) === key),
                i,
              )}
            </tr>
          );
        })}
      </tbody>
    </QuotaTable>
  );
}
