// The frame of every cmdb-alerting page: its scope (the cluster or a workspace, from the URL), the header with
// breadcrumbs and the section tabs. A workspace tab is offered only when the caller may call the route its page
// lists (useCallerMay, ADR 0020): a workspace's members see alerts, its admins also manage receivers and policies.
import React from 'react';
import { Link, useParams } from 'react-router-dom';
import styled from 'styled-components';
import { PageHeader, t } from '@ks-gpu-ml/ui';
import { accessOf, basePath, deadLetterRoutes, routesOf, type AlertingScope } from '../api.js';
import { ALERTING_IDS } from '../test-ids.js';
import { useCallerMay } from '@ks-gpu-ml/ui';

export type SectionName =
  'alerts' | 'receivers' | 'policies' | 'silences' | 'businesses' | 'mapping' | 'routing' | 'cmdb';

/** The scope of the page the router mounted: `/clusters/:cluster/…` or `/workspaces/:workspace/…`. */
export function useAlertingScope(): AlertingScope {
  const { cluster, workspace } = useParams();
  return workspace ? { kind: 'workspace', workspace } : { kind: 'cluster', cluster };
}

const Tabs = styled.nav`
  display: flex;
  gap: 4px;
  margin-bottom: 16px;
  border-bottom: 1px solid #e3e9ef;
  a {
    padding: 8px 16px;
    color: #36435c;
    border-bottom: 2px solid transparent;
  }
  a[aria-current='page'] {
    color: #3385ff;
    border-bottom-color: #3385ff;
    font-weight: 600;
  }
`;

/** Which sections a scope has and whether the caller may open each (undefined while asking). */
function useSections(scope: AlertingScope): { name: SectionName; may: boolean | undefined }[] {
  const where = accessOf(scope);
  const routes = routesOf(scope);
  const mayReceivers = useCallerMay(routes.receivers.list, where);
  const mayPolicies = useCallerMay(routes.policies.list, where);
  if (scope.kind === 'cluster') {
    return (
      ['alerts', 'silences', 'receivers', 'policies', 'routing', 'businesses', 'mapping', 'cmdb'] as const
    ).map((name) => ({
      name,
      may: true,
    }));
  }
  return [
    { name: 'alerts', may: true },
    { name: 'receivers', may: mayReceivers },
    { name: 'policies', may: mayPolicies },
  ];
}

/** Every section a page may be in: those above and the outbox's dead letters (the scope's admins, ADR 0034). */
export type AnySection = SectionName | 'deadletters';

/** The dead-letters tab: the cluster's admins, and a workspace's admins (who may list its receivers' dead letters). */
function useDeadLettersSection(scope: AlertingScope): { name: AnySection; may: boolean | undefined } {
  const may = useCallerMay(deadLetterRoutes(scope).list, accessOf(scope));
  return { name: 'deadletters', may: scope.kind === 'cluster' ? true : may };
}

export const sectionPath = (scope: AlertingScope, section: AnySection) =>
  section === 'alerts' ? basePath(scope) : `${basePath(scope)}/${section}`;

export function Section(props: {
  section: AnySection;
  testId: string;
  /** The last crumb (e.g. an alert's name) when the page is below the section. */
  detail?: string;
  actions?: React.ReactNode;
  children: (scope: AlertingScope) => React.ReactNode;
}) {
  const scope = useAlertingScope();
  const sections = [...useSections(scope), useDeadLettersSection(scope)];
  const home =
    scope.kind === 'cluster'
      ? {
          label: t('cmdb-alerting.crumb.cluster', { cluster: scope.cluster ?? '' }),
          to: `/clusters/${scope.cluster}/overview`,
        }
      : {
          label: t('ui.crumb.workspace', { workspace: scope.workspace }),
          to: `/workspaces/${scope.workspace}/overview`,
        };
  const sectionTitle = t(`cmdb-alerting.section.${props.section}`);
  return (
    <div data-testid={props.testId} style={{ padding: 20 }}>
      <PageHeader
        title={t('cmdb-alerting.title')}
        description={t(`cmdb-alerting.description.${scope.kind}`)}
        breadcrumbs={[
          home,
          { label: t('cmdb-alerting.title'), to: basePath(scope) },
          props.detail
            ? { label: sectionTitle, to: sectionPath(scope, props.section) }
            : { label: sectionTitle },
          ...(props.detail ? [{ label: props.detail }] : []),
        ]}
        actions={props.actions}
      />
      <Tabs>
        {sections
          .filter((s) => s.may)
          .map((s) => (
            <Link
              key={s.name}
              to={sectionPath(scope, s.name)}
              data-testid={ALERTING_IDS.tab(s.name)}
              aria-current={s.name === props.section && !props.detail ? 'page' : undefined}
            >
              {t(`cmdb-alerting.section.${s.name}`)}
            </Link>
          ))}
      </Tabs>
      {props.children(scope)}
    </div>
  );
}
