// The GPU table: who holds each GPU, linked to their project and workload pages where the layout has them; a free
// GPU says so; an XID error shows its code on the health badge.
import '@ks-gpu-ml/ui/testing/dom';
import React from 'react';
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { screen, within } from '@testing-library/react';
import type { GpuCard } from '@ks-gpu-ml/contracts';
import { cleanupPages, renderPart, speakEnglish } from '@ks-gpu-ml/ui/testing/render';
import { clusterLinks } from '../links.js';
import { locales } from '../locales.js';
import { GpuTable } from './GpuTable.js';

const card = (gpu: string, extra: Partial<GpuCard>): GpuCard => ({
  node: 'gpu-node-1',
  gpu,
  uuid: `GPU-${gpu}`,
  model: 'NVIDIA-A100',
  devices: 1,
  holders: [],
  health: 'ok',
  ...extra,
});

beforeEach(() => speakEnglish(locales));
afterEach(cleanupPages);

const rowOf = (text: string) =>
  within(screen.getByTestId('gpu-table'))
    .getAllByRole('row')
    .find((r) => within(r).queryByText(text, { exact: false }) !== null)!;

test('a held GPU links its holder’s project and pod; a free one says free', () => {
  renderPart(
    <GpuTable
      cards={[
        card('0', { holders: [{ namespace: 'team-a', pod: 'train-0', container: 'main' }] }),
        card('1', {}),
      ]}
      links={clusterLinks('host')}
    />,
  );
  const held = rowOf('train-0');
  const hrefs = within(held)
    .getAllByRole('link')
    .map((a) => a.getAttribute('href'));
  assert.ok(hrefs.includes('/clusters/host/gpu-monitoring/projects/team-a'), String(hrefs));
  assert.ok(hrefs.includes('/clusters/host/gpu-monitoring/projects/team-a/workloads/train-0'), String(hrefs));
  assert.match(held.textContent ?? '', /\(main\)/);
  assert.match(rowOf('gpu-node-1/1').textContent ?? '', /free/);
});

test('without links the holder is plain text, and an XID error names its code with the message on hover', () => {
  renderPart(
    <GpuTable
      cards={[
        card('0', {
          holders: [{ namespace: 'team-a', pod: 'train-0' }],
          health: 'xid',
          xid: { code: '79', message: 'GPU has fallen off the bus' },
        }),
      ]}
    />,
  );
  const row = rowOf('train-0');
  assert.equal(within(row).queryAllByRole('link').length, 0);
  const badge = within(row).getByTestId('health');
  assert.equal(badge.dataset.health, 'xid');
  assert.equal(badge.textContent, 'XID error 79');
  assert.equal(badge.getAttribute('title'), 'XID 79: GPU has fallen off the bus');
});
