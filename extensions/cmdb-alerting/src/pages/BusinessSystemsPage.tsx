import React from 'react';
import { Link } from 'react-router-dom';
import type { BusinessSystem } from '@ks-gpu-ml/contracts';
import { DataTable, ErrorState, LoadingState, t } from '@ks-gpu-ml/ui';
import { basePath, useBusinessSystems, type AlertingScope } from '../api.js';
import { BusinessSilences } from '../components/BusinessSilences.js';
import { contactText, sourceText } from '../components/business.js';
import { Badge } from '../components/kit.js';
import { Section } from '../components/Section.js';
import { ALERTING_IDS } from '../test-ids.js';

/**
 * Business systems (cluster): each system the cluster's workloads resolve to — its importance and owners with the
 * source of each, its workloads (each linked to the mapping page's explanation of why it belongs there) and its
 * open alerts (linked to their escalation); the unowned bucket last.
 */
export function BusinessSystemsPage() {
  return (
    <Section section="businesses" testId={ALERTING_IDS.businessSystemsPage}>
      {(scope) => <Systems scope={scope} />}
    </Section>
  );
}

const workloadText = (w: BusinessSystem['workloads'][number]) => `${w.kind} ${w.namespace}/${w.name}`;

function Systems({ scope }: { scope: AlertingScope }) {
  const systems = useBusinessSystems(scope.kind === 'cluster' ? scope.cluster : undefined);
  if (systems.error) return <ErrorState error={systems.error} onRetry={() => void systems.refetch()} />;
  if (!systems.data) return <LoadingState />;
  return (
    <>
      <BusinessSilences
        cluster={scope.kind === 'cluster' ? scope.cluster : undefined}
        systems={systems.data.items.map((s) => s.name)}
      />
      {systems.data.truncated && (
        <div style={{ marginBottom: 8, color: '#f5a623' }}>{t('cmdb-alerting.businesses.truncated')}</div>
      )}
      <DataTable
        columns={[
          {
            key: 'name',
            title: t('cmdb-alerting.business.field.system'),
            render: (s) => (
              <span data-testid={ALERTING_IDS.businessSystemRow}>
                {s.unowned ? t('cmdb-alerting.business.unowned') : s.name}
              </span>
            ),
            sortValue: (s) => (s.unowned ? '\uffff' : s.name),
          },
          {
            key: 'importance',
            title: t('cmdb-alerting.business.field.importance'),
            render: (s) =>
              s.importance ? (
                <span
                  title={`${sourceText(s.importance.provenance.source)}: ${s.importance.provenance.rule}`}
                >
                  {s.importance.value}
                </span>
              ) : (
                '-'
              ),
            sortValue: (s) => s.importance?.value ?? '\uffff',
          },
          {
            key: 'owners',
            title: t('cmdb-alerting.business.field.owners'),
            render: (s) =>
              s.owners.value.length ? (
                <span title={`${sourceText(s.owners.provenance.source)}: ${s.owners.provenance.rule}`}>
                  {s.owners.value.map(contactText).join('; ')}
                </span>
              ) : (
                '-'
              ),
          },
          {
            key: 'workloads',
            title: t('cmdb-alerting.business.field.workloads'),
            render: (s) => (
              <div data-testid={ALERTING_IDS.businessSystemWorkloads}>
                {s.workloads.slice(0, 20).map((w) => (
                  <div key={workloadText(w)} title={w.provenance.rule}>
                    {workloadText(w)}
                  </div>
                ))}
                {s.workloads.length > 20 && (
                  <div>{t('cmdb-alerting.businesses.more', { count: s.workloads.length - 20 })}</div>
                )}
              </div>
            ),
            sortValue: (s) => s.workloads.length,
          },
          {
            key: 'alerts',
            title: t('cmdb-alerting.businesses.openAlerts'),
            render: (s) => (
              <div data-testid={ALERTING_IDS.businessSystemAlerts}>
                {s.openAlerts.length
                  ? s.openAlerts.slice(0, 10).map((a) => (
                      <div key={a.alertKey}>
                        <Link to={`${basePath(scope)}/alerts/${a.alertKey}`}>
                          {a.alertname || a.alertKey}
                        </Link>{' '}
                        {a.severity && <Badge value={a.severity} />}
                      </div>
                    ))
                  : '-'}
              </div>
            ),
            sortValue: (s) => s.openAlerts.length,
          },
        ]}
        rows={systems.data.items}
        rowKey={(s) => s.name}
        searchText={(s) =>
          `${s.name} ${s.importance?.value ?? ''} ${s.owners.value.map(contactText).join(' ')} ${s.workloads
            .map(workloadText)
            .join(' ')}`
        }
        initialSort={{ key: 'name', direction: 'asc' }}
        emptyTitle={t('cmdb-alerting.businesses.empty')}
      />
    </>
  );
}
