// The ml-apps feature's kube-apiserver client: API discovery (which ML operators are served), Kubeflow
// Notebooks, and what the notebook pages and the quota pre-check read (pods, events, quotas, nodes, claims).
// Every call is bounded by the KubeClient's deadline and fails as an UpstreamError (the cause reduced when
// logged); a 404 where "absent" is an answer comes back as undefined. Reads go to the apiserver directly, so a
// pre-check always sees the current quota, and no watch is opened here.
import {
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type CoreV1Event,
  type KubernetesObject,
  type V1Node,
  type V1PersistentVolumeClaim,
  type V1Pod,
  type V1PodSpec,
  type V1ResourceQuota,
} from '@kubernetes/client-node';
import * as http from 'node:http';
import * as https from 'node:https';
import { parseQuantity } from '@ks-gpu-ml/contracts';
import { AppError } from '../shared/errors.js';
import { TtlCache } from '../shared/ttl-cache.js';
import type { KubeClient } from './kube.js';
import { kubeCall as call, orUndefinedOn404, statusOf } from './kube-calls.js';
import { UpstreamError } from './upstream.js';

/** A Kubeflow `kubeflow.org/v1` Notebook as stored (spec.template.spec is a PodSpec). */
export interface KubeNotebook extends KubernetesObject {
  spec?: { template?: { metadata?: Record<string, unknown>; spec?: V1PodSpec } };
  status?: {
    readyReplicas?: number;
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    containerState?: { waiting?: { reason?: string; message?: string }; running?: object };
  };
}

const NOTEBOOKS = { group: 'kubeflow.org', version: 'v1', plural: 'notebooks' } as const;
const TRAINJOBS = { group: 'trainer.kubeflow.org', version: 'v1alpha1', plural: 'trainjobs' } as const;

/** A Training Operator v1 job (TFJob, PyTorchJob, XGBoostJob, MPIJob) as stored: `<kind>ReplicaSpecs` by type. */
export interface KubeTrainingJob extends KubernetesObject {
  spec?: Record<string, unknown>;
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
  };
}

/** A Kueue Workload as stored: the queue, and the conditions that say whether Kueue admitted it. */
export interface KubeWorkload extends KubernetesObject {
  spec?: { queueName?: string };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

/**
 * One entry of Kueue's visibility API (`visibility.kueue.x-k8s.io` v1beta2/v1beta1 PendingWorkloadsSummary items):
 * a pending Workload with its 0-based positions.
 */
export interface PendingWorkload {
  metadata?: { name?: string; namespace?: string };
  localQueueName?: string;
  priority?: number;
  positionInClusterQueue?: number;
  positionInLocalQueue?: number;
}

/** A TrainingRuntime or ClusterTrainingRuntime: the JobSet it templates, as far as ml-apps reads it. */
export interface KubeTrainingRuntime extends KubernetesObject {
  spec?: {
    template?: {
      spec?: {
        replicatedJobs?: { name?: string; template?: { metadata?: { labels?: Record<string, string> } } }[];
      };
    };
  };
}

/** A Kubeflow Trainer v2 `trainer.kubeflow.org/v1alpha1` TrainJob as stored. */
export interface KubeTrainJob extends KubernetesObject {
  spec?: {
    runtimeRef?: { name?: string; kind?: string; apiGroup?: string };
    initializer?: { dataset?: { storageUri?: string }; model?: { storageUri?: string } };
    trainer?: {
      image?: string;
      command?: string[];
      args?: string[];
      env?: { name: string; value?: string }[];
      numNodes?: number;
      resourcesPerNode?: { requests?: Record<string, string>; limits?: Record<string, string> };
    };
  };
  status?: {
    conditions?: { type: string; status: string; reason?: string; message?: string }[];
    trainerStatus?: { progressPercentage?: number; estimatedRemainingSeconds?: number };
  };
}

/** Node name → resource name → the summed requests of the pods bound there. */
export type PlacedRequests = Readonly<Record<string, Readonly<Record<string, number>>>>;

/**
 * How old the placed-requests snapshot may be. Listing every bound pod is the pre-check's one costly read (~55 ms
 * for 500 pods on the sandbox, most of it decoding); the pre-check is advice at a moment anyway, and the
 * scheduler decides: a figure 2 s old is as good, and a burst of creates lists once.
 */
const PLACED_TTL_MS = 2_000;

/** The pods' requests (limits where a container gives only those, as for extended resources) per node. */
export function sumPlaced(pods: readonly V1Pod[]): PlacedRequests {
  const sums: Record<string, Record<string, number>> = {};
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node) continue;
    const perNode = (sums[node] ??= {});
    for (const container of pod.spec?.containers ?? []) {
      const amounts = { ...container.resources?.limits, ...container.resources?.requests };
      for (const [resource, value] of Object.entries(amounts)) {
        perNode[resource] = (perNode[resource] ?? 0) + (parseQuantity(value) ?? 0);
      }
    }
  }
  return sums;
}

/** The most of a log one request returns (the kubelet cuts there). */
const LOG_LIMIT_BYTES = 1024 * 1024;

/** A log read's deadline: the apiserver asks the kubelet, which reads the file. */
const LOG_TIMEOUT_MS = 10_000;

/** GET a text answer of at most LOG_LIMIT_BYTES (+ a little: the apiserver's Status), with the log deadline. */
function getText(url: URL, options: https.RequestOptions): Promise<{ status: number; text: string }> {
  const client = url.protocol === 'http:' ? http : https;
  return new Promise((resolve, reject) => {
    const req = client.request(url, { ...options, method: 'GET', timeout: LOG_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < LOG_LIMIT_BYTES + 65_536) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${LOG_TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/** How long an API discovery answer is reused: operators are installed rarely, pages ask often. */
const DISCOVERY_TTL_MS = 30_000;

export interface MlAppsKube {
  /** The resources a group-version serves (plural names), or undefined when the API server does not serve it. */
  servedResources(group: string, version: string): Promise<ReadonlySet<string> | undefined>;
  listNotebooks(namespace: string): Promise<KubeNotebook[]>;
  getNotebook(namespace: string, name: string): Promise<KubeNotebook | undefined>;
  createNotebook(namespace: string, body: KubeNotebook): Promise<KubeNotebook>;
  /** JSON merge patch of metadata.annotations; a null value removes the annotation. */
  annotateNotebook(
    namespace: string,
    name: string,
    annotations: Record<string, string | null>,
  ): Promise<KubeNotebook | undefined>;
  /** False when it was already gone. */
  deleteNotebook(namespace: string, name: string): Promise<boolean>;
  listTrainJobs(namespace: string): Promise<KubeTrainJob[]>;
  /** The `kubeflow.org` jobs of one plural (`tfjobs`, …) in the version the cluster serves. */
  listTrainingJobs(namespace: string, plural: string, version: string): Promise<KubeTrainingJob[]>;
  getTrainingJob(
    namespace: string,
    plural: string,
    version: string,
    name: string,
  ): Promise<KubeTrainingJob | undefined>;
  createTrainingJob(
    namespace: string,
    plural: string,
    version: string,
    body: KubeTrainingJob,
  ): Promise<KubeTrainingJob>;
  /** False when it was already gone. */
  deleteTrainingJob(namespace: string, plural: string, version: string, name: string): Promise<boolean>;
  getTrainJob(namespace: string, name: string): Promise<KubeTrainJob | undefined>;
  createTrainJob(namespace: string, body: KubeTrainJob): Promise<KubeTrainJob>;
  /** False when it was already gone. */
  deleteTrainJob(namespace: string, name: string): Promise<boolean>;
  /** The runtime a TrainJob names (a ClusterTrainingRuntime, or a TrainingRuntime there); undefined when none. */
  trainingRuntime(
    kind: 'ClusterTrainingRuntime' | 'TrainingRuntime',
    name: string,
    namespace: string,
  ): Promise<KubeTrainingRuntime | undefined>;
  pods(namespace: string, labelSelector?: string): Promise<V1Pod[]>;
  /** The namespace's Kueue Workloads in the version the cluster serves. */
  workloads(namespace: string, version: string): Promise<KubeWorkload[]>;
  /**
   * Kueue's pending Workloads of a LocalQueue, in queue order, from its visibility API (an aggregated API the Kueue
   * manager serves) in `version`; at most `limit` of them.
   */
  pendingWorkloads(
    namespace: string,
    localQueue: string,
    version: string,
    limit: number,
  ): Promise<PendingWorkload[]>;
  /** Every event of the namespace (Normal and Warning). */
  events(namespace: string): Promise<CoreV1Event[]>;
  pod(namespace: string, name: string): Promise<V1Pod | undefined>;
  /**
   * A container's log through the apiserver (pods/log, which asks the node's kubelet), at most LOG_LIMIT_BYTES.
   * While the apiserver cannot give it (no node yet, the container waiting, the kubelet unreachable) an AppError
   * 409 ML_APPS_LOG_UNAVAILABLE with the apiserver's sentence (the caller reads the pod first).
   */
  podLog(
    namespace: string,
    name: string,
    opts: { container: string; tailLines: number; previous: boolean },
  ): Promise<string>;
  /** The namespace's Warning events (scheduler, quota admission, kubelet). */
  warningEvents(namespace: string): Promise<CoreV1Event[]>;
  resourceQuotas(namespace: string): Promise<V1ResourceQuota[]>;
  namespaceExists(namespace: string): Promise<boolean>;
  nodes(): Promise<V1Node[]>;
  /**
   * What the pods bound to each node ask for now (not finished, every namespace), summed per resource: node →
   * resource → amount. A snapshot at most PLACED_TTL_MS old, shared by concurrent callers.
   */
  placedRequests(): Promise<PlacedRequests>;
  claims(namespace: string): Promise<V1PersistentVolumeClaim[]>;
  createClaim(namespace: string, body: V1PersistentVolumeClaim): Promise<void>;
  deleteClaim(namespace: string, name: string): Promise<void>;
}

/** The apiserver's own sentence of a Status answer (never the whole error object). */
function statusMessage(err: unknown): string {
  const body = (err as { body?: unknown } | null)?.body;
  try {
    const status = (typeof body === 'string' ? JSON.parse(body) : body) as { message?: unknown } | undefined;
    return typeof status?.message === 'string' ? status.message.slice(0, 1_000) : '';
  } catch {
    return '';
  }
}

/**
 * A write the apiserver refused because of what was asked (invalid, forbidden by a quota, taken): the caller's
 * 4xx with the apiserver's sentence, not a 502; a 404 is `absent` when one is given. Anything else is an upstream
 * failure. Model serving's writes share it (serving-kube.ts).
 */
export async function write<T, A = never>(fn: () => Promise<T>, absent?: { value: A }): Promise<T | A> {
  try {
    return await fn();
  } catch (err) {
    const code = statusOf(err);
    if (code === 404 && absent) return absent.value;
    if (code === 403 || code === 409 || code === 422 || code === 400) {
      const reason = code === 409 ? 'Conflict' : code === 403 ? 'Forbidden' : 'Invalid';
      const message = statusMessage(err);
      throw new AppError(
        code === 422 ? 400 : code,
        reason,
        'ML_APPS_REFUSED_BY_CLUSTER',
        { message },
        { message },
      );
    }
    throw new UpstreamError('kube-apiserver', err);
  }
}

export function createMlAppsKube(kube: KubeClient): MlAppsKube {
  // Made on first use: a backend that serves ml-apps but is never asked builds nothing (and tests' fake kube
  // clients without a kubeconfig can start the app).
  let apis: { core: CoreV1Api; custom: CustomObjectsApi } | undefined;
  const api = () =>
    (apis ??= {
      core: kube.config.makeApiClient(CoreV1Api),
      custom: kube.config.makeApiClient(CustomObjectsApi),
    });
  const opts = () => kube.callOptions();
  // One entry (the whole cluster's snapshot), bounded in bytes too: nodes × resources numbers.
  const placed = new TtlCache<PlacedRequests>({
    ttlMs: PLACED_TTL_MS,
    maxEntries: 1,
    maxBytes: 4 * 1024 * 1024,
  });
  let placing: Promise<PlacedRequests> | undefined;
  // One entry per group-version our operator table names (a handful): bounded by construction.
  const discovered = new Map<string, { at: number; answer: Promise<ReadonlySet<string> | undefined> }>();

  type Kind = { group: string; version: string; plural: string };
  const list = async <T>(kind: Kind, namespace: string) =>
    (
      (await call(() => api().custom.listNamespacedCustomObject({ ...kind, namespace }, opts()))) as {
        items: T[];
      }
    ).items;
  const get = <T>(kind: Kind, namespace: string, name: string) =>
    orUndefinedOn404(
      () => api().custom.getNamespacedCustomObject({ ...kind, namespace, name }, opts()) as Promise<T>,
    );
  const create = <T>(kind: Kind, namespace: string, body: T) =>
    write(
      () => api().custom.createNamespacedCustomObject({ ...kind, namespace, body }, opts()) as Promise<T>,
    );
  const remove = async (kind: Kind, namespace: string, name: string) =>
    (await orUndefinedOn404(() =>
      api().custom.deleteNamespacedCustomObject({ ...kind, namespace, name }, opts()),
    )) !== undefined;

  return {
    servedResources(group, version) {
      const key = `${group}/${version}`;
      const cached = discovered.get(key);
      if (cached && Date.now() - cached.at < DISCOVERY_TTL_MS) return cached.answer;
      const answer = orUndefinedOn404(() => api().custom.getAPIResources({ group, version }, opts())).then(
        (list) => (list ? (new Set(list.resources.map((r) => r.name)) as ReadonlySet<string>) : undefined),
      );
      discovered.set(key, { at: Date.now(), answer });
      // A failed discovery is not remembered.
      answer.catch(() => discovered.delete(key));
      return answer;
    },

    listNotebooks: (namespace) => list<KubeNotebook>(NOTEBOOKS, namespace),
    getNotebook: (namespace, name) => get<KubeNotebook>(NOTEBOOKS, namespace, name),
    createNotebook: (namespace, body) => create(NOTEBOOKS, namespace, body),

    annotateNotebook: (namespace, name, annotations) =>
      orUndefinedOn404(
        () =>
          api().custom.patchNamespacedCustomObject(
            { ...NOTEBOOKS, namespace, name, body: { metadata: { annotations } } },
            setHeaderOptions('Content-Type', PatchStrategy.MergePatch, opts()),
          ) as Promise<KubeNotebook>,
      ),

    deleteNotebook: (namespace, name) => remove(NOTEBOOKS, namespace, name),
    listTrainJobs: (namespace) => list<KubeTrainJob>(TRAINJOBS, namespace),
    listTrainingJobs: (namespace, plural, version) =>
      list<KubeTrainingJob>({ group: 'kubeflow.org', version, plural }, namespace),
    getTrainingJob: (namespace, plural, version, name) =>
      get<KubeTrainingJob>({ group: 'kubeflow.org', version, plural }, namespace, name),
    createTrainingJob: (namespace, plural, version, body) =>
      create({ group: 'kubeflow.org', version, plural }, namespace, body),
    deleteTrainingJob: (namespace, plural, version, name) =>
      remove({ group: 'kubeflow.org', version, plural }, namespace, name),
    getTrainJob: (namespace, name) => get<KubeTrainJob>(TRAINJOBS, namespace, name),
    createTrainJob: (namespace, body) => create(TRAINJOBS, namespace, body),
    deleteTrainJob: (namespace, name) => remove(TRAINJOBS, namespace, name),
    async trainingRuntime(kind, name, namespace) {
      const group = { group: TRAINJOBS.group, version: TRAINJOBS.version };
      return kind === 'ClusterTrainingRuntime'
        ? ((await orUndefinedOn404(() =>
            api().custom.getClusterCustomObject(
              { ...group, plural: 'clustertrainingruntimes', name },
              opts(),
            ),
          )) as KubeTrainingRuntime | undefined)
        : await get<KubeTrainingRuntime>({ ...group, plural: 'trainingruntimes' }, namespace, name);
    },

    pods: async (namespace, labelSelector) =>
      (
        await call(() =>
          api().core.listNamespacedPod({ namespace, ...(labelSelector ? { labelSelector } : {}) }, opts()),
        )
      ).items,

    workloads: (namespace, version) =>
      list<KubeWorkload>({ group: 'kueue.x-k8s.io', version, plural: 'workloads' }, namespace),

    events: async (namespace) =>
      (await call(() => api().core.listNamespacedEvent({ namespace }, opts()))).items,

    async pendingWorkloads(namespace, localQueue, version, limit) {
      // A plain request: the path is a subresource of a LocalQueue of an aggregated API, which the generated
      // custom-objects client would escape.
      const server = kube.config.getCurrentCluster()?.server ?? '';
      const path =
        `/apis/visibility.kueue.x-k8s.io/${encodeURIComponent(version)}/namespaces/` +
        `${encodeURIComponent(namespace)}/localqueues/${encodeURIComponent(localQueue)}/pendingworkloads`;
      const options: https.RequestOptions = {};
      await kube.config.applyToHTTPSOptions(options);
      let answer: { status: number; text: string };
      try {
        answer = await getText(new URL(`${server}${path}?limit=${limit}`), options);
      } catch (err) {
        throw new UpstreamError('kube-apiserver', err);
      }
      if (answer.status !== 200) {
        throw new UpstreamError('kube-apiserver', new Error(`GET ${path}: HTTP ${answer.status}`));
      }
      try {
        const summary = JSON.parse(answer.text) as { items?: PendingWorkload[] };
        return Array.isArray(summary.items) ? summary.items : [];
      } catch (err) {
        throw new UpstreamError('kube-apiserver', err);
      }
    },

    pod: (namespace, name) =>
      orUndefinedOn404(() => api().core.readNamespacedPod({ name, namespace }, opts())),

    async podLog(namespace, name, { container, tailLines, previous }) {
      // A plain request, not the generated client: it cannot read the apiserver's answer when pods/log fails
      // ("No Content-Type defined"), and that answer is what the page shows.
      const server = kube.config.getCurrentCluster()?.server ?? '';
      const query = new URLSearchParams({
        container,
        tailLines: String(tailLines),
        limitBytes: String(LOG_LIMIT_BYTES),
        ...(previous ? { previous: 'true' } : {}),
      });
      const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/log`;
      const options: https.RequestOptions = {};
      await kube.config.applyToHTTPSOptions(options);
      let answer: { status: number; text: string };
      try {
        answer = await getText(new URL(`${server}${path}?${query}`), options);
      } catch (err) {
        throw new UpstreamError('kube-apiserver', err);
      }
      // 204: nothing to read (a pod with no node yet).
      if (answer.status === 200 || answer.status === 204) return answer.text;
      // Our own identity refused: a platform problem, not the pod's state.
      if (answer.status === 401 || answer.status === 403) {
        throw new UpstreamError('kube-apiserver', new Error(`pods/log answered ${answer.status}`));
      }
      // The apiserver answers 400 while the pod has no node or the container waits, and 4xx/5xx when the
      // kubelet cannot be reached: the state of the pod, in the apiserver's words.
      const message =
        statusMessage({ body: answer.text }) || answer.text.slice(0, 1_000) || `HTTP ${answer.status}`;
      throw new AppError(409, 'Conflict', 'ML_APPS_LOG_UNAVAILABLE', { message }, { message });
    },

    warningEvents: async (namespace) =>
      (await call(() => api().core.listNamespacedEvent({ namespace, fieldSelector: 'type=Warning' }, opts())))
        .items,

    resourceQuotas: async (namespace) =>
      (await call(() => api().core.listNamespacedResourceQuota({ namespace }, opts()))).items,

    namespaceExists: async (name) =>
      (await orUndefinedOn404(() => api().core.readNamespace({ name }, opts()))) !== undefined,

    nodes: async () => (await call(() => api().core.listNode({}, opts()))).items,

    placedRequests() {
      const cached = placed.get('all');
      if (cached) return Promise.resolve(cached);
      placing ??= call(() =>
        api().core.listPodForAllNamespaces(
          { fieldSelector: 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed' },
          opts(),
        ),
      )
        .then((list) => {
          const sums = sumPlaced(list.items);
          placed.set('all', sums);
          return sums;
        })
        .finally(() => (placing = undefined));
      return placing;
    },

    claims: async (namespace) =>
      (await call(() => api().core.listNamespacedPersistentVolumeClaim({ namespace }, opts()))).items,

    async createClaim(namespace, body) {
      await write(() => api().core.createNamespacedPersistentVolumeClaim({ namespace, body }, opts()));
    },

    async deleteClaim(namespace, name) {
      await orUndefinedOn404(() =>
        api().core.deleteNamespacedPersistentVolumeClaim({ namespace, name }, opts()),
      );
    },
  };
}
