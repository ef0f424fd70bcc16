// The GPUs of a cluster or node: figures, who holds each one (linked to their project and workload) and health.
import React, { useMemo } from 'react';
import { Link } from 'react-router-dom';
import type { GpuCard } from '@ks-gpu-ml/contracts';
import { t, type Column } from '@ks-gpu-ml/ui';
import type { Links } from '../links.js';
import { gpuName, holderText } from '../shape.js';
import { figureColumns, gpuColumn, modelColumn, PagedTable } from './columns.js';
import { HealthBadge } from './HealthBadge.js';
import { Muted, Panel } from './layout.js';

const nodeColumn = (links: Partial<Links>): Column<GpuCard> => ({
  key: 'node',
  title: t('gpu-monitoring.col.node'),
  sortValue: (c) => c.node,
  render: (c) => (links.node ? <Link to={links.node(c.node)}>{c.node}</Link> : c.node),
});

const holderColumn = (links: Partial<Links>): Column<GpuCard> => ({
  key: 'holder',
  title: t('gpu-monitoring.col.holder'),
  sortValue: (c) => holderText(c.holders),
  render: (c) =>
    c.holders.length === 0 ? (
      <Muted>{t('gpu-monitoring.free')}</Muted>
    ) : (
      c.holders.map((h, i) => (
        <div key={i}>
          {links.project ? <Link to={links.project(h.namespace)}>{h.namespace}</Link> : h.namespace}/
          {links.workload ? <Link to={links.workload(h.namespace, h.pod)}>{h.pod}</Link> : h.pod}
          {h.container ? ` (${h.container})` : ''}
        </div>
      ))
    ),
});

const gpuColumns = (links: Partial<Links>, opts: { node?: boolean }): Column<GpuCard>[] => [
  gpuColumn(links),
  modelColumn(),
  ...(opts.node === false ? [] : [nodeColumn(links)]),
  ...figureColumns<GpuCard>('utilization', 'tensor', 'memory', 'power', 'temperature'),
  holderColumn(links),
  {
    key: 'health',
    title: t('gpu-monitoring.col.health'),
    sortValue: (c) => c.health,
    render: (c) => <HealthBadge card={c} />,
  },
];

export function GpuTable({
  cards,
  links = {},
  showNode = true,
}: {
  cards: readonly GpuCard[];
  links?: Partial<Links>;
  showNode?: boolean;
}) {
  const columns = useMemo(() => gpuColumns(links, { node: showNode }), [links, showNode]);
  return (
    <PagedTable<GpuCard>
      testId="gpu-table"
      columns={columns}
      rows={cards}
      rowKey={(c) => `${c.uuid}|${c.migInstance ?? ''}`}
      searchText={(c) => `${gpuName(c)} ${c.model} ${c.uuid} ${holderText(c.holders)}`}
      initialSort={{ key: 'gpu', direction: 'asc' }}
      emptyTitle={t('gpu-monitoring.noGpus')}
    />
  );
}

/** The panel of the GPUs a workspace, project or workload holds. */
export function HeldGpusPanel({ cards, links }: { cards: readonly GpuCard[]; links: Partial<Links> }) {
  return (
    <Panel title={t('gpu-monitoring.heldTitle')}>
      <GpuTable cards={cards} links={links} />
    </Panel>
  );
}
