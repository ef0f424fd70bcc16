// The gpu-monitoring API as the pages use it: each call names its route spec (contracts' gpuMonitoringRoutes),
// which gives the URL and the reply's type (the UI kit's typed client), for the cluster, workspace and project
// scopes; a page clock that auto-refresh and the refresh button advance; the CSV download of the GPU-hours report.
import { useCallback, useState } from 'react';
import { request } from '@ks-console/shared';
import {
  gpuMonitoringRoutes as routes,
  type ParamsOf,
  type QueryOf,
  type RouteSpec,
} from '@ks-gpu-ml/contracts';
import {
  QUIET_HEADERS,
  scopedUrl,
  toApiError,
  useAutoRefresh,
  useRoute,
  useRouteUrl,
  type ApiError,
  type RouteQueryOptions,
  type Where,
} from '@ks-gpu-ml/ui';

export type { Where };

/** The routes that serve one figure at each scope a page may read from. */
const SERIES = {
  cluster: routes.getClusterSeries,
  workspace: routes.getWorkspaceSeries,
  namespace: routes.getProjectSeries,
};
const GPU_HOURS = {
  cluster: routes.getClusterGpuHours,
  workspace: routes.getWorkspaceGpuHours,
  namespace: routes.getProjectGpuHours,
};
const USAGE = { workspace: routes.getWorkspaceUsage, namespace: routes.getProjectUsage };

export type SeriesFilter = Pick<
  QueryOf<typeof routes.getClusterSeries>,
  'node' | 'uuid' | 'namespace' | 'pod'
>;

export const seriesPath = (where: Where, q: QueryOf<typeof routes.getClusterSeries>) =>
  scopedUrl(SERIES, where, q);

export const gpuHoursPath = (where: Where, q: QueryOf<typeof routes.getClusterGpuHours>) =>
  scopedUrl(GPU_HOURS, where, q);

/**
 * `now` is the page clock: a new value loads again, keeping the current answer on screen meanwhile; a panel that
 * waits for another one is not `enabled` yet.
 */
const clocked = (now: number, enabled = true): RouteQueryOptions => ({
  key: [now],
  keepPreviousData: true,
  enabled,
});

/** The page clock: its time advances every `seconds` (0 = never) and on `refresh()`. */
export function usePageClock(seconds: number) {
  const [now, setNow] = useState(() => Date.now());
  const refresh = useCallback(() => setNow(Date.now()), []);
  useAutoRefresh(seconds, refresh);
  return { now, refresh };
}

/** A cluster-scoped GET of the dashboard. */
const useCluster = <S extends RouteSpec & { scope: 'cluster'; named: false }>(
  route: S,
  cluster: string,
  options: RouteQueryOptions,
  query?: QueryOf<S>,
) =>
  // A cluster-scoped unnamed route takes no path parameters; tsc cannot see that through the generic.
  useRoute(route, { params: {} as ParamsOf<S>, cluster, ...(query ? { query } : {}) }, options);

export const useSummary = (cluster: string, now: number) =>
  useCluster(routes.getClusterSummary, cluster, clocked(now));
export const useNodes = (cluster: string, now: number, enabled = true) =>
  useCluster(routes.listNodes, cluster, clocked(now, enabled));
export const useNode = (cluster: string, node: string, now: number) =>
  useRoute(routes.getNode, { params: { name: node }, cluster }, clocked(now));
export const useGpus = (cluster: string, query: QueryOf<typeof routes.listGpus>, now: number) =>
  useCluster(routes.listGpus, cluster, clocked(now), query);
export const useIdleGpus = (cluster: string, now: number, enabled = true) =>
  useCluster(routes.listIdleGpus, cluster, clocked(now, enabled));
export const useProjectsUsage = (cluster: string, now: number, enabled = true) =>
  useCluster(routes.listProjectUsage, cluster, clocked(now, enabled));
export const useTop = (cluster: string, query: QueryOf<typeof routes.getTopN>, now: number, enabled = true) =>
  useCluster(routes.getTopN, cluster, clocked(now, enabled), query);
export const useScopeUsage = (where: Where, now: number) =>
  useRouteUrl(USAGE.workspace, where.scope === 'cluster' ? null : scopedUrl(USAGE, where), clocked(now));
export const useWorkload = (namespace: string, pod: string, cluster: string | undefined, now: number) =>
  useRoute(routes.getWorkloadUsage, { params: { namespace, name: pod }, cluster }, clocked(now));
/** A figure over time at a URL built by seriesPath (nothing while it is null). */
export const useSeries = (url: string | null, now: number) => useRouteUrl(SERIES.cluster, url, clocked(now));
/** A GPU-hours report at a URL built by gpuHoursPath (nothing while it is null). */
export const useGpuHours = (url: string | null) => useRouteUrl(GPU_HOURS.cluster, url, clocked(0));

/** The error of a request made with `responseType: 'blob'`: its body is a Blob holding the server's JSON. */
async function blobError(error: unknown): Promise<ApiError> {
  const response = (error as { response?: { data?: unknown } } | null)?.response;
  if (response && typeof Blob !== 'undefined' && response.data instanceof Blob) {
    const text = await response.data.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // plain text
    }
    return toApiError({ ...(error as object), response: { ...response, data } });
  }
  return toApiError(error);
}

/**
 * Downloads `url` as a file: fetched with the console's request client (so with the same authentication as every
 * other call: the BFF turns the session cookie into the bearer token), then saved through an object URL.
 */
export async function downloadFile(url: string, fileName: string): Promise<void> {
  let blob: Blob;
  try {
    blob = (await request.get(url, { headers: QUIET_HEADERS, responseType: 'blob' })) as unknown as Blob;
  } catch (error) {
    throw await blobError(error);
  }
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
}
