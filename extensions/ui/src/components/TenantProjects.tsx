import React from 'react';
import { useParams } from 'react-router-dom';
import styled from 'styled-components';
import { t } from '../i18n.js';
import { projectsPath } from '../tenant-api.js';
import { UI_IDS } from '../test-ids.js';
import { useApi } from '../use-api.js';
import { DataTable } from './DataTable.js';
import { PageHeader } from './PageHeader.js';
import { ProjectLinks } from './ProjectLinks.js';
import { EmptyState, ErrorState, LoadingState } from './States.js';

const Page = styled.div`
  padding: 20px;
`;

interface NamespaceList {
  items: { metadata: { name: string } }[];
}

/**
 * The workspace entry a project member reaches its projects' GPU pages from (KubeSphere 4.1's project layout takes
 * no extension menus). The projects are KubeSphere's own answer for the caller, so a member sees only its own;
 * each row links to the pages the caller may open (docs/adr/0020).
 */
export function TenantProjects() {
  const { workspace = '' } = useParams();
  const projects = useApi<NamespaceList>(projectsPath({ workspace }));
  const rows = projects.data?.items.map((ns) => ({ name: ns.metadata.name })) ?? [];
  return (
    <Page data-testid={UI_IDS.tenantProjects}>
      <PageHeader
        title={t('ui.tenantProjects.title')}
        description={t('ui.tenantProjects.description', { workspace })}
      />
      {projects.error ? (
        <ErrorState error={projects.error} onRetry={projects.reload} />
      ) : !projects.data ? (
        <LoadingState />
      ) : rows.length === 0 ? (
        <EmptyState title={t('ui.tenantProjects.empty')} />
      ) : (
        // Only the rows on screen ask for their project's capabilities (the table pages them).
        <DataTable
          columns={[
            { key: 'name', title: t('ui.tenantProjects.project'), sortValue: (r) => r.name },
            {
              key: 'pages',
              title: t('ui.tenantProjects.pages'),
              render: (r) => (
                <ProjectLinks
                  namespace={r.name}
                  workspace={workspace}
                  none={t('ui.tenantProjects.noPages')}
                />
              ),
            },
          ]}
          rows={rows}
          rowKey={(r) => r.name}
          searchText={(r) => r.name}
          initialSort={{ key: 'name', direction: 'asc' }}
          pageSize={10}
        />
      )}
    </Page>
  );
}
