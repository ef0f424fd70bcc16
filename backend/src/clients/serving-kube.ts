// ml-apps serving's I/O: KServe InferenceServices, ServingRuntimes and ClusterServingRuntimes on the
// kube-apiserver, and the test request sent to a service's predictor over HTTP. Every call has a deadline (the
// KubeClient's for the apiserver, `predictTimeoutMs` for the predictor); an apiserver refusal of what was asked
// is the caller's 4xx with the apiserver's sentence; anything else an UpstreamError whose cause is logged reduced.
import { createHash } from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import type { KubeClient } from './kube.js';
import { createWatchCache, type WatchCache } from './kube-cache.js';
import { kubeCall as call, orUndefinedOn404 } from './kube-calls.js';
import { write } from './ml-apps-kube.js';
import { UpstreamError } from './upstream.js';

export const KSERVE_GROUP = 'serving.kserve.io';
const ISVC = { group: KSERVE_GROUP, version: 'v1beta1', plural: 'inferenceservices' } as const;
const LLM_ISVC = { group: KSERVE_GROUP, version: 'v1alpha1', plural: 'llminferenceservices' } as const;
const RUNTIMES = { group: KSERVE_GROUP, version: 'v1alpha1', plural: 'servingruntimes' } as const;
const CLUSTER_RUNTIMES = {
  group: KSERVE_GROUP,
  version: 'v1alpha1',
  plural: 'clusterservingruntimes',
} as const;

type Condition = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
};

/** A KServe `serving.kserve.io/v1beta1` InferenceService as stored (the fields we write and read). */
export interface KubeInferenceService extends KubernetesObject {
  spec?: {
    predictor?: {
      model?: {
        modelFormat?: { name?: string; version?: string };
        runtime?: string;
        protocolVersion?: string;
        storageUri?: string;
        resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      };
      minReplicas?: number;
      maxReplicas?: number;
      scaleTarget?: number;
      scaleMetric?: string;
      canaryTrafficPercent?: number;
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  status?: {
    url?: string;
    address?: { url?: string };
    conditions?: Condition[];
    components?: Record<
      string,
      {
        url?: string;
        latestReadyRevision?: string;
        latestCreatedRevision?: string;
        previousRolledoutRevision?: string;
        latestRolledoutRevision?: string;
        traffic?: { tag?: string; revisionName?: string; latestRevision?: boolean; percent?: number }[];
      }
    >;
    modelStatus?: {
      transitionStatus?: string;
      states?: { activeModelState?: string; targetModelState?: string };
      lastFailureInfo?: {
        location?: string;
        reason?: string;
        message?: string;
        modelRevisionName?: string;
        time?: string;
        exitCode?: number;
      };
    };
  };
}

/** A ServingRuntime or ClusterServingRuntime as stored. */
export interface KubeServingRuntime extends KubernetesObject {
  spec?: {
    supportedModelFormats?: { name: string; version?: string; autoSelect?: boolean; priority?: number }[];
    protocolVersions?: string[];
    disabled?: boolean;
  };
}

export interface PredictAnswer {
  status: number;
  body: unknown;
  latencyMs: number;
}

/**
 * The InferenceServices and their pods (KServe's `serving.kserve.io/inferenceservice` label) of every namespace,
 * listed once and then followed by two watches (kube-cache.ts), so the services list reads memory instead of
 * listing 300 objects and their pods per request, and a console waiting for a change is answered when one comes.
 */
export interface ServingWatch {
  /** Starts the watches on first use; resolves once both have listed (rejects fast while they cannot). */
  ready(): Promise<void>;
  services(namespace: string): readonly KubeInferenceService[];
  pods(namespace: string): readonly V1Pod[];
  /** A fingerprint of the namespace's services and pods (names and resourceVersions): it changes when they do. */
  revision(namespace: string): string;
  /**
   * The namespace's revision once it differs from `since`, or the current one after `timeoutMs`: the long poll
   * the console's list waits on instead of polling (ADR 0040).
   */
  changed(namespace: string, since: string, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

export interface ServingKube {
  /** The watched copy of services and their pods (started on first use). */
  readonly watch: ServingWatch;
  listInferenceServices(namespace: string): Promise<KubeInferenceService[]>;
  getInferenceService(namespace: string, name: string): Promise<KubeInferenceService | undefined>;
  createInferenceService(namespace: string, body: KubeInferenceService): Promise<KubeInferenceService>;
  /** JSON merge patch; a null removes the field. Undefined when there is no such service. */
  patchInferenceService(
    namespace: string,
    name: string,
    patch: Record<string, unknown>,
  ): Promise<KubeInferenceService | undefined>;
  /** False when it was already gone. */
  deleteInferenceService(namespace: string, name: string): Promise<boolean>;
  /** KServe's LLMInferenceService (v1alpha1): whether one exists, and creating one. */
  llmInferenceServiceExists(namespace: string, name: string): Promise<boolean>;
  createLLMInferenceService(namespace: string, body: KubernetesObject): Promise<KubernetesObject>;
  servingRuntimes(namespace: string): Promise<KubeServingRuntime[]>;
  clusterServingRuntimes(): Promise<KubeServingRuntime[]>;
  /**
   * POSTs the JSON body to the predictor URL and answers its status, JSON (or text) and latency. A predictor
   * that answers at all is an answer (4xx/5xx included: the form shows it); no answer in time is an
   * UpstreamError.
   */
  predict(url: string, body: unknown): Promise<PredictAnswer>;
}

/** The largest answer read back from a predictor (the form shows it; a bigger one is cut). */
const MAX_ANSWER_BYTES = 1024 * 1024;
/** KServe's label on the pods of a service (predictor, transformer, explainer). */
const ISVC_POD_LABEL = 'serving.kserve.io/inferenceservice';
/** A full relist now and then, as client-go's informers resync (the watch carries every change between). */
const RESYNC_MS = 10 * 60_000;
/** How often waiting long polls look for a change of the watched copy (memory only, no apiserver call). */
const CHANGE_TICK_MS = 100;
/** Long polls waiting at once; more are answered at once (the console then asks again, as a poll would). */
const MAX_WAITERS = 1_000;

/** A service as kept in the watch cache: everything but the server's managedFields. */
function slimService(isvc: KubeInferenceService): KubeInferenceService {
  if (!isvc.metadata?.managedFields) return isvc;
  const { managedFields: _dropped, ...metadata } = isvc.metadata;
  return { ...isvc, metadata };
}

/** A pod as the serving views read it: who it belongs to, where it runs, its state; not its spec. */
function slimServingPod(pod: V1Pod): V1Pod {
  const m = pod.metadata;
  const s = pod.status;
  return {
    metadata: {
      name: m?.name,
      namespace: m?.namespace,
      labels: m?.labels,
      resourceVersion: m?.resourceVersion,
      creationTimestamp: m?.creationTimestamp,
    },
    // The containers' amounts only (GPU-hours count the devices each pod was given).
    spec: {
      ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
      containers: (pod.spec?.containers ?? []).map((c) => ({
        name: c.name,
        ...(c.resources ? { resources: { limits: c.resources.limits, requests: c.resources.requests } } : {}),
      })),
    },
    ...(s
      ? {
          status: {
            phase: s.phase,
            startTime: s.startTime,
            reason: s.reason,
            message: s.message,
            conditions: s.conditions,
            containerStatuses: s.containerStatuses,
            initContainerStatuses: s.initContainerStatuses,
          },
        }
      : {}),
  };
}

function createServingWatch(kube: KubeClient, custom: () => CustomObjectsApi): ServingWatch {
  const kc = kube.config;
  const opts = () => kube.callOptions();
  let core: CoreV1Api | undefined;
  const coreApi = () => (core ??= kc.makeApiClient(CoreV1Api));
  const services: WatchCache<KubeInferenceService> = createWatchCache({
    config: kc,
    resyncMs: RESYNC_MS,
    path: `/apis/${ISVC.group}/${ISVC.version}/${ISVC.plural}`,
    list: (page) =>
      custom().listClusterCustomObject({ ...ISVC, ...page }, opts()) as Promise<
        KubernetesListObject<KubeInferenceService>
      >,
    project: slimService,
  });
  const pods: WatchCache<V1Pod> = createWatchCache({
    config: kc,
    resyncMs: RESYNC_MS,
    path: '/api/v1/pods',
    labelSelector: ISVC_POD_LABEL,
    list: (page) => coreApi().listPodForAllNamespaces({ ...page, labelSelector: ISVC_POD_LABEL }, opts()),
    project: slimServingPod,
  });

  const revision = (namespace: string) => {
    const hash = createHash('sha1');
    for (const cache of [services, pods]) {
      for (const o of cache.list(namespace))
        hash.update(`${o.metadata?.name}@${o.metadata?.resourceVersion};`);
      hash.update('|');
    }
    return hash.digest('base64url').slice(0, 16);
  };

  type Waiter = { namespace: string; since: string; done: (revision: string) => void };
  const waiters = new Set<Waiter>();
  let ticker: NodeJS.Timeout | undefined;
  // Between two changes each cache's whole list is the same array (kube-cache.ts): a new one means a change.
  let seen: [readonly unknown[], readonly unknown[]] = [[], []];
  const tick = () => {
    const now: [readonly unknown[], readonly unknown[]] = [services.list(), pods.list()];
    if (now[0] === seen[0] && now[1] === seen[1]) return;
    seen = now;
    const revisions = new Map<string, string>();
    for (const w of waiters) {
      const current = revisions.get(w.namespace) ?? revision(w.namespace);
      revisions.set(w.namespace, current);
      if (current !== w.since) w.done(current);
    }
  };

  return {
    async ready() {
      await call(() => Promise.all([services.ready(), pods.ready()]));
    },
    services: (namespace) => services.list(namespace),
    pods: (namespace) => pods.list(namespace),
    revision,
    changed(namespace, since, timeoutMs) {
      const current = revision(namespace);
      if (current !== since || waiters.size >= MAX_WAITERS) return Promise.resolve(current);
      return new Promise<string>((resolve) => {
        const waiter: Waiter = {
          namespace,
          since,
          done: (value) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            if (waiters.size === 0) {
              clearInterval(ticker);
              ticker = undefined;
            }
            resolve(value);
          },
        };
        const timer = setTimeout(() => waiter.done(revision(namespace)), timeoutMs);
        timer.unref();
        waiters.add(waiter);
        if (!ticker) {
          seen = [services.list(), pods.list()];
          ticker = setInterval(tick, CHANGE_TICK_MS);
          ticker.unref();
        }
      });
    },
    async stop() {
      for (const w of [...waiters]) w.done(revision(w.namespace));
      await Promise.all([services.stop(), pods.stop()]);
    },
  };
}

export function createServingKube(
  kube: KubeClient,
  options: { predictTimeoutMs?: number } = {},
): ServingKube {
  let custom: CustomObjectsApi | undefined;
  const api = () => (custom ??= kube.config.makeApiClient(CustomObjectsApi));
  const opts = () => kube.callOptions();
  const predictTimeoutMs = options.predictTimeoutMs ?? 30_000;
  let watched: ServingWatch | undefined;

  return {
    get watch() {
      return (watched ??= createServingWatch(kube, api));
    },

    listInferenceServices: async (namespace) =>
      (
        (await call(() => api().listNamespacedCustomObject({ ...ISVC, namespace }, opts()))) as {
          items: KubeInferenceService[];
        }
      ).items,

    getInferenceService: (namespace, name) =>
      orUndefinedOn404(
        () =>
          api().getNamespacedCustomObject(
            { ...ISVC, namespace, name },
            opts(),
          ) as Promise<KubeInferenceService>,
      ),

    createInferenceService: (namespace, body) =>
      write(
        () =>
          api().createNamespacedCustomObject(
            { ...ISVC, namespace, body },
            opts(),
          ) as Promise<KubeInferenceService>,
      ),

    patchInferenceService: (namespace, name, patch) =>
      write(
        () =>
          api().patchNamespacedCustomObject(
            { ...ISVC, namespace, name, body: patch },
            setHeaderOptions('Content-Type', PatchStrategy.MergePatch, opts()),
          ) as Promise<KubeInferenceService>,
        { value: undefined },
      ),

    deleteInferenceService: async (namespace, name) =>
      (await orUndefinedOn404(() =>
        api().deleteNamespacedCustomObject({ ...ISVC, namespace, name }, opts()),
      )) !== undefined,

    llmInferenceServiceExists: async (namespace, name) =>
      (await orUndefinedOn404(
        () => api().getNamespacedCustomObject({ ...LLM_ISVC, namespace, name }, opts()) as Promise<object>,
      )) !== undefined,

    createLLMInferenceService: (namespace, body) =>
      write(
        () =>
          api().createNamespacedCustomObject(
            { ...LLM_ISVC, namespace, body },
            opts(),
          ) as Promise<KubernetesObject>,
      ),

    servingRuntimes: async (namespace) =>
      (
        (await call(() => api().listNamespacedCustomObject({ ...RUNTIMES, namespace }, opts()))) as {
          items: KubeServingRuntime[];
        }
      ).items,

    clusterServingRuntimes: async () =>
      (
        (await call(() => api().listClusterCustomObject({ ...CLUSTER_RUNTIMES }, opts()))) as {
          items: KubeServingRuntime[];
        }
      ).items,

    async predict(url, body) {
      const started = performance.now();
      try {
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(predictTimeoutMs),
          headers: { 'content-type': 'application/json', accept: 'application/json' },
          body: JSON.stringify(body),
        });
        const text = await readCapped(response, MAX_ANSWER_BYTES);
        const latencyMs = Math.round((performance.now() - started) * 10) / 10;
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          // Not JSON: the form shows the text as the predictor sent it.
        }
        return { status: response.status, body: parsed, latencyMs };
      } catch (err) {
        throw new UpstreamError('predictor', err, {
          key: 'ML_APPS_SERVING_PREDICTOR_UNREACHABLE',
          params: {},
        });
      }
    },
  };
}

/** The answer's first `max` bytes as text: a predictor answering gigabytes never gets them into memory. */
async function readCapped(response: Response, max: number): Promise<string> {
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
    chunks.push(chunk.subarray(0, max - size));
    size += Math.min(chunk.length, max - size);
    if (size >= max) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
