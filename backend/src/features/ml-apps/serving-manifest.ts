// The InferenceService a deploy writes: the registered version's format and storage URI in KServe's predictor
// `model` (runtime and protocol when chosen), requests = limits per replica (GPUs included), replicas and scaling;
// our labels name the model and version it serves, so the list and a canary can say which version each
// revision is. What the pre-check asks: a replica's amounts times the replicas that must run.
import {
  parseQuantity,
  type InferenceServiceCreate,
  type LLMInferenceServiceCreate,
  type ServingComponent,
} from '@ks-gpu-ml/contracts';
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeInferenceService } from '../../clients/serving-kube.js';
import type { VersionSpec } from '../../clients/store/model-registry.js';
import { CREATOR_ANNOTATION } from './notebook-manifest.js';
import type { Ask } from './precheck.js';

export const MODEL_LABEL = 'ml-apps.ks-gpu-ml.io/model';
export const VERSION_LABEL = 'ml-apps.ks-gpu-ml.io/model-version';
/** During a canary: the version the previous revision serves (the one promote replaces, rollback restores). */
export const PREVIOUS_VERSION_ANNOTATION = 'ml-apps.ks-gpu-ml.io/previous-version';
/** KServe's label on an InferenceService's pods, and its component label (predictor, transformer, explainer). */
export const ISVC_POD_LABEL = 'serving.kserve.io/inferenceservice';
export const COMPONENT_LABEL = 'component';
export const STOP_ANNOTATION = 'serving.kserve.io/stop';

type Resources = Pick<InferenceServiceCreate, 'cpu' | 'memory' | 'gpu'>;

/** How many replicas must fit now: at least one, even for a service that may scale to zero. */
export const podsToFit = (minReplicas: number): number => Math.max(1, minReplicas);

type Components = Partial<Pick<InferenceServiceCreate, 'transformer' | 'explainer'>>;

/**
 * The quota ask of `pods` replicas of these resources (precheck.ts counts `pods` for the `pods` quota key), and of
 * as many replicas of a transformer and an explainer when the service has them (each its own pod).
 */
export function askOf(input: Resources & Components, pods: number): Ask {
  const parts = [input, input.transformer, input.explainer].filter((p) => p !== undefined);
  return {
    cpu: parts.reduce((sum, p) => sum + p.cpu, 0) * pods,
    memory: parts.reduce((sum, p) => sum + (parseQuantity(p.memory) ?? 0), 0) * pods,
    ...(input.gpu ? { [input.gpu.resource]: input.gpu.count * pods } : {}),
    pods: parts.length * pods,
  };
}

/** A transformer's or explainer's spec: KServe's custom component, one container, the predictor's replica bounds. */
function componentOf(c: ServingComponent, input: InferenceServiceCreate): Record<string, unknown> {
  return {
    containers: [
      {
        name: 'kserve-container',
        image: c.image,
        ...(c.args?.length ? { args: c.args } : {}),
        resources: resourcesOf(c),
      },
    ],
    minReplicas: input.minReplicas,
    maxReplicas: input.maxReplicas,
  };
}

export function resourcesOf(input: Resources): {
  requests: Record<string, string>;
  limits: Record<string, string>;
} {
  const amounts: Record<string, string> = {
    cpu: String(input.cpu),
    memory: input.memory,
    ...(input.gpu ? { [input.gpu.resource]: String(input.gpu.count) } : {}),
  };
  return { requests: { ...amounts }, limits: { ...amounts } };
}

/** The predictor's `model` for a registered version (format, its version, storage URI). */
export function modelOf(spec: VersionSpec): {
  modelFormat: { name: string; version?: string };
  storageUri: string;
} {
  return {
    modelFormat: { name: spec.format, ...(spec.formatVersion ? { version: spec.formatVersion } : {}) },
    storageUri: spec.storageUri,
  };
}

/**
 * The metadata of what a deploy writes, an InferenceService or an LLMInferenceService alike: our labels name the
 * model and version it serves (the list and a canary read them the same way on both), the creator KubeSphere's.
 */
function servedMetadata(
  namespace: string,
  input: Pick<InferenceServiceCreate, 'name' | 'model' | 'version'>,
  creator: string,
) {
  return {
    name: input.name,
    namespace,
    labels: { [MODEL_LABEL]: input.model, [VERSION_LABEL]: String(input.version) },
    annotations: { [CREATOR_ANNOTATION]: creator },
  };
}

export function inferenceServiceManifest(
  namespace: string,
  input: InferenceServiceCreate,
  version: VersionSpec,
  creator: string,
): KubeInferenceService {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: servedMetadata(namespace, input, creator),
    spec: {
      predictor: {
        model: {
          ...modelOf(version),
          ...(input.runtime ? { runtime: input.runtime.name } : {}),
          ...(input.protocolVersion ? { protocolVersion: input.protocolVersion } : {}),
          resources: resourcesOf(input),
        },
        minReplicas: input.minReplicas,
        maxReplicas: input.maxReplicas,
        ...(input.scaleMetric ? { scaleMetric: input.scaleMetric } : {}),
        ...(input.scaleTarget ? { scaleTarget: input.scaleTarget } : {}),
        ...(input.gpu?.model ? { nodeSelector: { 'nvidia.com/gpu.product': input.gpu.model } } : {}),
      },
      ...(input.transformer ? { transformer: componentOf(input.transformer, input) } : {}),
      ...(input.explainer ? { explainer: componentOf(input.explainer, input) } : {}),
    },
  };
}

/**
 * KServe's LLMInferenceService (`serving.kserve.io/v1alpha1`) for a registered version: the model's URI and name,
 * `replicas` pods of one `main` container with these amounts, KServe's managed router when asked; our labels as
 * an InferenceService's.
 */
export function llmInferenceServiceManifest(
  namespace: string,
  input: LLMInferenceServiceCreate,
  version: VersionSpec,
  creator: string,
): KubernetesObject & { spec: Record<string, unknown> } {
  return {
    apiVersion: 'serving.kserve.io/v1alpha1',
    kind: 'LLMInferenceService',
    metadata: servedMetadata(namespace, input, creator),
    spec: {
      model: { uri: version.storageUri, name: input.model },
      replicas: input.replicas,
      template: {
        containers: [{ name: 'main', resources: resourcesOf(input) }],
        ...(input.gpu.model ? { nodeSelector: { 'nvidia.com/gpu.product': input.gpu.model } } : {}),
      },
      ...(input.router ? { router: { scheduler: {}, route: {}, gateway: {} } } : {}),
    },
  };
}
