// ml-apps serving composes: the KServe client, the registry, the notebooks' client for what the pre-check reads
// (quotas, nodes, bound pods), and one module per job (deploy and canary, the views). Every call first checks
// that the cluster serves InferenceServices, so a cluster without KServe gets a 404 saying what to install.
import type {
  InferenceAnswer,
  InferenceRequest,
  InferenceServiceCreate,
  InferenceServiceDetail,
  InferenceServiceDetailQuery,
  InferenceServiceList,
  InferenceServiceListQuery,
  InferenceServiceUpdate,
  LLMInferenceServiceCreate,
  LLMInferenceServiceDetail,
  ServingOptions,
} from '@ks-gpu-ml/contracts';
import { createHash } from 'node:crypto';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import type { MlAppsKube } from '../../clients/ml-apps-kube.js';
import type { KubeInferenceService, ServingKube } from '../../clients/serving-kube.js';
import type { ModelRegistryStore } from '../../clients/store/model-registry.js';
import { AppError } from '../../core/errors.js';
import { operatorKind, servedVersion } from './operators.js';
import {
  deployInferenceService,
  deployLLMInferenceService,
  runtimeOptions,
  servingNotFound,
  updateInferenceService,
} from './serving-deploy.js';
import { predictorOrigin, type AddressRules } from './serving-address.js';
import { ISVC_POD_LABEL } from './serving-manifest.js';
import { llmDetailView, llmPodSelector, llmSummaryView } from './serving-llm-view.js';
import { detailView, summaryView, warningsAbout } from './serving-view.js';

export interface ServingService {
  options(namespace: string): Promise<ServingOptions>;
  /** From the watch; with `query.since`, once the project's services or pods changed from that revision. */
  list(namespace: string, query?: InferenceServiceListQuery): Promise<InferenceServiceList>;
  /** With `query.since`, once the service, its pods or the warnings about them changed from that revision. */
  get(namespace: string, name: string, query?: InferenceServiceDetailQuery): Promise<InferenceServiceDetail>;
  create(namespace: string, input: InferenceServiceCreate, creator: string): Promise<InferenceServiceDetail>;
  update(namespace: string, name: string, input: InferenceServiceUpdate): Promise<InferenceServiceDetail>;
  remove(namespace: string, name: string): Promise<{ name: string }>;
  getLLM(namespace: string, name: string): Promise<LLMInferenceServiceDetail>;
  removeLLM(namespace: string, name: string): Promise<{ name: string }>;
  createLLM(namespace: string, input: LLMInferenceServiceCreate, creator: string): Promise<{ name: string }>;
  predict(namespace: string, name: string, input: InferenceRequest): Promise<InferenceAnswer>;
}

const llmNotFound = (name: string) =>
  new AppError(404, 'NotFound', 'ML_APPS_SERVING_LLM_NOT_FOUND', { name }, { name });

/** How long a list with `since` waits for a change by default (under the proxies' usual 30 s idle cut). */
const DEFAULT_WAIT_SECONDS = 25;

/**
 * The detail's fingerprint: the service's, its pods' and the shown warnings' names and resourceVersions (a
 * warning counted again gets a new resourceVersion).
 */
export function detailRevision(
  isvc: KubeInferenceService,
  pods: readonly V1Pod[],
  events: readonly CoreV1Event[],
): string {
  const hash = createHash('sha1');
  const name = isvc.metadata?.name ?? '';
  for (const o of [isvc, ...pods, ...warningsAbout(events, name)])
    hash.update(`${o.metadata?.name}@${o.metadata?.resourceVersion};`);
  return hash.digest('base64url').slice(0, 16);
}

/** The inference protocols' paths for a model (KServe names the model after the service). */
export function predictPath(protocol: InferenceRequest['protocol'], model: string): string {
  return protocol === 'v1' ? `/v1/models/${model}:predict` : `/v2/models/${model}/infer`;
}

export function createServingService(deps: {
  kube: MlAppsKube;
  serving: ServingKube;
  registry: ModelRegistryStore;
  /** Which predictor addresses a test request may go to (serving-address.ts). */
  addresses: AddressRules;
}): ServingService {
  const { kube, serving } = deps;
  const discover = (group: string, version: string) => kube.servedResources(group, version);

  async function requireKServe(): Promise<void> {
    const op = operatorKind('inferenceservices');
    if (await servedVersion(op, discover)) return;
    const params = { kind: op.kind, group: op.group, version: op.versions[0]! };
    throw new AppError(404, 'NotFound', 'ML_APPS_OPERATOR_MISSING', params, { operator: op.id, ...params });
  }

  /** Whether the cluster serves LLMInferenceService (v1alpha1; discovery is cached). */
  const servesLlm = async () =>
    (await discover('serving.kserve.io', 'v1alpha1'))?.has('llminferenceservices') ?? false;

  async function requireLlm(): Promise<void> {
    // Its own CRD (v1alpha1), installed separately from InferenceServices: 404 saying so when it is not.
    if (await servesLlm()) return;
    const params = { kind: 'LLMInferenceService', group: 'serving.kserve.io', version: 'v1alpha1' };
    throw new AppError(404, 'NotFound', 'ML_APPS_OPERATOR_MISSING', params, {
      operator: 'llminferenceservices',
      ...params,
    });
  }

  async function detail(namespace: string, isvc: KubeInferenceService): Promise<InferenceServiceDetail> {
    const name = isvc.metadata?.name ?? '';
    const [pods, events] = await Promise.all([
      kube.pods(namespace, `${ISVC_POD_LABEL}=${name}`),
      kube.warningEvents(namespace),
    ]);
    return { ...detailView(isvc, pods, events), revision: detailRevision(isvc, pods, events) };
  }

  async function current(namespace: string, name: string): Promise<InferenceServiceDetail> {
    const isvc = await serving.getInferenceService(namespace, name);
    if (!isvc) throw servingNotFound(name);
    return detail(namespace, isvc);
  }

  return {
    async options(namespace) {
      await requireKServe();
      const [runtimes, llm] = await Promise.all([runtimeOptions(serving, namespace), servesLlm()]);
      return { runtimes, llmInferenceService: llm };
    },

    async list(namespace, query = {}) {
      await requireKServe();
      const watch = serving.watch;
      const llm = await servesLlm();
      // Followed from the first list after the CRD is served (before the revision, which then covers them).
      if (llm) watch.followLlm();
      await watch.ready();
      const revision = query.since
        ? await watch.changed(namespace, query.since, (query.waitSeconds ?? DEFAULT_WAIT_SECONDS) * 1000)
        : watch.revision(namespace);
      // Services and pods from the watched copy; warnings (which a pod's words may lack) are read now.
      const services = watch.services(namespace);
      const pods = watch.pods(namespace);
      const events = await kube.warningEvents(namespace);
      const podsOf = new Map<string, V1Pod[]>();
      for (const pod of pods) {
        const owner = pod.metadata?.labels?.[ISVC_POD_LABEL] ?? '';
        podsOf.set(owner, [...(podsOf.get(owner) ?? []), pod]);
      }
      const items = services
        .map((s) => summaryView(s, podsOf.get(s.metadata?.name ?? '') ?? [], events))
        .sort((a, b) => a.name.localeCompare(b.name));
      if (!llm) return { items, revision };
      const llmPods = watch.llmPods(namespace);
      const llmItems = watch
        .llmServices(namespace)
        .map((s) => llmSummaryView(s, llmPods, events))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { items, llmItems, revision };
    },

    async get(namespace, name, query = {}) {
      await requireKServe();
      if (!query.since) return current(namespace, name);
      // The events' version first: a warning written while the detail is made is then seen by the wait.
      const from = await serving.events.eventsVersion(namespace);
      const now = await current(namespace, name);
      if (now.revision !== query.since) return now;
      const waitMs = (query.waitSeconds ?? DEFAULT_WAIT_SECONDS) * 1000;
      const woke = await serving.events.podWarningAfter(namespace, `${name}-`, from, waitMs);
      return woke ? current(namespace, name) : now;
    },

    async create(namespace, input, creator) {
      await requireKServe();
      return detail(namespace, await deployInferenceService(deps, namespace, input, creator));
    },

    async update(namespace, name, input) {
      await requireKServe();
      return detail(namespace, await updateInferenceService(deps, namespace, name, input));
    },

    async remove(namespace, name) {
      await requireKServe();
      if (!(await serving.deleteInferenceService(namespace, name))) throw servingNotFound(name);
      return { name };
    },

    async createLLM(namespace, input, creator) {
      await requireLlm();
      return deployLLMInferenceService(deps, namespace, input, creator);
    },

    async getLLM(namespace, name) {
      await requireLlm();
      const llm = await serving.getLLMInferenceService(namespace, name);
      if (!llm) throw llmNotFound(name);
      const [pods, events] = await Promise.all([
        kube.pods(namespace, llmPodSelector(name)),
        kube.warningEvents(namespace),
      ]);
      return llmDetailView(llm, pods, events);
    },

    async removeLLM(namespace, name) {
      await requireLlm();
      if (!(await serving.deleteLLMInferenceService(namespace, name))) throw llmNotFound(name);
      return { name };
    },

    async predict(namespace, name, input) {
      await requireKServe();
      const isvc = await serving.getInferenceService(namespace, name);
      if (!isvc) throw servingNotFound(name);
      const origin = predictorOrigin(name, namespace, isvc.status, deps.addresses);
      const url = origin + predictPath(input.protocol, name);
      const answer = await serving.predict(url, input.body);
      return { ...answer, url };
    },
  };
}
