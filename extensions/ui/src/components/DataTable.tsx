import React, { useEffect, useMemo, useState } from 'react';
import styled from 'styled-components';
import { t } from '../i18n.js';
import {
  PAGE_SIZES,
  clampPage,
  filterRows,
  pageCount,
  pageRange,
  pageSlice,
  pageWindow,
  sortRows,
  type SortDirection,
} from '../pagination.js';
import { ChoiceSelect } from './ChoiceSelect.js';
import { EmptyState } from './States.js';
import { UI_IDS } from '../test-ids.js';

export interface Column<T> {
  key: string;
  title: string;
  render?: (row: T) => React.ReactNode;
  /** The value to sort by; columns without it are not sortable. */
  sortValue?: (row: T) => unknown;
  width?: number | string;
  align?: 'left' | 'right' | 'center';
}

export interface DataTableProps<T> {
  columns: Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /** Text searched by the filter box; without it there is no filter box. */
  searchText?: (row: T) => string;
  initialSort?: { key: string; direction: SortDirection };
  pageSize?: number;
  emptyTitle?: string;
  /** Extra controls shown left of the filter box (e.g. a time-range picker). */
  toolbar?: React.ReactNode;
}

const Wrap = styled.div`
  background: #fff;
  border-radius: 4px;
  box-shadow: 0 4px 8px 0 rgba(36, 46, 66, 0.06);
`;
const Toolbar = styled.div`
  display: flex;
  gap: 12px;
  align-items: center;
  padding: 12px 16px;
  border-bottom: 1px solid #e3e9ef;
  input {
    flex: 1;
    max-width: 320px;
    height: 32px;
    border: 1px solid #ccd3db;
    border-radius: 16px;
    padding: 0 12px;
  }
`;
const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  th,
  td {
    padding: 10px 16px;
    border-bottom: 1px solid #eff4f9;
    text-align: left;
  }
  th {
    font-size: 12px;
    color: #79879c;
    font-weight: 600;
    user-select: none;
  }
  th[aria-sort] {
    cursor: pointer;
  }
`;
const Footer = styled.div`
  display: flex;
  align-items: center;
  justify-content: space-between;
  padding: 8px 16px;
  font-size: 12px;
  color: #79879c;
  button {
    min-width: 28px;
    height: 28px;
    margin: 0 2px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    background: #fff;
    cursor: pointer;
  }
  button[aria-current='page'] {
    border-color: #3385ff;
    color: #3385ff;
  }
  button:disabled {
    cursor: default;
    opacity: 0.5;
  }
`;

/**
 * A client-side paginated, sortable, filterable table. Sorting and filtering are memoized and only the
 * current page's rows are rendered, so it stays responsive with thousands of rows.
 */
export function DataTable<T>({
  columns,
  rows,
  rowKey,
  searchText,
  initialSort,
  pageSize: initialPageSize = 20,
  emptyTitle,
  toolbar,
}: DataTableProps<T>) {
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState(initialSort);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(initialPageSize);

  const filtered = useMemo(
    () => (searchText && query ? filterRows(rows, query, searchText) : rows),
    [rows, query, searchText],
  );
  const sorted = useMemo(() => {
    const column = sort && columns.find((c) => c.key === sort.key);
    return column?.sortValue && sort ? sortRows(filtered, column.sortValue, sort.direction) : filtered;
  }, [filtered, sort, columns]);

  const count = pageCount(sorted.length, pageSize);
  const current = clampPage(page, sorted.length, pageSize);
  useEffect(() => {
    if (current !== page) setPage(current);
  }, [current, page]);
  const visible = pageSlice(sorted, { page: current, pageSize });
  const { first, last } = pageRange(sorted.length, { page: current, pageSize });

  const toggleSort = (key: string) =>
    setSort((s) =>
      s?.key === key ? { key, direction: s.direction === 'asc' ? 'desc' : 'asc' } : { key, direction: 'asc' },
    );

  return (
    <Wrap data-testid={UI_IDS.dataTable}>
      {(searchText || toolbar) && (
        <Toolbar>
          {toolbar}
          {searchText && (
            <input
              type="search"
              value={query}
              placeholder={t('ui.table.search')}
              aria-label={t('ui.table.search')}
              onChange={(e) => {
                setQuery(e.target.value);
                setPage(1);
              }}
            />
          )}
        </Toolbar>
      )}
      <Table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                style={{ width: c.width, textAlign: c.align }}
                aria-sort={
                  c.sortValue
                    ? sort?.key === c.key
                      ? sort.direction === 'asc'
                        ? 'ascending'
                        : 'descending'
                      : 'none'
                    : undefined
                }
                onClick={c.sortValue ? () => toggleSort(c.key) : undefined}
              >
                {c.title}
                {sort?.key === c.key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {visible.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} style={{ textAlign: c.align }}>
                  {c.render ? c.render(row) : String((row as Record<string, unknown>)[c.key] ?? '')}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </Table>
      {sorted.length === 0 ? (
        <EmptyState title={emptyTitle} />
      ) : (
        <Footer>
          <span>{t('ui.table.range', { first, last, total: sorted.length })}</span>
          <span>
            <ChoiceSelect
              ariaLabel={t('ui.table.pageSize')}
              value={pageSize}
              choices={PAGE_SIZES}
              label={(size) => t('ui.table.perPage', { size })}
              onChange={(size) => {
                setPageSize(size);
                setPage(1);
              }}
            />{' '}
            <button
              type="button"
              disabled={current <= 1}
              onClick={() => setPage(current - 1)}
              aria-label={t('ui.table.previous')}
            >
              ‹
            </button>
            {pageWindow(current, count).map((p, i) =>
              p === null ? (
                <span key={`gap-${i}`}>…</span>
              ) : (
                <button
                  key={p}
                  type="button"
                  aria-current={p === current ? 'page' : undefined}
                  onClick={() => setPage(p)}
                >
                  {p}
                </button>
              ),
            )}
            <button
              type="button"
              disabled={current >= count}
              onClick={() => setPage(current + 1)}
              aria-label={t('ui.table.next')}
            >
              ›
            </button>
          </span>
        </Footer>
      )}
    </Wrap>
  );
}
