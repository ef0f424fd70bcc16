// The rows of a save as the domain takes them, validated before anything else is read or checked: 400 naming
// the first field (every problem in details), or the rows with the warnings to pass on.
import type { GpuQuotaRowInput } from '@ks-gpu-ml/contracts';
import type { Language } from '../../core/i18n.js';
import { contractRow } from './answers.js';
import type { QuotaContext } from './context.js';
import { validateQuota, type QuotaRow, type ValidationContext } from './model.js';
import type { FieldProblem } from './problems.js';

export function acceptedRows(
  ctx: QuotaContext,
  lang: Language,
  input: readonly GpuQuotaRowInput[],
  against: Omit<ValidationContext, 'table' | 'maxAmount'>,
): { rows: QuotaRow[]; warnings: FieldProblem[] } {
  const rows = input.map(contractRow);
  const validation = validateQuota(
    { resources: rows },
    { ...against, table: ctx.table, ...(ctx.maxAmount ? { maxAmount: ctx.maxAmount } : {}) },
  );
  if (!validation.ok) throw ctx.answers.refuse(lang, validation.errors);
  return { rows, warnings: validation.warnings };
}
