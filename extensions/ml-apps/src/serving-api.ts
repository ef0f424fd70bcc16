// The model registry and serving API as the Models and Serving pages use it: each call names its route spec
// (contracts' mlAppsModelRoutes / mlAppsServingRoutes). The services list follows the backend's watch: after
// each answer the page asks again with the answer's `revision` as `since`, and the backend answers that request
// when the project's services or their pods change (a long poll; ADR 0040) — readiness, traffic and a failing
// model's message appear without the page polling.
import {
  mlAppsModelRoutes as models,
  mlAppsServingRoutes as serving,
  type BodyOf,
  type InferenceServiceDetail,
  type InferenceServiceList,
} from '@ks-gpu-ml/contracts';
import { getRoute, sendRoute, useRoute } from '@ks-gpu-ml/ui';
import { useEffect, useState } from 'react';

export const useModels = (namespace: string, cluster?: string) =>
  useRoute(models.listModels, { params: { namespace }, cluster });

/** A model with one page of its versions, newest first: the newest ones, or those older than `before`. */
export const useModel = (
  namespace: string,
  name: string,
  cluster?: string,
  enabled = true,
  before?: number,
) =>
  useRoute(
    models.getModel,
    { params: { namespace, name }, cluster, query: before ? { before } : {} },
    { enabled, keepPreviousData: true },
  );

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

/** Longest pause before asking again after a failed wait (doubling from 1 s). */
const MAX_RETRY_MS = 30_000;
/**
 * Least time between two waits that came back unchanged: a backend at its cap of waiting requests answers at once,
 * and the list and the detail alike must not then ask in a tight loop.
 */
const MIN_WAIT_GAP_MS = 2_000;

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * Asks the backend again and again with `since` until it answers another revision, then hands that answer to
 * `changed`. An unchanged answer is asked again once `minGapMs` have passed since the last ask; a failed ask (the
 * backend is away: a restart, a proxy's cut) after a pause doubling from 1 s to 30 s. Stops when `signal` aborts.
 */
async function waitForChange<T extends { revision?: string }>(
  ask: (signal: AbortSignal) => Promise<T>,
  since: string,
  signal: AbortSignal,
  changed: (next: T) => void,
  minGapMs = MIN_WAIT_GAP_MS,
): Promise<void> {
  let retryMs = 0;
  while (!signal.aborted) {
    if (retryMs) await pause(retryMs, signal);
    const asked = Date.now();
    try {
      const next = await ask(signal);
      if (!signal.aborted && next.revision !== since) return changed(next);
      retryMs = Math.max(0, minGapMs - (Date.now() - asked));
    } catch {
      retryMs = Math.min(MAX_RETRY_MS, Math.max(1_000, retryMs * 2));
    }
  }
}

/**
 * The project's services, kept current by waiting on the backend (`since`): the first answer as a plain query,
 * then each change's answer as the backend sends it.
 */
export function useInferenceServices(namespace: string, cluster?: string, enabled = true) {
  const list = useRoute(serving.listInferenceServices, { params: { namespace }, cluster }, { enabled });
  const [changed, setChanged] = useState<InferenceServiceList>();
  // A fresh answer of the query itself (a refetch after a deploy) replaces what the wait brought.
  useEffect(() => setChanged(undefined), [list.dataUpdatedAt]);
  const data = changed ?? list.data;
  const since = data?.revision;
  useEffect(() => {
    if (!enabled || !since) return;
    const controller = new AbortController();
    const ask = (signal: AbortSignal) =>
      getRoute(serving.listInferenceServices, { params: { namespace }, cluster, query: { since } }, signal);
    void waitForChange(ask, since, controller.signal, setChanged);
    return () => controller.abort();
  }, [namespace, cluster, enabled, since]);
  return { ...list, data };
}

/**
 * One service; loaded again when `revision` (the list's, which follows the watch) changes, and kept current in
 * between by waiting on the backend with the detail's own revision (`since`): a new warning about one of its pods
 * shows while the panel is open, though it does not move the list.
 */
export function useInferenceService(namespace: string, name: string, cluster?: string, revision?: string) {
  const detail = useRoute(
    serving.getInferenceService,
    { params: { namespace, name }, cluster },
    { key: [revision], keepPreviousData: true },
  );
  const [changed, setChanged] = useState<InferenceServiceDetail>();
  useEffect(() => setChanged(undefined), [detail.dataUpdatedAt]);
  const data = changed?.name === name ? changed : detail.data;
  const since = data?.revision;
  useEffect(() => {
    if (!since) return;
    const controller = new AbortController();
    const ask = (signal: AbortSignal) =>
      getRoute(
        serving.getInferenceService,
        { params: { namespace, name }, cluster, query: { since } },
        signal,
      );
    void waitForChange(ask, since, controller.signal, setChanged);
    return () => controller.abort();
  }, [namespace, name, cluster, since]);
  return { ...detail, data };
}

export const createInferenceService = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.createInferenceService>,
) => sendRoute(serving.createInferenceService, { params: { namespace }, cluster, body });

export const createLLMInferenceService = (
  namespace: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.createLLMInferenceService>,
) => sendRoute(serving.createLLMInferenceService, { params: { namespace }, cluster, body });

export const updateInferenceService = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.updateInferenceService>,
) => sendRoute(serving.updateInferenceService, { params: { namespace, name }, cluster, body });

export const deleteInferenceService = (namespace: string, name: string, cluster: string | undefined) =>
  sendRoute(serving.deleteInferenceService, { params: { namespace, name }, cluster, body: undefined });

/** One LLMInferenceService; loaded again when `revision` (the list's, which follows the watch) changes. */
export const useLLMInferenceService = (
  namespace: string,
  name: string,
  cluster?: string,
  revision?: string,
) =>
  useRoute(
    serving.getLLMInferenceService,
    { params: { namespace, name }, cluster },
    { key: [revision], keepPreviousData: true },
  );

export const deleteLLMInferenceService = (namespace: string, name: string, cluster: string | undefined) =>
  sendRoute(serving.deleteLLMInferenceService, { params: { namespace, name }, cluster, body: undefined });

export const sendTestRequest = (
  namespace: string,
  name: string,
  cluster: string | undefined,
  body: BodyOf<typeof serving.predict>,
) => sendRoute(serving.predict, { params: { namespace, name }, cluster, body });
