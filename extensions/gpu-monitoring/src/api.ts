// The gpu-monitoring API as the pages use it: paths (contracts' kapisPath) for the cluster, workspace and project
// scopes, GETs through react-query and the console's request client (quiet: pages show the server's message),
// a page clock that auto-refresh and the refresh button advance, and the CSV download of the GPU-hours report.
import { useCallback, useState } from 'react';
import { useQuery } from 'react-query';
import { request } from '@ks-console/shared';
import { groupOf, kapisPath } from '@ks-gpu-ml/contracts';
import type {
  GpuCardList,
  GpuHoursReport,
  GpuLevel,
  GpuMetricName,
  GpuNodeDetail,
  GpuNodeList,
  GpuScopeUsage,
  GpuSeries,
  GpuSummary,
  GpuTopList,
  GpuUsageList,
  GpuWorkloadUsage,
  IdleGpuList,
} from '@ks-gpu-ml/contracts';
import {
  QUIET_HEADERS,
  clusterPrefix,
  getJson,
  toApiError,
  useAutoRefresh,
  type ApiError,
} from '@ks-gpu-ml/ui';

const GROUP = groupOf('gpu-monitoring');

/** Where a page reads from: the cluster, a workspace or a project (of a member cluster when `cluster` is set). */
export type Where =
  | { scope: 'cluster'; cluster?: string }
  | { scope: 'workspace'; workspace: string; cluster?: string }
  | { scope: 'namespace'; namespace: string; cluster?: string };

type Params = Record<string, string | number | boolean | undefined>;

/** `?a=1&b=x` of the defined parameters, in the given order; "" when there are none. */
export function queryString(params: Params): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

export function apiPath(
  where: Where,
  resource: string,
  opts: { name?: string; params?: Params } = {},
): string {
  const scopeName =
    where.scope === 'workspace' ? where.workspace : where.scope === 'namespace' ? where.namespace : undefined;
  const path = kapisPath({
    group: GROUP,
    scope: where.scope,
    resource,
    ...(scopeName !== undefined ? { scopeName } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
  });
  return `${clusterPrefix(where.cluster)}${path}${queryString(opts.params ?? {})}`;
}

export interface SeriesFilter {
  node?: string;
  uuid?: string;
  namespace?: string;
  pod?: string;
}

export const seriesPath = (
  where: Where,
  q: { metric: GpuMetricName; level: GpuLevel; start: number; end: number } & SeriesFilter,
) => apiPath(where, 'gpumetrics', { params: { ...q } });

export const gpuHoursPath = (
  where: Where,
  q: { start: number; end: number; groupBy: 'namespace' | 'workspace'; format?: 'csv' },
) => apiPath(where, 'gpuhours', { params: { ...q } });

const OPTIONS = { retry: false, refetchOnWindowFocus: false, keepPreviousData: true } as const;

/**
 * GETs `url` (nothing while it is null). `now` is the page clock: a new value loads again, keeping the current
 * answer on screen meanwhile.
 */
export function useGet<T>(url: string | null, now: number) {
  return useQuery<T, ApiError>(['gpu-monitoring', url, now], ({ signal }) => getJson<T>(url!, signal), {
    ...OPTIONS,
    enabled: url !== null,
  });
}

/** The page clock: its time advances every `seconds` (0 = never) and on `refresh()`. */
export function usePageClock(seconds: number) {
  const [now, setNow] = useState(() => Date.now());
  const refresh = useCallback(() => setNow(Date.now()), []);
  useAutoRefresh(seconds, refresh);
  return { now, refresh };
}

export const useSummary = (cluster: string, now: number) =>
  useGet<GpuSummary>(apiPath({ scope: 'cluster', cluster }, 'gpusummary'), now);
export const useNodes = (cluster: string, now: number, enabled = true) =>
  useGet<GpuNodeList>(enabled ? apiPath({ scope: 'cluster', cluster }, 'gpunodes') : null, now);
export const useNode = (cluster: string, node: string, now: number) =>
  useGet<GpuNodeDetail>(apiPath({ scope: 'cluster', cluster }, 'gpunodes', { name: node }), now);
export const useGpus = (cluster: string, params: Params, now: number) =>
  useGet<GpuCardList>(apiPath({ scope: 'cluster', cluster }, 'gpus', { params }), now);
export const useIdleGpus = (cluster: string, now: number, enabled = true) =>
  useGet<IdleGpuList>(enabled ? apiPath({ scope: 'cluster', cluster }, 'idlegpus') : null, now);
export const useProjectsUsage = (cluster: string, now: number, enabled = true) =>
  useGet<GpuUsageList>(enabled ? apiPath({ scope: 'cluster', cluster }, 'gpuprojects') : null, now);
export const useTop = (
  cluster: string,
  params: { metric: GpuMetricName; level: string; n: number },
  now: number,
  enabled = true,
) => useGet<GpuTopList>(enabled ? apiPath({ scope: 'cluster', cluster }, 'gputop', { params }) : null, now);
export const useScopeUsage = (where: Where, now: number) =>
  useGet<GpuScopeUsage>(apiPath(where, 'gpuusage'), now);
export const useWorkload = (namespace: string, pod: string, cluster: string | undefined, now: number) =>
  useGet<GpuWorkloadUsage>(
    apiPath({ scope: 'namespace', namespace, ...(cluster ? { cluster } : {}) }, 'gpuworkloads', {
      name: pod,
    }),
    now,
  );
export const useSeries = (url: string | null, now: number) => useGet<GpuSeries>(url, now);
export const useGpuHours = (url: string | null) => useGet<GpuHoursReport>(url, 0);

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
