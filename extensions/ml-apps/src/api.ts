// The ml-apps API as the pages use it: each call names its route spec (contracts' mlAppsRoutes), which gives the
// URL, the body and the reply's type; the notebook list is polled, because a waiting notebook's reason changes.
import { mlAppsRoutes as routes, type BodyOf, type QueryOf } from '@ks-gpu-ml/contracts';
import { sendRoute, useRoute } from '@ks-gpu-ml/ui';

export const useOperators = (cluster?: string) =>
  useRoute(routes.listOperators, { params: {}, cluster }, { staleTime: 30_000 });

export const useNotebooks = (namespace: string, cluster?: string, enabled = true) =>
  useRoute(routes.listNotebooks, { params: { namespace }, cluster }, { refetchInterval: 5_000, enabled });

export const useNotebookOptions = (namespace: string, cluster?: string, enabled = true) =>
  useRoute(routes.getNotebookOptions, { params: { namespace }, cluster }, { enabled });

export const createNotebook = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof routes.createNotebook>,
) => sendRoute(routes.createNotebook, { params: { namespace }, cluster, body });

export const setNotebookStopped = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  stopped: boolean,
) => sendRoute(routes.updateNotebook, { params: { namespace, name }, cluster, body: { stopped } });

export const deleteNotebook = (namespace: string, name: string, cluster: string | undefined) =>
  sendRoute(routes.deleteNotebook, { params: { namespace, name }, cluster, body: undefined });

export const useTrainJobs = (namespace: string, cluster?: string, enabled = true) =>
  useRoute(routes.listTrainJobs, { params: { namespace }, cluster }, { refetchInterval: 5_000, enabled });

export const createTrainJob = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof routes.createTrainJob>,
) => sendRoute(routes.createTrainJob, { params: { namespace }, cluster, body });

export const deleteTrainJob = (namespace: string, name: string, cluster: string | undefined) =>
  sendRoute(routes.deleteTrainJob, { params: { namespace, name }, cluster, body: undefined });

export const useTrainingJobs = (namespace: string, cluster?: string) =>
  useRoute(routes.listTrainingJobs, { params: { namespace }, cluster }, { refetchInterval: 5_000 });

export const createTrainingJob = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof routes.createTrainingJob>,
) => sendRoute(routes.createTrainingJob, { params: { namespace }, cluster, body });

export const deleteTrainingJob = (
  namespace: string,
  name: string,
  kind: QueryOf<typeof routes.deleteTrainingJob>['kind'],
  cluster: string | undefined,
) =>
  sendRoute(routes.deleteTrainingJob, {
    params: { namespace, name },
    query: { kind },
    cluster,
    body: undefined,
  });

export const useAppEvents = (
  namespace: string,
  kind: QueryOf<typeof routes.listAppEvents>['kind'],
  name: string,
  cluster?: string,
) =>
  useRoute(
    routes.listAppEvents,
    { params: { namespace }, query: { kind, name }, cluster },
    { refetchInterval: 5_000 },
  );

/** A pod's log; nothing is asked while `pod` is empty. */
export const usePodLog = (namespace: string, pod: string, container: string, cluster?: string) =>
  useRoute(
    routes.getPodLog,
    pod ? { params: { namespace, name: pod }, query: container ? { container } : {}, cluster } : null,
  );

/** The GPU idle-culling policy of the project's workspace (docs/adr/0041). */
export const useNotebookCullPolicy = (namespace: string, cluster?: string) =>
  useRoute(routes.getNotebookCullPolicy, { params: { namespace }, cluster }, { staleTime: 30_000 });

export const saveNotebookCullPolicy = (
  workspace: string,
  cluster: string | undefined,
  body: BodyOf<typeof routes.updateNotebookCullPolicy>,
) => sendRoute(routes.updateNotebookCullPolicy, { params: { workspace }, cluster, body });
