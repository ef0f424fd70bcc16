// ml-apps serving's I/O: KServe InferenceServices, ServingRuntimes and ClusterServingRuntimes on the
// kube-apiserver, and the test request sent to a service's predictor over HTTP. Every call has a deadline (the
// KubeClient's for the apiserver, `predictTimeoutMs` for the predictor); an apiserver refusal of what was asked
// is the caller's 4xx with the apiserver's sentence; anything else an UpstreamError whose cause is logged reduced.
import {
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
} from '@kubernetes/client-node';
import type { KubeClient } from './kube.js';
import { kubeCall as call, orUndefinedOn404 } from './kube-calls.js';
import { write } from './ml-apps-kube.js';
import { createServingEvents, type ServingEvents } from './serving-events.js';
import { createServingWatch, type ServingWatch, type ServingWatchOptions } from './serving-watch.js';
import { UpstreamError } from './upstream.js';

export type { ServingWatch } from './serving-watch.js';

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

/**
 * A KServe `serving.kserve.io/v1alpha1` LLMInferenceService as stored: the fields we write (model, replicas, the
 * `main` container's amounts, the router) and the controller's status (URL, knative conditions).
 */
export interface KubeLLMInferenceService extends KubernetesObject {
  spec?: {
    model?: { uri?: string; name?: string };
    replicas?: number;
    template?: {
      containers?: {
        name?: string;
        resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
      }[];
      [key: string]: unknown;
    };
    router?: Record<string, unknown>;
    [key: string]: unknown;
  };
  status?: {
    url?: string;
    address?: { url?: string };
    conditions?: Condition[];
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

export interface ServingKube {
  /** The watched copy of services and their pods (started on first use). */
  readonly watch: ServingWatch;
  /** Waits for a warning about a service's pods (the detail's long poll). */
  readonly events: ServingEvents;
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
  /** KServe's LLMInferenceService (v1alpha1): whether one exists, creating and deleting one. */
  llmInferenceServiceExists(namespace: string, name: string): Promise<boolean>;
  createLLMInferenceService(namespace: string, body: KubernetesObject): Promise<KubernetesObject>;
  getLLMInferenceService(namespace: string, name: string): Promise<KubeLLMInferenceService | undefined>;
  /** False when it was already gone. */
  deleteLLMInferenceService(namespace: string, name: string): Promise<boolean>;
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

export function createServingKube(
  kube: KubeClient,
  options: { predictTimeoutMs?: number; watch: ServingWatchOptions },
): ServingKube {
  let custom: CustomObjectsApi | undefined;
  const api = () => (custom ??= kube.config.makeApiClient(CustomObjectsApi));
  const opts = () => kube.callOptions();
  const predictTimeoutMs = options.predictTimeoutMs ?? 30_000;
  let watched: ServingWatch | undefined;
  let events: ServingEvents | undefined;

  return {
    get watch() {
      return (watched ??= createServingWatch(kube, api, options.watch));
    },
    get events() {
      return (events ??= createServingEvents(kube));
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

    getLLMInferenceService: (namespace, name) =>
      orUndefinedOn404(
        () =>
          api().getNamespacedCustomObject(
            { ...LLM_ISVC, namespace, name },
            opts(),
          ) as Promise<KubeLLMInferenceService>,
      ),

    deleteLLMInferenceService: async (namespace, name) =>
      (await orUndefinedOn404(() =>
        api().deleteNamespacedCustomObject({ ...LLM_ISVC, namespace, name }, opts()),
      )) !== undefined,

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
