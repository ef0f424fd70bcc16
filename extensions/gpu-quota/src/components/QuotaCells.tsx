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
