// Pure paging, sorting and filtering for the DataTable. Only one page of rows is ever rendered, so a table
// over thousands of rows costs a sort (memoized) plus a slice per page change.

export interface PageState {
  /** 1-based page number. */
  page: number;
  pageSize: number;
}

export const PAGE_SIZES = [10, 20, 50, 100] as const;

export function pageCount(total: number, pageSize: number): number {
  if (!Number.isFinite(total) || total <= 0) return 1;
  return Math.max(1, Math.ceil(total / Math.max(1, Math.floor(pageSize))));
}

/** The page number clamped to [1, pageCount]; the last page after rows were removed, page 1 for junk. */
export function clampPage(page: number, total: number, pageSize: number): number {
  if (!Number.isFinite(page)) return 1;
  return Math.min(Math.max(1, Math.floor(page)), pageCount(total, pageSize));
}

export function pageSlice<T>(rows: readonly T[], state: PageState): T[] {
  const page = clampPage(state.page, rows.length, state.pageSize);
  const start = (page - 1) * state.pageSize;
  return rows.slice(start, start + state.pageSize);
}

/** "21–40 of 4,000" as numbers: the 1-based first and last row shown, 0/0 when empty. */
export function pageRange(total: number, state: PageState): { first: number; last: number } {
  if (total <= 0) return { first: 0, last: 0 };
  const page = clampPage(state.page, total, state.pageSize);
  const first = (page - 1) * state.pageSize + 1;
  return { first, last: Math.min(total, first + state.pageSize - 1) };
}

/**
 * Page numbers to offer as buttons: always the first and last, `width` around the current one, and
 * `null` for a gap ("1 … 4 5 6 … 200").
 */
export function pageWindow(current: number, count: number, width = 1): (number | null)[] {
  const pages: (number | null)[] = [];
  const lo = Math.max(2, current - width);
  const hi = Math.min(count - 1, current + width);
  pages.push(1);
  if (lo > 2) pages.push(null);
  for (let p = lo; p <= hi; p++) pages.push(p);
  if (hi < count - 1) pages.push(null);
  if (count > 1) pages.push(count);
  return pages;
}

export type SortDirection = 'asc' | 'desc';

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Compares numbers numerically, strings naturally ("gpu-2" < "gpu-10"), and puts empty values last. */
export function compareValues(a: unknown, b: unknown): number {
  const aEmpty = a === undefined || a === null || a === '';
  const bEmpty = b === undefined || b === null || b === '';
  if (aEmpty || bEmpty) return aEmpty === bEmpty ? 0 : aEmpty ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** A stable sort that leaves `rows` untouched; empty values stay last in both directions. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => unknown, direction: SortDirection): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((x, y) => {
      const xEmpty = x.key === undefined || x.key === null || x.key === '';
      const yEmpty = y.key === undefined || y.key === null || y.key === '';
      if (xEmpty !== yEmpty) return xEmpty ? 1 : -1;
      return sign * compareValues(x.key, y.key) || x.index - y.index;
    })
    .map((x) => x.row);
}

/** Rows whose text (as given by `text`) contains every whitespace-separated word of `query`, case-insensitively. */
export function filterRows<T>(rows: readonly T[], query: string, text: (row: T) => string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...rows];
  return rows.filter((row) => {
    const haystack = text(row).toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
}
