import React from 'react';
import { useParams } from 'react-router-dom';
import { PageHeader, PlatformOverview, t } from '@ks-gpu-ml/ui';

/** The cmdb-alerting landing page: live status of the feature and the caller's permissions from the platform API. */
export function LandingPage() {
  const { workspace = '' } = useParams();
  return (
    <div data-testid="cmdb-alerting-landing" style={{ padding: 20 }}>
      <PageHeader
        title={t('cmdb-alerting.title')}
        description={t('cmdb-alerting.description')}
        breadcrumbs={[
          { label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/overview` },
          { label: t('cmdb-alerting.title') },
        ]}
      />
      <PlatformOverview feature="cmdb-alerting" workspace={workspace} />
    </div>
  );
}
