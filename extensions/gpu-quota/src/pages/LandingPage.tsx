import React from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, PlatformOverview, t } from '@ks-gpu-ml/ui';
import { ClusterView } from '../components/ClusterView.js';

/** The gpu-quota cluster page: the cluster quota view, then the feature's status and the caller's permissions. */
export function LandingPage() {
  const { cluster = '' } = useParams();
  return (
    <div data-testid="gpu-quota-landing" style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-quota.title')}
        description={t('gpu-quota.description')}
        breadcrumbs={[
          { label: t('ui.crumb.cluster', { cluster }), to: `/clusters/${cluster}/overview` },
          { label: t('gpu-quota.title') },
        ]}
      />
      <div style={{ display: 'flex', flexDirection: 'column', gap: 16 }}>
        <ClusterView cluster={cluster} />
        <PlatformOverview feature="gpu-quota" cluster={cluster} />
      </div>
    </div>
  );
}
