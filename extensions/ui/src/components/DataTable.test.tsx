// The table every monitoring page lists GPUs, pods and projects in: filter, sort by a column header, page through.
import '../testing/dom.js';
import React from 'react';
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { fireEvent, screen, within } from '@testing-library/react';
import enUi from '../../../../locales/en/ui.json';
import zhUi from '../../../../locales/zh/ui.json';
import { cleanupPages, renderPart, speakEnglish } from '../testing/render.js';
import { UI_IDS } from '../test-ids.js';
import { DataTable, type Column } from './DataTable.js';

interface Gpu {
  uuid: string;
  node: string;
  util: number;
}
// 45 GPUs on three nodes: gpu-00 … gpu-44, utilization rising with the index.
const gpus: Gpu[] = Array.from({ length: 45 }, (_, i) => ({
  uuid: `gpu-${String(i).padStart(2, '0')}`,
  node: `node-${i % 3}`,
  util: i,
}));
const columns: Column<Gpu>[] = [
  { key: 'uuid', title: 'GPU', sortValue: (g) => g.uuid },
  { key: 'node', title: 'Node' },
  { key: 'util', title: 'Utilization', sortValue: (g) => g.util },
];

beforeEach(() => speakEnglish({ en: enUi, zh: zhUi }));
afterEach(cleanupPages);

const openTable = () =>
  renderPart(
    <DataTable<Gpu>
      columns={columns}
      rows={gpus}
      rowKey={(g) => g.uuid}
      searchText={(g) => `${g.uuid} ${g.node}`}
      initialSort={{ key: 'uuid', direction: 'asc' }}
      pageSize={20}
      emptyTitle="No GPUs"
    />,
  );
const firstCells = () =>
  within(screen.getByTestId(UI_IDS.dataTable))
    .getAllByRole('row')
    .slice(1)
    .map((row) => row.querySelector('td')?.textContent);

test('pages of 20: the footer counts, Next and a page number move, Previous is off on the first page', () => {
  openTable();
  assert.equal(firstCells().length, 20);
  assert.ok(screen.getByText('1–20 of 45'), 'the text is shown');
  assert.equal(screen.getByLabelText('Previous page').hasAttribute('disabled'), true);
  fireEvent.click(screen.getByLabelText('Next page'));
  assert.equal(firstCells()[0], 'gpu-20');
  fireEvent.click(screen.getByRole('button', { name: '3' }));
  assert.deepEqual(firstCells(), ['gpu-40', 'gpu-41', 'gpu-42', 'gpu-43', 'gpu-44']);
  assert.equal(screen.getByLabelText('Next page').hasAttribute('disabled'), true);
});

test('a column header sorts, and a second click reverses; a column without sortValue does not sort', () => {
  openTable();
  const util = screen.getByRole('columnheader', { name: /Utilization/ });
  fireEvent.click(util);
  assert.equal(util.getAttribute('aria-sort'), 'ascending');
  assert.equal(firstCells()[0], 'gpu-00');
  fireEvent.click(util);
  assert.equal(util.getAttribute('aria-sort'), 'descending');
  assert.equal(firstCells()[0], 'gpu-44');
  const node = screen.getByRole('columnheader', { name: 'Node' });
  assert.equal(node.getAttribute('aria-sort'), null);
  fireEvent.click(node);
  assert.equal(firstCells()[0], 'gpu-44', 'order kept');
});

test('filtering narrows the rows, returns to page 1, and an empty result says so', () => {
  openTable();
  fireEvent.click(screen.getByLabelText('Next page'));
  fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'node-1' } });
  assert.ok(screen.getByText('1–15 of 15'), 'the text is shown');
  assert.equal(firstCells()[0], 'gpu-01');
  fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'no-such-gpu' } });
  assert.match(screen.getByTestId(UI_IDS.stateEmpty).textContent ?? '', /No GPUs/);
});
