// The gpu-quota API as the pages use it: each call names its route spec (contracts' gpuQuotaRoutes), which gives
// the URL and the reply's type (the UI kit's typed client); GETs are polled where use changes, and a refused PUT
// keeps the field and problems its ErrorBody's details name.
import { gpuQuotaRoutes as routes, type BodyOf, type GpuQuotaProblem } from '@ks-gpu-ml/contracts';
import { sendRoute, useRoute, type ApiError } from '@ks-gpu-ml/ui';

/** A refusal of the gpu-quota API: the server's message plus the field it names and every problem. */
export interface QuotaError extends ApiError {
  field?: string;
  problems: GpuQuotaProblem[];
}

/** Reads the gpu-quota refusal's details: `problems` (one per field) and the first `field`. */
export function toQuotaError(error: ApiError): QuotaError {
  const { problems, field } = error.details;
  return {
    ...error,
    problems: Array.isArray(problems) ? (problems as GpuQuotaProblem[]) : [],
    ...(typeof field === 'string' ? { field } : {}),
  };
}

const quotaErrors = (error: ApiError): never => {
  throw toQuotaError(error);
};

export const putProjectQuota = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof routes.updateProjectQuota>,
) => sendRoute(routes.updateProjectQuota, { params: { namespace }, cluster, body }).catch(quotaErrors);

export const putWorkspaceQuota = (
  workspace: string,
  cluster: string | undefined,
  body: BodyOf<typeof routes.updateWorkspaceQuota>,
) => sendRoute(routes.updateWorkspaceQuota, { params: { workspace }, cluster, body }).catch(quotaErrors);

export const useCatalog = (cluster?: string) =>
  useRoute(routes.listGpuResources, { params: {}, cluster }, { staleTime: 30_000 });

/** The project's quota, polled so that use and blocked work stay current. */
export const useProjectQuota = (namespace: string, cluster?: string) =>
  useRoute(routes.getProjectQuota, { params: { namespace }, cluster }, { refetchInterval: 5_000 });

export const useWorkspaceQuota = (workspace: string, cluster?: string) =>
  useRoute(routes.getWorkspaceQuota, { params: { workspace }, cluster });

export const useClusterView = (cluster?: string) =>
  useRoute(routes.getClusterView, { params: {}, cluster }, { refetchInterval: 30_000 });
