import React from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, PlatformOverview, t } from '@ks-gpu-ml/ui';

/** The ml-apps landing page: live status of the feature and the caller's permissions from the platform API. */
export function LandingPage() {
  const { workspace = '' } = useParams();
  return (
    <div data-testid="ml-apps-landing" style={{ padding: 20 }}>
      <PageHeader
        title={t('ml-apps.title')}
        description={t('ml-apps.description')}
        breadcrumbs={[
          { label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/overview` },
          { label: t('ml-apps.title') },
        ]}
      />
      <PlatformOverview feature="ml-apps" workspace={workspace} />
    </div>
  );
}
