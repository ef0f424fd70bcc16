import React, { useEffect, useState } from 'react';
import { Card } from '@kubed/components';
import styled from 'styled-components';
import { platformRoutesFor, type CapabilityList, type FeatureName } from '@ks-gpu-ml/contracts';
import { getRoute, useRouteApi } from '../api-client.js';
import type { ApiError } from '../api-error.js';
import { t } from '../i18n.js';
import { capabilityRows, featureStatus, type CapabilityRow } from '../platform-api.js';
import { projectsPath } from '../tenant-api.js';
import { useApi } from '../use-api.js';
import { DataTable } from './DataTable.js';
import { EmptyState, ErrorState, LoadingState } from './States.js';

const MAX_PROJECTS = 20;

const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: 16px;
`;
const Muted = styled.div`
  color: #79879c;
  font-size: 12px;
  margin-top: 4px;
`;

interface NamespaceList {
  items: { metadata: { name: string } }[];
  totalItems?: number;
}

/** Per-project capabilities of the caller; the first error (with the server's message) if any call fails. */
function useProjectCapabilities(opts: { feature: FeatureName; workspace?: string; cluster?: string }) {
  const projects = useApi<NamespaceList>(projectsPath(opts));
  const [state, setState] = useState<{ lists?: CapabilityList[]; error?: ApiError }>({});
  const names = projects.data?.items.map((n) => n.metadata.name).slice(0, MAX_PROJECTS);
  const key = names?.join(',');
  useEffect(() => {
    if (names === undefined) return;
    let live = true;
    setState({});
    const capabilities = (namespace: string) =>
      getRoute(platformRoutesFor(opts.feature).listNamespaceCapabilities, {
        params: { namespace },
        cluster: opts.cluster,
      });
    Promise.all(names.map(capabilities)).then(
      (lists) => live && setState({ lists }),
      (error: ApiError) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [key, opts.feature, opts.cluster]);
  return {
    total: projects.data?.totalItems ?? projects.data?.items.length ?? 0,
    shown: names?.length ?? 0,
    lists: state.lists,
    error: projects.error ?? state.error,
    loading: projects.loading || (names !== undefined && !state.lists && !state.error),
    reload: projects.reload,
  };
}

export interface PlatformOverviewProps {
  /** The extension's feature name, e.g. "gpu-quota": the overview asks that extension's own group. */
  feature: FeatureName;
  cluster?: string;
  workspace?: string;
}

/**
 * How ks-apiserver answers `features` of a group whose package is not installed: 404 (no APIService claims the
 * group), 503 (its backend is not Available), or 403 before either — ks-apiserver authorizes first, and only the
 * package's own RoleTemplate grants `features` to every signed-in user.
 */
const notInstalled = (error: ApiError | undefined) =>
  error?.status === 403 || error?.status === 404 || error?.status === 503;

/**
 * What the extension's backend tells about itself: whether its feature is served, and what the caller may do in
 * each visible project. Live data from the extension's own group (docs/adr/0026); a backend that is not installed
 * shows as "not served", never as an error.
 */
export function PlatformOverview({ feature, cluster, workspace }: PlatformOverviewProps) {
  const features = useRouteApi(platformRoutesFor(feature).listFeatures, { params: {}, cluster });
  const caps = useProjectCapabilities({
    feature,
    ...(workspace ? { workspace } : {}),
    ...(cluster ? { cluster } : {}),
  });

  if (features.loading && !features.data) return <LoadingState />;
  const absent = notInstalled(features.error);
  if (features.error && !absent) return <ErrorState error={features.error} onRetry={features.reload} />;
  const list = absent ? undefined : features.data;
  const mine = featureStatus(list, feature);
  const scope = workspace
    ? t('ui.platform.inWorkspace', { workspace })
    : cluster
      ? t('ui.platform.inCluster', { cluster })
      : '';

  return (
    <Stack data-testid="platform-overview" data-feature={feature}>
      <Card sectionTitle={t('ui.platform.featureTitle')}>
        <div data-testid="feature-status" data-enabled={mine ? 'true' : 'false'}>
          {mine
            ? t('ui.platform.enabled', { group: mine.group, version: mine.version })
            : t('ui.platform.disabled', { group: `${feature}.ks-gpu-ml.io`, feature })}
        </div>
        {list && <Muted>{t('ui.platform.build', { version: list.platform.buildVersion })}</Muted>}
      </Card>
      <Card sectionTitle={t('ui.platform.featuresTitle')}>
        <DataTable
          columns={[
            { key: 'name', title: t('ui.platform.colFeature'), sortValue: (f) => f.name },
            { key: 'group', title: t('ui.platform.colGroup') },
            { key: 'version', title: t('ui.platform.colVersion') },
          ]}
          rows={list?.items ?? []}
          rowKey={(f) => f.name}
          initialSort={{ key: 'name', direction: 'asc' }}
        />
      </Card>
      {!absent && (
        <Card sectionTitle={t('ui.platform.permissionsTitle')}>
          <Muted style={{ marginBottom: 8 }}>{t('ui.platform.permissionsHint', { scope })}</Muted>
          {caps.error ? (
            <ErrorState error={caps.error} onRetry={caps.reload} />
          ) : caps.loading ? (
            <LoadingState />
          ) : caps.shown === 0 ? (
            <EmptyState title={t('ui.platform.noProjects')} />
          ) : (
            <>
              <DataTable<CapabilityRow>
                columns={[
                  { key: 'project', title: t('ui.platform.colProject'), sortValue: (r) => r.project },
                  { key: 'resource', title: t('ui.platform.colResource'), sortValue: (r) => r.resource },
                  { key: 'group', title: t('ui.platform.colGroup'), sortValue: (r) => r.group },
                  {
                    key: 'verbs',
                    title: t('ui.platform.colVerbs'),
                    render: (r) => r.verbs || t('ui.platform.none'),
                  },
                ]}
                rows={capabilityRows(caps.lists ?? [])}
                rowKey={(r) => r.key}
                searchText={(r) => `${r.project} ${r.resource} ${r.group}`}
                initialSort={{ key: 'project', direction: 'asc' }}
              />
              {caps.total > caps.shown && (
                <Muted>{t('ui.platform.moreProjects', { shown: caps.shown, total: caps.total })}</Muted>
              )}
            </>
          )}
        </Card>
      )}
    </Stack>
  );
}
