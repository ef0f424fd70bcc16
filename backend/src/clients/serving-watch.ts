// The watched copy of what the services list shows (ADR 0040): KServe's InferenceServices and their pods, and —
// once the cluster serves the CRD — its LLMInferenceServices and their pods, each listed once and then followed
// by a watch (kube-cache.ts), so a list reads memory instead of the apiserver and a console waiting for a change
// (the long poll) is answered when one comes.
import { createHash } from 'node:crypto';
import {
  CoreV1Api,
  CustomObjectsApi,
  type KubernetesListObject,
  type KubernetesObject,
  type V1Pod,
} from '@kubernetes/client-node';
import type { KubeClient } from './kube.js';
import { createWatchCache, type WatchCache } from './kube-cache.js';
import { kubeCall as call } from './kube-calls.js';
import type { KubeInferenceService, KubeLLMInferenceService } from './serving-kube.js';

const KSERVE = 'serving.kserve.io';
/** KServe's label on the pods of an InferenceService (predictor, transformer, explainer). */
const ISVC_POD_LABEL = 'serving.kserve.io/inferenceservice';
/**
 * KServe's llmisvc controller's label on every pod it makes for an LLMInferenceService (workload, worker, prefill,
 * router scheduler); `app.kubernetes.io/name` names the service, `app.kubernetes.io/component` the part.
 */
export const LLM_POD_SELECTOR = 'app.kubernetes.io/part-of=llminferenceservice';
/** A full relist now and then, as client-go's informers resync (the watch carries every change between). */
const RESYNC_MS = 10 * 60_000;
/** How often waiting long polls look for a change of the watched copy (memory only, no apiserver call). */
const CHANGE_TICK_MS = 100;
/** Long polls waiting at once; more are answered at once (the console then asks again, as a poll would). */
const MAX_WAITERS = 1_000;

export interface ServingWatch {
  /** Starts the watches on first use; resolves once every followed cache has listed (rejects fast while not). */
  ready(): Promise<void>;
  services(namespace: string): readonly KubeInferenceService[];
  pods(namespace: string): readonly V1Pod[];
  /**
   * Follows LLMInferenceServices and their pods too, from now on (idempotent): called once discovery says the
   * cluster serves the CRD, so a cluster without it never holds a watch that cannot list.
   */
  followLlm(): void;
  /** Empty until followed. */
  llmServices(namespace: string): readonly KubeLLMInferenceService[];
  llmPods(namespace: string): readonly V1Pod[];
  /** A fingerprint of the namespace's watched objects (names and resourceVersions): it changes when they do. */
  revision(namespace: string): string;
  /**
   * The namespace's revision once it differs from `since`, or the current one after `timeoutMs`: the long poll
   * the console's list waits on instead of polling (ADR 0040).
   */
  changed(namespace: string, since: string, timeoutMs: number): Promise<string>;
  stop(): Promise<void>;
}

/** A custom object as kept in a watch cache: everything but the server's managedFields. */
function slimObject<T extends KubernetesObject>(object: T): T {
  if (!object.metadata?.managedFields) return object;
  const { managedFields: _dropped, ...metadata } = object.metadata;
  return { ...object, metadata };
}

/** A pod as the serving views read it: who it belongs to, where it runs, its state; not its spec. */
export function slimServingPod(pod: V1Pod): V1Pod {
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

type AnyCache = WatchCache<KubernetesObject>;

/** `maxBytes`: each watch cache's budget (KUBE_WATCH_CACHE_MAX_BYTES); `onError`: a watch or list failed. */
export interface ServingWatchOptions {
  maxBytes: number;
  onError?: (err: unknown) => void;
}

export function createServingWatch(
  kube: KubeClient,
  custom: () => CustomObjectsApi,
  options: ServingWatchOptions,
): ServingWatch {
  const kc = kube.config;
  const cacheOptions = {
    config: kc,
    resyncMs: RESYNC_MS,
    maxBytes: options.maxBytes,
    ...(options.onError ? { onError: options.onError } : {}),
  };
  const opts = () => kube.callOptions();
  let core: CoreV1Api | undefined;
  const coreApi = () => (core ??= kc.makeApiClient(CoreV1Api));
  const customCache = <T extends KubernetesObject>(version: string, plural: string): WatchCache<T> =>
    createWatchCache({
      ...cacheOptions,
      path: `/apis/${KSERVE}/${version}/${plural}`,
      list: (page) =>
        custom().listClusterCustomObject({ group: KSERVE, version, plural, ...page }, opts()) as Promise<
          KubernetesListObject<T>
        >,
      project: slimObject<T>,
    });
  const podCache = (labelSelector: string): WatchCache<V1Pod> =>
    createWatchCache({
      ...cacheOptions,
      path: '/api/v1/pods',
      labelSelector,
      list: (page) => coreApi().listPodForAllNamespaces({ ...page, labelSelector }, opts()),
      project: slimServingPod,
    });

  const services = customCache<KubeInferenceService>('v1beta1', 'inferenceservices');
  const pods = podCache(ISVC_POD_LABEL);
  let llm: { services: WatchCache<KubeLLMInferenceService>; pods: WatchCache<V1Pod> } | undefined;
  const followed = (): AnyCache[] => [
    services as AnyCache,
    pods as AnyCache,
    ...(llm ? [llm.services as AnyCache, llm.pods as AnyCache] : []),
  ];

  const revision = (namespace: string) => {
    const hash = createHash('sha1');
    for (const cache of followed()) {
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
  const identities = () => followed().map((c) => c.list());
  let seen: (readonly unknown[])[] = [];
  const tick = () => {
    const now = identities();
    if (now.length === seen.length && now.every((list, i) => list === seen[i])) return;
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
      await call(() => Promise.all(followed().map((c) => c.ready())));
    },
    services: (namespace) => services.list(namespace),
    pods: (namespace) => pods.list(namespace),
    followLlm() {
      llm ??= {
        services: customCache<KubeLLMInferenceService>('v1alpha1', 'llminferenceservices'),
        pods: podCache(LLM_POD_SELECTOR),
      };
    },
    llmServices: (namespace) => llm?.services.list(namespace) ?? [],
    llmPods: (namespace) => llm?.pods.list(namespace) ?? [],
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
          seen = identities();
          ticker = setInterval(tick, CHANGE_TICK_MS);
          ticker.unref();
        }
      });
    },
    async stop() {
      for (const w of [...waiters]) w.done(revision(w.namespace));
      await Promise.all(followed().map((c) => c.stop()));
    },
  };
}
