import React from 'react';
import { useParams } from 'react-router-dom';
import styled from 'styled-components';
import {
  DataTable,
  EmptyState,
  ErrorState,
  LoadingState,
  PageHeader,
  PlatformOverview,
  t,
  useTenantProjects,
} from '@ks-gpu-ml/ui';
import { useOperators } from '../api.js';
import { Page } from '../components/Page.js';
import { SectionLinks } from '../components/SectionLinks.js';
import { ML_IDS } from '../test-ids.js';

const Operators = styled.ul`
  background: #fff;
  border-radius: 4px;
  padding: 12px 20px;
  list-style: none;
  margin: 0;
  li {
    padding: 4px 0;
  }
`;

/**
 * ML Apps in a workspace, for every member: which ML operators the cluster has (and what to install for the
 * missing ones), and the caller's projects (KubeSphere's own answer for the caller) with their notebooks and training jobs.
 */
export function LandingPage() {
  const { workspace = '', cluster } = useParams();
  const operators = useOperators(cluster);
  const projects = useTenantProjects(workspace, cluster);
  const rows = projects.data?.items.map((ns) => ({ name: ns.metadata.name })) ?? [];
  return (
    <Page data-testid={ML_IDS.landing}>
      <PageHeader
        title={t('ml-apps.title')}
        description={t('ml-apps.description')}
        breadcrumbs={[
          { label: t('ui.crumb.workspace', { workspace }), to: `/workspaces/${workspace}/overview` },
          { label: t('ml-apps.title') },
        ]}
      />
      {operators.error ? (
        <ErrorState error={operators.error} onRetry={() => void operators.refetch()} />
      ) : !operators.data ? (
        <LoadingState />
      ) : (
        <Operators data-testid={ML_IDS.operators}>
          {operators.data.items.map((op) => (
            <li key={op.id} data-testid={ML_IDS.operator(op.id)}>
              <strong>{op.kind}</strong> ({op.group}/{op.version}):{' '}
              {op.installed
                ? t('ml-apps.operator.installed')
                : `${t('ml-apps.operator.notInstalled')} ${t(`ml-apps.operator.${op.id}.install`)}`}
            </li>
          ))}
        </Operators>
      )}
      {projects.error ? (
        <ErrorState error={projects.error} onRetry={projects.reload} />
      ) : !projects.data ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState title={t('ml-apps.projects.empty')} />
      ) : (
        <div data-testid={ML_IDS.projects}>
          <DataTable
            columns={[
              { key: 'name', title: t('ml-apps.projects.project'), sortValue: (r) => r.name },
              {
                key: 'notebooks',
                title: t('ml-apps.projects.apps'),
                render: (r) => <SectionLinks workspace={workspace} namespace={r.name} />,
              },
            ]}
            rows={rows}
            rowKey={(r) => r.name}
            searchText={(r) => r.name}
            initialSort={{ key: 'name', direction: 'asc' }}
            pageSize={10}
          />
        </div>
      )}
      {/* What the backend serves of ml-apps and what the caller may do, as every landing page shows it. */}
      <PlatformOverview feature="ml-apps" workspace={workspace} />
    </Page>
  );
}
