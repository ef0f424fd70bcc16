import React from 'react';
import type { ProjectGpuQuota } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { Enforcement } from './Enforcement.js';
import { QuotaRowsTable, type OnQuotaChange } from './QuotaCells.js';
import { UsageBar } from './UsageBar.js';
import { num, type DraftRow, type FieldErrors } from '../rows.js';
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
export function ProjectQuotaRows({ usage, ...table }: ProjectQuotaRowsProps) {
  return (
    <QuotaRowsTable<Row>
      {...table}
      testId={QUOTA_IDS.rows}
      rowTestId={QUOTA_IDS.row}
      headings={[t('gpu-quota.col.usage'), t('gpu-quota.col.enforcement')]}
      cells={(r, s) => (
        <>
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
        </>
      )}
    />
  );
}
