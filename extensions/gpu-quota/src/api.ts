// The gpu-quota API as the pages use it: paths (contracts' kapisPath), GET through react-query and the console's
// request client (quiet: pages show the server's message), PUT with the refusal's problems kept per field.
import { useQuery } from 'react-query';
import { request } from '@ks-console/shared';
import { groupOf, kapisPath, type Scope } from '@ks-gpu-ml/contracts';
import type {
  ClusterQuotaView,
  GpuQuotaProblem,
  GpuQuotaRowInput,
  GpuResourceList,
  ProjectGpuQuota,
  WorkspaceGpuQuota,
} from '@ks-gpu-ml/contracts';
import { QUIET_HEADERS, clusterPrefix, getJson, toApiError, type ApiError } from '@ks-gpu-ml/ui';

const GROUP = groupOf('gpu-quota');

function path(cluster: string | undefined, scope: Scope, resource: string, scopeName?: string): string {
  return `${clusterPrefix(cluster)}${kapisPath({ group: GROUP, scope, resource, ...(scopeName ? { scopeName } : {}) })}`;
}

export const catalogPath = (cluster?: string) => path(cluster, 'cluster', 'gpuresources');
export const projectQuotaPath = (namespace: string, cluster?: string) =>
  path(cluster, 'namespace', 'gpuquotas', namespace);
export const workspaceQuotaPath = (workspace: string, cluster?: string) =>
  path(cluster, 'workspace', 'gpuquotas', workspace);
export const clusterViewPath = (cluster?: string) => path(cluster, 'cluster', 'clusterquotaview');

/** A refusal of the gpu-quota API: the server's message plus the field it names and every problem. */
export interface QuotaError extends ApiError {
  field?: string;
  problems: GpuQuotaProblem[];
}

export function toQuotaError(error: unknown): QuotaError {
  const base = toApiError(error);
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const details = (data && typeof data === 'object' ? (data as { details?: unknown }).details : undefined) as
    { field?: unknown; problems?: unknown } | undefined;
  const problems = Array.isArray(details?.problems) ? (details.problems as GpuQuotaProblem[]) : [];
  const field = typeof details?.field === 'string' ? details.field : undefined;
  return { ...base, problems, ...(field ? { field } : {}) };
}

async function put<T>(url: string, body: unknown): Promise<T> {
  try {
    return (await request.put(url, body, { headers: QUIET_HEADERS })) as unknown as T;
  } catch (error) {
    throw toQuotaError(error);
  }
}

export const putProjectQuota = (
  namespace: string,
  cluster: string | undefined,
  body: { resources: GpuQuotaRowInput[]; force?: boolean; allowBaseOvercommit?: boolean },
) => put<ProjectGpuQuota>(projectQuotaPath(namespace, cluster), body);

export const putWorkspaceQuota = (
  workspace: string,
  cluster: string | undefined,
  body: { resources: GpuQuotaRowInput[] },
) => put<WorkspaceGpuQuota>(workspaceQuotaPath(workspace, cluster), body);

function get<T>(url: string) {
  return ({ signal }: { signal?: AbortSignal }) => getJson<T>(url, signal);
}

const OPTIONS = { retry: false, refetchOnWindowFocus: false } as const;

export const useCatalog = (cluster?: string) =>
  useQuery<GpuResourceList, ApiError>(['gpu-quota', 'catalog', cluster], get(catalogPath(cluster)), {
    ...OPTIONS,
    staleTime: 30_000,
  });

/** The project's quota, polled so that use and blocked work stay current. */
export const useProjectQuota = (namespace: string, cluster?: string) =>
  useQuery<ProjectGpuQuota, ApiError>(
    ['gpu-quota', 'project', cluster, namespace],
    get(projectQuotaPath(namespace, cluster)),
    { ...OPTIONS, refetchInterval: 5_000 },
  );

export const useWorkspaceQuota = (workspace: string, cluster?: string) =>
  useQuery<WorkspaceGpuQuota, ApiError>(
    ['gpu-quota', 'workspace', cluster, workspace],
    get(workspaceQuotaPath(workspace, cluster)),
    OPTIONS,
  );

export const useClusterView = (cluster?: string) =>
  useQuery<ClusterQuotaView, ApiError>(['gpu-quota', 'cluster', cluster], get(clusterViewPath(cluster)), {
    ...OPTIONS,
    refetchInterval: 30_000,
  });
