import React from 'react';
import type { ProjectGpuQuota } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { Enforcement } from './Enforcement.js';
import { BaseMaxCells, QuotaTable, ResourceCell, type OnQuotaChange } from './QuotaCells.js';
import { UsageBar } from './UsageBar.js';
import { num, rowKey, type DraftRow, type FieldErrors } from '../rows.js';
import { QUOTA_IDS } from '../test-ids.js';

type Row = ProjectGpuQuota['rows'][number];

export interface ProjectQuotaRowsProps {
  rows: readonly DraftRow[];
  saved: readonly Row[];
  usage: Record<string, number>;
  canEdit: boolean;
  errors: FieldErrors;
  onChange: OnQuotaChange;
}

/** One row per GPU resource: base and max (inputs when the caller may edit), the usage bar, enforcement. */
export function ProjectQuotaRows({ rows, saved, usage, canEdit, errors, onChange }: ProjectQuotaRowsProps) {
  return (
    <QuotaTable data-testid={QUOTA_IDS.rows}>
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
          return (
            <tr key={key} data-testid={QUOTA_IDS.row} data-resource={r.resource} data-model={r.model ?? ''}>
              <ResourceCell row={r} errors={errors[`${i}.row`]} />
              <BaseMaxCells row={r} index={i} canEdit={canEdit} errors={errors} onChange={onChange} />
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
    </QuotaTable>
  );
}
