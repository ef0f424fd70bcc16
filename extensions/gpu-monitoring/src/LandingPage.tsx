import React from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, PlatformOverview, t } from '@ks-gpu-ml/ui';

/** The gpu-monitoring landing page: live status of the feature and the caller's permissions from the platform API. */
export function LandingPage() {
  const { cluster = '' } = useParams();
  return (
    <div data-testid="gpu-monitoring-landing" style={{ padding: 20 }}>
      <PageHeader
        title={t('gpu-monitoring.title')}
        description={t('gpu-monitoring.description')}
        breadcrumbs={[
          { label: t('ui.crumb.cluster', { cluster }), to: `/clusters/${cluster}/overview` },
          { label: t('gpu-monitoring.title') },
        ]}
      />
      <PlatformOverview feature="gpu-monitoring" cluster={cluster} />
    </div>
  );
}
