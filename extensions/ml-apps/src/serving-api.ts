// The model registry and serving API as the Models and Serving pages use it: each call names its route spec
// (contracts' mlAppsModelRoutes / mlAppsServingRoutes). The services list is polled, because readiness, traffic
// and a failing model's message change without the page doing anything.
import {
  mlAppsModelRoutes as models,
  mlAppsServingRoutes as serving,
  type BodyOf,
} from '@ks-gpu-ml/contracts';
import { sendRoute, useRoute } from '@ks-gpu-ml/ui';

export const useModels = (namespace: string, cluster?: string) =>
  useRoute(models.listModels, { params: { namespace }, cluster });

export const useModel = (namespace: string, name: string, cluster?: string, enabled = true) =>
  useRoute(models.getModel, { params: { namespace, name }, cluster }, { enabled });

export const createModel = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof models.createModel>,
) => sendRoute(models.createModel, { params: { namespace }, cluster, body });

export const createModelVersion = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  body: BodyOf<typeof models.createModelVersion>,
) => sendRoute(models.createModelVersion, { params: { namespace, name }, cluster, body });

export const setModelStage = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  body: BodyOf<typeof models.updateModelStage>,
) => sendRoute(models.updateModelStage, { params: { namespace, name }, cluster, body });

export const deleteModel = (namespace: string, name: string, cluster: string | undefined) =>
  sendRoute(models.deleteModel, { params: { namespace, name }, cluster, body: undefined });

export const useServingOptions = (namespace: string, cluster?: string, enabled = true) =>
  useRoute(serving.getServingOptions, { params: { namespace }, cluster }, { enabled });

export const useInferenceServices = (namespace: string, cluster?: string, enabled = true) =>
  useRoute(
    serving.listInferenceServices,
    { params: { namespace }, cluster },
    { refetchInterval: 5_000, enabled },
  );

export const useInferenceService = (namespace: string, name: string, cluster?: string) =>
  useRoute(serving.getInferenceService, { params: { namespace, name }, cluster }, { refetchInterval: 5_000 });

export const createInferenceService = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.createInferenceService>,
) => sendRoute(serving.createInferenceService, { params: { namespace }, cluster, body });

export const updateInferenceService = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.updateInferenceService>,
) => sendRoute(serving.updateInferenceService, { params: { namespace, name }, cluster, body });

export const deleteInferenceService = (namespace: string, name: string, cluster: string | undefined) =>
  sendRoute(serving.deleteInferenceService, { params: { namespace, name }, cluster, body: undefined });

export const sendTestRequest = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.predict>,
) => sendRoute(serving.predict, { params: { namespace, name }, cluster, body });
