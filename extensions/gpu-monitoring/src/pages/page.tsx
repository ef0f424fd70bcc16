// The frame the gpu-monitoring pages share: the header with breadcrumbs and actions, the time range and page
// clock behind the range/refresh controls, and a cluster page's links and query scope.
import React, { useMemo, useState } from 'react';
import { Link } from 'react-router-dom';
import { gpuMonitoringRoutes } from '@ks-gpu-ml/contracts';
import { offeredCrumb, PageHeader, t, useCallerMay, type Crumb } from '@ks-gpu-ml/ui';
import { usePageClock, type Where } from '../api.js';
import { clusterLinks, linksFor } from '../links.js';
import { Stack } from '../components/layout.js';
import { Loaded, type Query, Skeleton } from '../components/Loaded.js';
import { DEFAULT_TIME, TimeControls } from '../components/TimeControls.js';

type Place = { cluster?: string | undefined; workspace?: string | undefined };

/**
 * The layout's overview (the workspace's, else the cluster's), then GPU monitoring — a link to the feature's home
 * when `rest` follows it, plain text when it is this page — then `rest`.
 */
export function gpuCrumbs(at: Place, ...rest: Crumb[]): Crumb[] {
  const root: Crumb = at.workspace
    ? {
        label: t('ui.crumb.workspace', { workspace: at.workspace }),
        to: `/workspaces/${at.workspace}/overview`,
      }
    : {
        label: t('ui.crumb.cluster', { cluster: at.cluster ?? '' }),
        to: `/clusters/${at.cluster ?? ''}/overview`,
      };
  const home: Crumb =
    rest.length > 0
      ? { label: t('gpu-monitoring.title'), to: linksFor(at).home }
      : { label: t('gpu-monitoring.title') };
  return [root, home, ...rest];
}

/**
 * gpuCrumbs for a page below the workspace's GPU page: that crumb links only for callers who may open the workspace's
 * page; a project member may not (docs/adr/0020).
 */
export function useGpuCrumbs(at: Place, ...rest: Crumb[]): Crumb[] {
  const guarded = Boolean(at.workspace) && rest.length > 0;
  const may = useCallerMay(
    gpuMonitoringRoutes.getWorkspaceUsage,
    guarded ? { scope: 'workspace', scopeName: at.workspace ?? '' } : null,
  );
  // gpuCrumbs: the layout, then GPU Monitoring (index 1), then `rest`.
  return gpuCrumbs(at, ...rest).map((crumb, i) => (i === 1 && guarded ? offeredCrumb(crumb, may) : crumb));
}

/** A page: its header (title, description, breadcrumbs, actions on the right), then its content. */
export function PageFrame({
  testId,
  title,
  description,
  crumbs,
  actions,
  children,
}: {
  testId: string;
  title: string;
  description?: string;
  crumbs: Crumb[];
  actions?: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <div data-testid={testId} style={{ padding: 20 }}>
      <PageHeader title={title} description={description} breadcrumbs={crumbs} actions={actions} />
      {children}
    </div>
  );
}

/** A page's content from one query: a skeleton of `cards` figures, the error, or the content in a stack. */
export function PageBody<T>({
  query,
  cards,
  children,
}: {
  query: Query<T>;
  cards: number;
  children: (data: T) => React.ReactNode;
}) {
  return (
    <Loaded query={query} skeleton={<Skeleton cards={cards} />}>
      {(data) => <Stack>{children(data)}</Stack>}
    </Loaded>
  );
}

/** The page's time range and clock (auto-refresh and the refresh button advance it), with their controls. */
export function usePageTime() {
  const [time, setTime] = useState(DEFAULT_TIME);
  const clock = usePageClock(time.refresh);
  return {
    range: time.range,
    now: clock.now,
    refresh: clock.refresh,
    controls: <TimeControls value={time} onChange={setTime} onRefresh={clock.refresh} />,
  };
}

/** The GPU-hours link, where the page offers it, beside the page's controls. */
export function WithHoursLink({ to, children }: { to?: string | undefined; children: React.ReactNode }) {
  return (
    <div style={{ display: 'flex', gap: 16, alignItems: 'center' }}>
      {to && (
        <Link to={to} data-testid="gpuhours-link">
          {t('gpu-monitoring.hours.link')}
        </Link>
      )}
      {children}
    </div>
  );
}

/** A cluster page's links and the scope its queries ask about. */
export function useClusterScope(cluster: string) {
  const links = useMemo(() => clusterLinks(cluster), [cluster]);
  const where = useMemo(() => ({ scope: 'cluster' as const, cluster }), [cluster]);
  return { links, where };
}

/** A project's query scope: on a cluster page, in that cluster; on a workspace page, where the workspace is. */
export const projectWhere = (namespace: string, cluster: string | undefined): Where => ({
  scope: 'namespace',
  namespace,
  ...(cluster ? { cluster } : {}),
});
