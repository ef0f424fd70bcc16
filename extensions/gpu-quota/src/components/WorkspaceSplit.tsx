import React from 'react';
import styled from 'styled-components';
import type { WorkspaceGpuQuota } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { BaseMaxCells, QuotaTable, ResourceCell, type OnQuotaChange } from './QuotaCells.js';
import { num, rowKey, type DraftRow, type FieldErrors } from '../rows.js';
import { heldByProjects } from '../split.js';
import { QUOTA_IDS } from '../test-ids.js';

const Over = styled.span<{ $over: boolean }>`
  color: ${(p) => (p.$over ? '#ca2621' : 'inherit')};
  font-weight: ${(p) => (p.$over ? 600 : 'normal')};
`;

type Row = WorkspaceGpuQuota['rows'][number];

export interface WorkspaceSplitProps {
  rows: readonly DraftRow[];
  saved: readonly Row[];
  /** The workspace's projects with their rows: what they hold of a row the workspace has no quota for yet. */
  projects: WorkspaceGpuQuota['projects'];
  canEdit: boolean;
  errors: FieldErrors;
  onChange: OnQuotaChange;
}

/** The workspace's base and max per resource, what its projects hold, and what is left (live while editing). */
export function WorkspaceSplit({ rows, saved, projects, canEdit, errors, onChange }: WorkspaceSplitProps) {
  return (
    <QuotaTable data-testid={QUOTA_IDS.workspaceRows}>
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
          const held = s ? { base: s.allocatedBase, max: s.allocatedMax } : heldByProjects(r, projects, rows);
          const leftBase = num(r.base) - held.base;
          const leftMax = num(r.max) - held.max;
          // No workspace quota for this resource (nothing entered): nothing is "left", use is not limited.
          const unlimited = r.base.trim() === '' && r.max.trim() === '';
          return (
            <tr
              key={key}
              data-testid={QUOTA_IDS.workspaceRow}
              data-resource={r.resource}
              data-model={r.model ?? ''}
            >
              <ResourceCell row={r} errors={errors[`${i}.row`]} />
              <BaseMaxCells row={r} index={i} canEdit={canEdit} errors={errors} onChange={onChange} />
              <td>{t('gpu-quota.workspace.pair', held)}</td>
              {unlimited ? (
                <td data-testid={QUOTA_IDS.workspaceRemaining} data-base="" data-max="">
                  {t('gpu-quota.workspace.noQuota')}
                </td>
              ) : (
                <td data-testid={QUOTA_IDS.workspaceRemaining} data-base={leftBase} data-max={leftMax}>
                  <Over $over={leftBase < 0}>{t('gpu-quota.workspace.leftBase', { value: leftBase })}</Over>
                  {' · '}
                  <Over $over={leftMax < 0}>{t('gpu-quota.workspace.leftMax', { value: leftMax })}</Over>
                </td>
              )}
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
    </QuotaTable>
  );
}
