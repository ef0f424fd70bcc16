// Quota rows as edited on a page: text per input, one row per GPU resource (and model), and the problems of a
// refusal placed next to the input they name (`body.resources.<i>.base`).
import type { GpuQuotaProblem, GpuQuotaRowInput, GpuResourceList } from '@ks-gpu-ml/contracts';
import { parseResource } from '@ks-gpu-ml/ui';

export interface DraftRow {
  resource: string;
  model?: string;
  base: string;
  max: string;
}

export const rowKey = (r: { resource: string; model?: string | undefined }) =>
  r.model ? `${r.resource} (${r.model})` : r.resource;

/** The rows of a quota plus a row (empty) for every catalogue resource that has none yet. */
export function draftRows(
  rows: readonly { resource: string; model?: string; base: number; max: number }[],
  catalog: GpuResourceList | undefined,
): DraftRow[] {
  const out: DraftRow[] = rows.map((r) => ({
    resource: r.resource,
    ...(r.model ? { model: r.model } : {}),
    base: String(r.base),
    max: String(r.max),
  }));
  const have = new Set(out.map((r) => r.resource));
  for (const item of catalog?.items ?? [])
    if (!have.has(item.resource)) out.push({ resource: item.resource, base: '', max: '' });
  return out;
}

/** A number for a countable input, or the text as typed (the server explains what is wrong with it). */
function amount(text: string, countable: boolean): number {
  if (text.trim() === '') return 0;
  if (!countable) return Number(text);
  const parsed = parseResource('gpu', text);
  return parsed.ok ? parsed.value : Number(text);
}

/** What is sent: every row with a max or a base entered; `index[i]` is the draft row of sent row i. */
export function toInput(
  rows: readonly DraftRow[],
  countable: (resource: string) => boolean,
): { resources: GpuQuotaRowInput[]; index: number[] } {
  const resources: GpuQuotaRowInput[] = [];
  const index: number[] = [];
  rows.forEach((r, i) => {
    if (r.base.trim() === '' && r.max.trim() === '') return;
    const c = countable(r.resource);
    resources.push({
      resource: r.resource,
      ...(r.model ? { model: r.model } : {}),
      base: amount(r.base, c),
      max: amount(r.max, c),
    });
    index.push(i);
  });
  return { resources, index };
}

export type FieldErrors = Record<string, string[]>;

/** Places each problem at `<draft row>.<base|max>` when its path names one; the rest go to `general`. */
export function placeProblems(
  problems: readonly GpuQuotaProblem[],
  index: readonly number[],
): { fields: FieldErrors; general: GpuQuotaProblem[] } {
  const fields: FieldErrors = {};
  const general: GpuQuotaProblem[] = [];
  for (const p of problems) {
    const m = /^body\.resources\.(\d+)(?:\.(base|max|resource|model))?/.exec(p.path);
    const row = m ? index[Number(m[1])] : undefined;
    if (row === undefined) {
      general.push(p);
      continue;
    }
    const key = `${row}.${m![2] === 'base' ? 'base' : m![2] === 'max' ? 'max' : 'row'}`;
    (fields[key] ??= []).push(p.message);
  }
  return { fields, general };
}

/** Is a number, and a whole one for countable resources. */
export function validAmount(text: string, countable: boolean): boolean {
  if (text.trim() === '') return true;
  if (!countable) return Number.isFinite(Number(text)) && Number(text) >= 0;
  return parseResource('gpu', text).ok;
}

export const num = (text: string) => (text.trim() === '' ? 0 : Number(text));
