import React from 'react';
import { Card } from '@kubed/components';
import { ErrorState, LoadingState, t } from '@ks-gpu-ml/ui';
import { useClusterView } from '../api.js';
import { CapacityChart } from './CapacityChart.js';
import { ClusterProjects } from './ClusterProjects.js';
import { ClusterResources } from './ClusterResources.js';

/** The cluster's GPU quotas: capacity vs Σbase vs Σmax, over-commitment, every project and top consumers. */
export function ClusterView({ cluster }: { cluster: string }) {
  const view = useClusterView(cluster);
  if (view.error) return <ErrorState error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data) return <LoadingState />;
  const data = view.data;
  return (
    <div data-testid="cluster-quota-view" style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
      {data.overcommitted > 0 && (
        <div role="status" data-testid="overcommitted-banner" style={{ color: '#ca2621', fontWeight: 600 }}>
          {t('gpu-quota.cluster.overcommittedBanner', { count: data.overcommitted })}
        </div>
      )}
      <Card sectionTitle={t('gpu-quota.cluster.chartTitle')}>
        <div style={{ color: '#79879c', fontSize: 12, marginBottom: 8 }} data-testid="enforcer">
          {t('gpu-quota.cluster.enforcer', { enforcer: data.enforcer.enforcer })}
          {data.enforcer.setting !== 'auto' &&
            ` · ${t('gpu-quota.cluster.enforcerSetting', { setting: data.enforcer.setting })}`}
        </div>
        {data.enforcer.problem && (
          <div role="alert" data-testid="enforcer-problem" style={{ color: '#ca2621', marginBottom: 8 }}>
            {data.enforcer.problem.message}
          </div>
        )}
        <CapacityChart resources={data.resources} />
      </Card>
      <Card sectionTitle={t('gpu-quota.cluster.resourcesTitle')}>
        <ClusterResources resources={data.resources} />
      </Card>
      <Card sectionTitle={t('gpu-quota.cluster.projectsTitle')}>
        <ClusterProjects projects={data.projects} cluster={cluster} />
      </Card>
    </div>
  );
}
