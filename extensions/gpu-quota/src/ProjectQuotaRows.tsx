import React from 'react';
import styled from 'styled-components';
import type { ProjectGpuQuota } from '@ks-gpu-ml/contracts';
import { QuantityInput, t } from '@ks-gpu-ml/ui';
import { Enforcement } from './Enforcement.js';
import { UsageBar } from './UsageBar.js';
import { num, rowKey, type DraftRow, type FieldErrors } from './rows.js';

const Table = styled.table`
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

type Row = ProjectGpuQuota['rows'][number];

export interface ProjectQuotaRowsProps {
  rows: readonly DraftRow[];
  saved: readonly Row[];
  usage: Record<string, number>;
  canEdit: boolean;
  errors: FieldErrors;
  onChange: (index: number, field: 'base' | 'max', value: string | undefined) => void;
}

function Errors({ messages, testId }: { messages: string[] | undefined; testId: string }) {
  if (!messages?.length) return null;
  return (
    <FieldError role="alert" data-testid={testId}>
      {messages.map((m, i) => (
        <div key={i}>{m}</div>
      ))}
    </FieldError>
  );
}

/** One row per GPU resource: base and max (inputs when the caller may edit), the usage bar, enforcement. */
export function ProjectQuotaRows({ rows, saved, usage, canEdit, errors, onChange }: ProjectQuotaRowsProps) {
  return (
    <Table data-testid="quota-rows">
      <thead>
        <tr>
          <th>{t('gpu-quota.col.resource')}</th>
          <th>{t('gpu-quota.col.base')}</th>
          <th>{t('gpu-quota.col.max')}</th>
          <th>{t('gpu-quota.col.usage')}</th>
          <th>{t('gpu-quota.col.enforcement')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => {
          const key = rowKey(r);
          const s = saved.find((x) => rowKey(x) === key);
          const input = (field: 'base' | 'max') =>
            canEdit ? (
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
              <span data-testid={`value-${field}`}>{r[field] === '' ? '—' : r[field]}</span>
            );
          return (
            <tr key={key} data-testid="quota-row" data-resource={r.resource} data-model={r.model ?? ''}>
              <td>
                <strong>{r.resource}</strong>
                {r.model && <div style={{ color: '#79879c' }}>{r.model}</div>}
                <Errors messages={errors[`${i}.row`]} testId="row-error" />
              </td>
              <td>
                {input('base')}
                <Errors messages={errors[`${i}.base`]} testId="field-error-base" />
              </td>
              <td>
                {input('max')}
                <Errors messages={errors[`${i}.max`]} testId="field-error-max" />
              </td>
              <td>
                <UsageBar
                  used={s?.used ?? usage[r.resource] ?? 0}
                  base={s ? s.base : num(r.base)}
                  max={s ? s.max : undefined}
                  pending={s?.pending ?? 0}
                />
              </td>
              <td>
                {s ? (
                  <>
                    <Enforcement
                      label={t('gpu-quota.col.base')}
                      state={s.enforcement.base.state}
                      by={s.enforcement.base.by}
                    />
                    <Enforcement
                      label={t('gpu-quota.col.max')}
                      state={s.enforcement.max.state}
                      by={s.enforcement.max.by}
                    />
                  </>
                ) : (
                  <span style={{ color: '#79879c' }}>{t('gpu-quota.enforcement.noQuota')}</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
