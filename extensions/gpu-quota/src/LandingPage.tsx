import React from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, PlatformOverview, t } from '@ks-gpu-ml/ui';

/** The gpu-quota landing page: live status of the feature and the caller's permissions from the platform API. */
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
      <PlatformOverview feature="gpu-quota" cluster={cluster} />
    </div>
  );
}
