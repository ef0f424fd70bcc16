import React from 'react';
import styled from 'styled-components';
import type { WorkspaceGpuQuota } from '@ks-gpu-ml/contracts';
import { QuantityInput, t } from '@ks-gpu-ml/ui';
import { num, rowKey, type DraftRow, type FieldErrors } from './rows.js';

const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
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
const Over = styled.span<{ $over: boolean }>`
  color: ${(p) => (p.$over ? '#ca2621' : 'inherit')};
  font-weight: ${(p) => (p.$over ? 600 : 'normal')};
`;

type Row = WorkspaceGpuQuota['rows'][number];

export interface WorkspaceSplitProps {
  rows: readonly DraftRow[];
  saved: readonly Row[];
  canEdit: boolean;
  errors: FieldErrors;
  onChange: (index: number, field: 'base' | 'max', value: string | undefined) => void;
}

/** The workspace's base and max per resource, what its projects hold, and what is left (live while editing). */
export function WorkspaceSplit({ rows, saved, canEdit, errors, onChange }: WorkspaceSplitProps) {
  return (
    <Table data-testid="workspace-rows">
      <thead>
        <tr>
          <th>{t('gpu-quota.col.resource')}</th>
          <th>{t('gpu-quota.col.base')}</th>
          <th>{t('gpu-quota.col.max')}</th>
          <th>{t('gpu-quota.workspace.allocated')}</th>
          <th>{t('gpu-quota.workspace.remaining')}</th>
          <th>{t('gpu-quota.workspace.holders')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const key = rowKey(r);
          const s = saved.find((x) => rowKey(x) === key);
          const allocatedBase = s?.allocatedBase ?? 0;
          const allocatedMax = s?.allocatedMax ?? 0;
          const leftBase = num(r.base) - allocatedBase;
          const leftMax = num(r.max) - allocatedMax;
          const cell = (field: 'base' | 'max') => (
            <>
              {canEdit ? (
                <QuantityInput
                  kind="gpu"
                  optional
                  value={r[field]}
                  aria-label={`${key}: ${t(field === 'base' ? 'gpu-quota.col.base' : 'gpu-quota.col.max')}`}
                  onChange={(canonical, result) =>
                    onChange(i, field, result.ok ? canonical : result.error === 'empty' ? '' : undefined)
                  }
                />
              ) : (
                <span>{r[field] === '' ? '—' : r[field]}</span>
              )}
              {errors[`${i}.${field}`]?.map((m, j) => (
                <div key={j} role="alert" style={{ color: '#ca2621', fontSize: 12, maxWidth: 260 }}>
                  {m}
                </div>
              ))}
            </>
          );
          return (
            <tr key={key} data-testid="workspace-row" data-resource={r.resource}>
              <td>
                <strong>{r.resource}</strong>
                {r.model && <div style={{ color: '#79879c' }}>{r.model}</div>}
              </td>
              <td>{cell('base')}</td>
              <td>{cell('max')}</td>
              <td>{t('gpu-quota.workspace.pair', { base: allocatedBase, max: allocatedMax })}</td>
              <td data-testid="workspace-remaining">
                <Over $over={leftBase < 0}>{t('gpu-quota.workspace.leftBase', { value: leftBase })}</Over>
                {' · '}
                <Over $over={leftMax < 0}>{t('gpu-quota.workspace.leftMax', { value: leftMax })}</Over>
              </td>
              <td>
                {(s?.holders ?? []).length === 0
                  ? '—'
                  : s!.holders.map((h) => (
                      <div key={h.namespace}>
                        {t('gpu-quota.workspace.holder', {
                          namespace: h.namespace,
                          base: h.base,
                          max: h.max,
                        })}
                      </div>
                    ))}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
