import React from 'react';
import styled from 'styled-components';
import type { WorkspaceGpuQuota } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { QuotaRowsTable, type OnQuotaChange } from './QuotaCells.js';
import { num, type DraftRow, type FieldErrors } from '../rows.js';
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
export function WorkspaceSplit({ projects, ...table }: WorkspaceSplitProps) {
  return (
    <QuotaRowsTable<Row>
      {...table}
      testId={QUOTA_IDS.workspaceRows}
      rowTestId={QUOTA_IDS.workspaceRow}
      headings={[
        t('gpu-quota.workspace.allocated'),
        t('gpu-quota.workspace.remaining'),
        t('gpu-quota.workspace.holders'),
      ]}
      cells={(r, s) => <SplitCells row={r} saved={s} projects={projects} rows={table.rows} />}
    />
  );
}

/** What the workspace's projects hold of a row, what is left of it, and who holds it. */
function SplitCells({
  row: r,
  saved: s,
  projects,
  rows,
}: {
  row: DraftRow;
  saved: Row | undefined;
  projects: WorkspaceGpuQuota['projects'];
  rows: readonly DraftRow[];
}) {
  const held = s ? { base: s.allocatedBase, max: s.allocatedMax } : heldByProjects(r, projects, rows);
  const leftBase = num(r.base) - held.base;
  const leftMax = num(r.max) - held.max;
  // No workspace quota for this resource (nothing entered): nothing is "left", use is not limited.
  const unlimited = r.base.trim() === '' && r.max.trim() === '';
  return (
    <>
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
                {t('gpu-quota.workspace.holder', { namespace: h.namespace, base: h.base, max: h.max })}
              </div>
            ))}
      </td>
    </>
  );
}
