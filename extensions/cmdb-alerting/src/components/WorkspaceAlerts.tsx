// A workspace's alerts (ADR 0044): those its own policies escalate — whom they concern — with state, step, who
// acknowledged and the business system; each opens the alert's page (escalation, timeline, delivery trail).
import React from 'react';
import { Link } from 'react-router-dom';
import type { WorkspaceAlert } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t, timeColumn, valueColumn } from '@ks-gpu-ml/ui';
import { useWorkspaceAlerts } from '../api.js';
import { ALERTING_IDS } from '../test-ids.js';
import { Badge } from './kit.js';

export function WorkspaceAlerts({ workspace }: { workspace: string }) {
  const alerts = useWorkspaceAlerts(workspace);
  if (alerts.error) return <ErrorState error={alerts.error} onRetry={() => void alerts.refetch()} />;
  if (!alerts.data) return <LoadingState />;
  return (
    <div data-testid={ALERTING_IDS.workspaceAlerts} style={{ marginBottom: 16 }}>
      <DataTable<WorkspaceAlert>
        columns={[
          {
            key: 'alert',
            title: t('cmdb-alerting.column.alert'),
            render: (a) => (
              <Link
                to={`/workspaces/${workspace}/cmdb-alerting/alerts/${a.alertKey}`}
                data-testid={ALERTING_IDS.workspaceAlertRow}
              >
                {a.labels.alertname ?? a.alertKey}
              </Link>
            ),
            sortValue: (a) => a.labels.alertname ?? a.alertKey,
          },
          {
            key: 'severity',
            title: t('cmdb-alerting.column.severity'),
            render: (a) => (a.labels.severity ? <Badge value={a.labels.severity} /> : '-'),
            sortValue: (a) => a.labels.severity ?? '',
          },
          valueColumn('namespace', t('cmdb-alerting.column.namespace'), (a) => a.labels.namespace),
          valueColumn('business', t('cmdb-alerting.column.business'), (a) => a.system),
          {
            key: 'escalation',
            title: t('cmdb-alerting.column.escalation'),
            render: (a) => (
              <>
                <Badge value={a.state} label={t(`cmdb-alerting.state.${a.state}`)} />{' '}
                {t('cmdb-alerting.workspaceAlerts.step', { count: a.stepsSent })} · {a.policy}
              </>
            ),
            sortValue: (a) => a.state,
          },
          {
            key: 'acknowledgedBy',
            title: t('cmdb-alerting.column.acknowledgedBy'),
            render: (a) => (a.acknowledgedBy.length ? a.acknowledgedBy.join(', ') : '-'),
          },
          timeColumn('started', t('cmdb-alerting.column.started'), (a) => a.startsAt),
        ]}
        rows={alerts.data.items}
        rowKey={(a) => a.alertKey}
        searchText={(a) => `${Object.values(a.labels).join(' ')} ${a.system ?? ''} ${a.policy}`}
        initialSort={{ key: 'started', direction: 'desc' }}
        emptyTitle={t('cmdb-alerting.workspaceAlerts.empty')}
      />
    </div>
  );
}
