// What a workspace's projects hold of one workspace row, for the split editor's live "remaining" on rows the
// workspace has no quota for yet (saved rows come with the server's figures). The rule is the server's, written
// once in contracts (quota-split): which workspace row governs a project row depends on every row the workspace
// will have, so the rows being entered count as they will once saved.
import { workspaceRowHoldings, type ProjectQuotaRows, type QuotaRowOf } from '@ks-gpu-ml/contracts';

/** A workspace row as edited: the text of its inputs; a row with nothing entered is not sent (rows.ts toInput). */
interface EditedRow extends QuotaRowOf {
  base: string;
  max: string;
}

const entered = (r: EditedRow) => r.base.trim() !== '' || r.max.trim() !== '';

export function heldByProjects(
  row: QuotaRowOf,
  projects: readonly ProjectQuotaRows[],
  workspaceRows: readonly EditedRow[],
): { base: number; max: number } {
  const same = (r: QuotaRowOf) => r.resource === row.resource && r.model === row.model;
  const governing = [...workspaceRows.filter((r) => entered(r) && !same(r)), row];
  const held = workspaceRowHoldings(governing, projects).at(-1);
  return { base: held?.allocatedBase ?? 0, max: held?.allocatedMax ?? 0 };
}
