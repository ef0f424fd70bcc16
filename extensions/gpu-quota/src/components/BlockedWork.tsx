import React from 'react';
import type { ProjectGpuQuota } from '@ks-gpu-ml/contracts';
import { DataTable, t } from '@ks-gpu-ml/ui';

type Item = ProjectGpuQuota['blocked'][number];

const REASON_KEYS: Record<string, string> = {
  quota: 'gpu-quota.blocked.reasonQuota',
  capacity: 'gpu-quota.blocked.reasonCapacity',
  queue: 'gpu-quota.blocked.reasonQueue',
};

const requests = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

/** Pending and blocked work with the reason the apiserver or the scheduler gave, verbatim. */
export function BlockedWork({ items }: { items: readonly Item[] }) {
  return (
    <div data-testid="blocked-work">
      <DataTable<Item>
        columns={[
          {
            key: 'reason',
            title: t('gpu-quota.blocked.colReason'),
            render: (b) => (REASON_KEYS[b.reason] ? t(REASON_KEYS[b.reason]!) : b.reason),
            sortValue: (b) => b.reason,
          },
          {
            key: 'object',
            title: t('gpu-quota.blocked.colObject'),
            render: (b) => `${b.object.kind}/${b.object.name}`,
            sortValue: (b) => b.object.name,
          },
          { key: 'requests', title: t('gpu-quota.blocked.colRequests'), render: (b) => requests(b.requests) },
          {
            key: 'message',
            title: t('gpu-quota.blocked.colMessage'),
            render: (b) => (
              <span data-testid="blocked-message">
                {b.message}
                {b.count && b.count > 1 ? ` (×${b.count})` : ''}
              </span>
            ),
          },
        ]}
        rows={items}
        rowKey={(b) => `${b.reason}/${b.object.kind}/${b.object.name}`}
        emptyTitle={t('gpu-quota.blocked.none')}
        pageSize={10}
      />
    </div>
  );
}
