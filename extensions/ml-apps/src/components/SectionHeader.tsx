// The header of a project's ML page (notebooks, training jobs, models, serving), which ProjectSection and
// ServingFrame had each written: the section's title and crumb, and links to the project's other pages.
import React from 'react';
import { PageHeader, ProjectLinks, t } from '@ks-gpu-ml/ui';
import { SectionLinks } from './SectionLinks.js';

export function SectionHeader(props: {
  section: 'notebooks' | 'trainjobs' | 'models' | 'serving';
  workspace: string;
  namespace: string;
  cluster: string | undefined;
}) {
  const { section, workspace, namespace, cluster } = props;
  return (
    <PageHeader
      title={t(`ml-apps.${section}.title`)}
      description={t(`ml-apps.${section}.description`, { namespace })}
      breadcrumbs={[
        { label: t('ml-apps.title'), to: `/workspaces/${workspace}/ml-apps` },
        { label: t(`ml-apps.${section}.crumb`, { namespace }) },
      ]}
      actions={
        <>
          <SectionLinks workspace={workspace} namespace={namespace} />
          <ProjectLinks namespace={namespace} workspace={workspace} cluster={cluster} except="ml-apps" />
        </>
      }
    />
  );
}
