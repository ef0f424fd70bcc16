// Deploying a registered model version as an InferenceService, and rolling another version out as a canary:
// the request checked against what exists (the version in the registry, a runtime that serves its format, the
// GPU), then the quota and capacity pre-check of the notebooks (precheck.ts) for the replicas that must run, and
// only then the write. A refusal is a 4xx naming the field, or a 409 with every number; nothing is created.
import {
  parseQuantity,
  type InferenceServiceCreate,
  type InferenceServiceUpdate,
  type LLMInferenceServiceCreate,
  type NotebookGpu,
  type PrecheckRefusal,
  type ServingRuntimeOption,
} from '@ks-gpu-ml/contracts';
import type { MlAppsKube } from '../../clients/ml-apps-kube.js';
import type { KubeInferenceService, KubeServingRuntime, ServingKube } from '../../clients/serving-kube.js';
import type { ModelRegistryStore, VersionRow } from '../../clients/store/model-registry.js';
import { AppError } from '../../core/errors.js';
import { checkGpu, checkNew, invalid } from './create-checks.js';
import { acceleratorResources } from './notebook-options.js';
import { capacityRefusal, quotaRefusals } from './precheck.js';
import {
  askOf,
  inferenceServiceManifest,
  llmInferenceServiceManifest,
  modelOf,
  MODEL_LABEL,
  podsToFit,
  PREVIOUS_VERSION_ANNOTATION,
  VERSION_LABEL,
} from './serving-manifest.js';

export interface DeployDeps {
  kube: MlAppsKube;
  serving: ServingKube;
  registry: ModelRegistryStore;
}

export function runtimeOption(
  kind: ServingRuntimeOption['kind'],
  rt: KubeServingRuntime,
): ServingRuntimeOption {
  return {
    kind,
    name: rt.metadata?.name ?? '',
    formats: (rt.spec?.supportedModelFormats ?? []).map((f) => ({
      name: f.name,
      ...(f.version ? { version: f.version } : {}),
      autoSelect: f.autoSelect === true,
      ...(f.priority !== undefined ? { priority: f.priority } : {}),
    })),
    protocolVersions: rt.spec?.protocolVersions ?? [],
    disabled: rt.spec?.disabled === true,
  };
}

/** The project's runtimes, then the cluster's (KServe prefers a namespace runtime of the same name). */
export async function runtimeOptions(
  serving: ServingKube,
  namespace: string,
): Promise<ServingRuntimeOption[]> {
  const [own, cluster] = await Promise.all([
    serving.servingRuntimes(namespace),
    serving.clusterServingRuntimes(),
  ]);
  return [
    ...own.map((rt) => runtimeOption('ServingRuntime', rt)),
    ...cluster.map((rt) => runtimeOption('ClusterServingRuntime', rt)),
  ];
}

/**
 * The runtime the body names exists, is enabled and serves the format (and the protocol, when one is asked).
 * Without one, KServe chooses among the runtimes that auto-select the format; when none does, its controller says
 * so (`NoSupportingRuntime` in modelStatus), and the service's status shows that verbatim.
 */
export function checkRuntime(
  input: Pick<InferenceServiceCreate, 'runtime' | 'protocolVersion'>,
  format: string,
  runtimes: readonly ServingRuntimeOption[],
): void {
  const serves = (rt: ServingRuntimeOption) => !rt.disabled && rt.formats.some((f) => f.name === format);
  if (!input.runtime) return;
  const { kind, name } = input.runtime;
  const rt = runtimes.find((r) => r.kind === kind && r.name === name);
  if (!rt) throw invalid('body.runtime.name', 'ML_APPS_SERVING_UNKNOWN_RUNTIME', { kind, name });
  if (!serves(rt)) {
    throw invalid('body.runtime.name', 'ML_APPS_SERVING_RUNTIME_FORMAT', {
      name,
      format,
      formats: rt.disabled ? '-' : rt.formats.map((f) => f.name).join(', '),
    });
  }
  const protocol = input.protocolVersion;
  if (protocol && rt.protocolVersions.length > 0 && !rt.protocolVersions.includes(protocol)) {
    throw invalid('body.protocolVersion', 'ML_APPS_SERVING_RUNTIME_PROTOCOL', {
      name,
      protocol,
      protocols: rt.protocolVersions.join(', '),
    });
  }
}

/** The 409 of a refused serving pre-check: the first refusal in the message, every one in details. */
export function servingPrecheckRefused(refusals: readonly PrecheckRefusal[]): AppError {
  const first = refusals[0]!;
  const key =
    first.source === 'quota' ? 'ML_APPS_PRECHECK_SERVING_QUOTA' : 'ML_APPS_PRECHECK_SERVING_CAPACITY';
  return new AppError(409, 'Conflict', key, { ...first }, { refusals });
}

async function precheck(
  kube: MlAppsKube,
  namespace: string,
  resources: Pick<InferenceServiceCreate, 'cpu' | 'memory' | 'transformer' | 'explainer'> & {
    gpu?: NotebookGpu | undefined;
  },
  replicas: number,
): Promise<void> {
  const pods = podsToFit(replicas);
  const [quotas, nodes, placed] = await Promise.all([
    kube.resourceQuotas(namespace),
    kube.nodes(),
    resources.gpu ? kube.placedRequests() : {},
  ]);
  const refusals = quotaRefusals(quotas, askOf(resources, pods));
  if (resources.gpu) {
    const capacity = capacityRefusal(nodes, placed, resources.gpu, pods);
    if (capacity) refusals.push(capacity);
  }
  if (refusals.length > 0) throw servingPrecheckRefused(refusals);
}

async function versionOrRefuse(
  registry: ModelRegistryStore,
  namespace: string,
  model: string,
  version: number,
): Promise<VersionRow> {
  const found = await registry.getVersion(namespace, model, version);
  if (!found) {
    // As a TrainJob's missing runtime (ADR 0032): what the body names does not exist, a 404 naming the field.
    const params = { model, version };
    throw new AppError(404, 'NotFound', 'ML_APPS_SERVING_UNKNOWN_VERSION', params, {
      field: 'body.version',
      ...params,
    });
  }
  if (found.stage === 'archived') {
    throw invalid('body.version', 'ML_APPS_SERVING_ARCHIVED_VERSION', { model, version });
  }
  return found;
}

export async function deployInferenceService(
  deps: DeployDeps,
  namespace: string,
  input: InferenceServiceCreate,
  creator: string,
): Promise<KubeInferenceService> {
  if (input.maxReplicas < input.minReplicas) {
    throw invalid('body.maxReplicas', 'ML_APPS_SERVING_REPLICAS', {
      min: input.minReplicas,
      max: input.maxReplicas,
    });
  }
  const [exists, existing, nodes, runtimes, version] = await Promise.all([
    deps.kube.namespaceExists(namespace),
    deps.serving.getInferenceService(namespace, input.name),
    deps.kube.nodes(),
    runtimeOptions(deps.serving, namespace),
    versionOrRefuse(deps.registry, namespace, input.model, input.version),
  ]);
  checkNew(namespace, exists, input.name, existing !== undefined, 'ML_APPS_SERVING_EXISTS');
  checkGpu(input.gpu, acceleratorResources(nodes));
  checkRuntime(input, version.spec.format, runtimes);
  await precheck(deps.kube, namespace, input, input.minReplicas);
  return deps.serving.createInferenceService(
    namespace,
    inferenceServiceManifest(namespace, input, version.spec, creator),
  );
}

/** The predictor model's fields for a merge patch: a format version the new one lacks is removed, not kept. */
function modelPatch(version: VersionRow): Record<string, unknown> {
  const model = modelOf(version.spec);
  return { ...model, modelFormat: { version: null, ...model.modelFormat } };
}

const notFound = (name: string) =>
  new AppError(404, 'NotFound', 'ML_APPS_SERVING_NOT_FOUND', { name }, { name });

/**
 * A canary: the spec serves the new version with `canaryTrafficPercent`, so KServe keeps the last rolled-out
 * revision for the rest; promote drops the percent (all traffic to the new revision); rollback puts the
 * previous version back in the spec without a percent (all traffic to it again).
 */
export async function updateInferenceService(
  deps: DeployDeps,
  namespace: string,
  name: string,
  input: InferenceServiceUpdate,
): Promise<KubeInferenceService> {
  const isvc = await deps.serving.getInferenceService(namespace, name);
  if (!isvc) throw notFound(name);
  const model = isvc.metadata?.labels?.[MODEL_LABEL];
  const current = Number(isvc.metadata?.labels?.[VERSION_LABEL]);
  const previous = Number(isvc.metadata?.annotations?.[PREVIOUS_VERSION_ANNOTATION]);
  const inCanary = Number.isInteger(previous) && previous > 0;
  if (!model || !Number.isInteger(current)) {
    throw new AppError(409, 'Conflict', 'ML_APPS_SERVING_NOT_OURS', { name }, { name });
  }
  let patch: Record<string, unknown>;
  if (input.action === 'canary') {
    if (inCanary) {
      throw new AppError(
        409,
        'Conflict',
        'ML_APPS_SERVING_CANARY_RUNNING',
        { name, version: current },
        { name },
      );
    }
    if (input.version === current) {
      throw invalid('body.version', 'ML_APPS_SERVING_SAME_VERSION', { name, version: current });
    }
    const next = await versionOrRefuse(deps.registry, namespace, model, input.version);
    const predictor = isvc.spec?.predictor;
    const limits = predictor?.model?.resources?.limits ?? {};
    const gpuResource = Object.keys(limits).find((r) => !['cpu', 'memory', 'ephemeral-storage'].includes(r));
    if (predictor?.model?.runtime) {
      const runtimes = await runtimeOptions(deps.serving, namespace);
      const rt = runtimes.find((r) => r.name === predictor.model?.runtime);
      if (rt) checkRuntime({ runtime: { kind: rt.kind, name: rt.name } }, next.spec.format, runtimes);
    }
    // The canary revision's replicas run beside the current ones: the same pre-check as a deploy.
    await precheck(
      deps.kube,
      namespace,
      {
        cpu: parseQuantity(limits.cpu) ?? 0,
        memory: limits.memory ?? '0',
        ...(gpuResource ? { gpu: { resource: gpuResource, count: Number(limits[gpuResource]) } } : {}),
      },
      predictor?.minReplicas ?? 1,
    );
    patch = {
      metadata: {
        labels: { [VERSION_LABEL]: String(input.version) },
        annotations: { [PREVIOUS_VERSION_ANNOTATION]: String(current) },
      },
      spec: { predictor: { canaryTrafficPercent: input.percent, model: modelPatch(next) } },
    };
  } else {
    if (!inCanary) throw new AppError(409, 'Conflict', 'ML_APPS_SERVING_NO_CANARY', { name }, { name });
    if (input.action === 'promote') {
      patch = {
        metadata: { annotations: { [PREVIOUS_VERSION_ANNOTATION]: null } },
        spec: { predictor: { canaryTrafficPercent: null } },
      };
    } else {
      const back = await deps.registry.getVersion(namespace, model, previous);
      if (!back)
        throw invalid('body.action', 'ML_APPS_SERVING_UNKNOWN_VERSION', { model, version: previous });
      patch = {
        metadata: {
          labels: { [VERSION_LABEL]: String(previous) },
          annotations: { [PREVIOUS_VERSION_ANNOTATION]: null },
        },
        spec: { predictor: { canaryTrafficPercent: null, model: modelPatch(back) } },
      };
    }
  }
  const patched = await deps.serving.patchInferenceService(namespace, name, patch);
  if (!patched) throw notFound(name);
  return patched;
}

export { notFound as servingNotFound };

/**
 * Serves a registered version as an LLMInferenceService: the same checks as a deploy (the project, a free name,
 * the version, a GPU some node offers) and the quota and capacity pre-check for all `replicas` pods.
 */
export async function deployLLMInferenceService(
  deps: DeployDeps,
  namespace: string,
  input: LLMInferenceServiceCreate,
  creator: string,
): Promise<{ name: string }> {
  const [exists, taken, nodes, version] = await Promise.all([
    deps.kube.namespaceExists(namespace),
    deps.serving.llmInferenceServiceExists(namespace, input.name),
    deps.kube.nodes(),
    versionOrRefuse(deps.registry, namespace, input.model, input.version),
  ]);
  checkNew(namespace, exists, input.name, taken, 'ML_APPS_SERVING_LLM_EXISTS');
  checkGpu(input.gpu, acceleratorResources(nodes));
  await precheck(deps.kube, namespace, input, input.replicas);
  await deps.serving.createLLMInferenceService(
    namespace,
    llmInferenceServiceManifest(namespace, input, version.spec, creator),
  );
  return { name: input.name };
}
