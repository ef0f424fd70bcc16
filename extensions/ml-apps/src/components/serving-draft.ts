// The deploy form's draft and the InferenceService body it becomes, checked before any request (the server
// checks again). Pure.
import type {
  InferenceServiceCreate,
  LLMInferenceServiceCreate,
  ServingComponent,
} from '@ks-gpu-ml/contracts';
import type { DraftProblem } from './notebook-draft.js';

export interface ServingDraft {
  name: string;
  model: string;
  version: string;
  /** `<kind>/<name>`, or '' for KServe's automatic choice. */
  runtime: string;
  protocolVersion: '' | 'v1' | 'v2';
  cpu: string;
  memory: string;
  gpuResource: string;
  gpuCount: string;
  gpuModel: string;
  minReplicas: string;
  maxReplicas: string;
  /** Optional components: an image makes one (KServe's custom transformer / explainer). */
  transformerImage: string;
  transformerCpu: string;
  transformerMemory: string;
  explainerImage: string;
  explainerCpu: string;
  explainerMemory: string;
}

export const emptyServingDraft = (model = '', version = ''): ServingDraft => ({
  name: model,
  model,
  version,
  runtime: '',
  protocolVersion: '',
  cpu: '1',
  memory: '2Gi',
  gpuResource: '',
  gpuCount: '1',
  gpuModel: '',
  minReplicas: '1',
  maxReplicas: '1',
  transformerImage: '',
  transformerCpu: '0.5',
  transformerMemory: '512Mi',
  explainerImage: '',
  explainerCpu: '0.5',
  explainerMemory: '512Mi',
});

type ComponentFields = { image: keyof ServingDraft; cpu: keyof ServingDraft; memory: keyof ServingDraft };

/** A transformer's or explainer's body from its fields: none without an image, else checked. */
function component(
  d: ServingDraft,
  f: ComponentFields,
): { value?: ServingComponent } | { problem: DraftProblem<keyof ServingDraft> } {
  const image = d[f.image].trim();
  if (!image) return {};
  if (/\s/.test(image) || image.length > 512) return { problem: { field: f.image, key: 'image' } };
  const cpu = Number(d[f.cpu]);
  if (d[f.cpu].trim() === '' || !Number.isFinite(cpu) || cpu < 0.1 || cpu > 64)
    return { problem: { field: f.cpu, key: 'cpu' } };
  if (!MEMORY.test(d[f.memory].trim())) return { problem: { field: f.memory, key: 'memory' } };
  return { value: { image, cpu, memory: d[f.memory].trim() } };
}

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const MEMORY = /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|K|M|G|T)?$/;
const whole = (text: string, min: number, max: number) => {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};

type ServedFields = Pick<ServingDraft, 'name' | 'model' | 'version' | 'cpu' | 'memory'>;

/** What both serving forms ask alike, checked alike: the service's name, the model's version, CPU and memory. */
function servedModel(
  d: ServedFields,
):
  | { value: { version: number; cpu: number; memory: string } }
  | { problem: DraftProblem<keyof ServedFields> } {
  const fail = (field: keyof ServedFields, key: string) => ({ problem: { field, key } });
  if (!NAME.test(d.name) || d.name.length > 40) return fail('name', 'serviceName');
  if (!NAME.test(d.model)) return fail('model', 'model');
  const version = whole(d.version, 1, 1_000_000);
  if (version === undefined) return fail('version', 'version');
  const cpu = Number(d.cpu);
  if (!Number.isFinite(cpu) || cpu < 0.1 || cpu > 256) return fail('cpu', 'cpu');
  if (!MEMORY.test(d.memory.trim())) return fail('memory', 'memory');
  return { value: { version, cpu, memory: d.memory.trim() } };
}

export function toServingBody(
  d: ServingDraft,
): { body: InferenceServiceCreate } | { problem: DraftProblem<keyof ServingDraft> } {
  const fail = (field: keyof ServingDraft, key: string) => ({ problem: { field, key } });
  const served = servedModel(d);
  if ('problem' in served) return served;
  const { version, cpu, memory } = served.value;
  const count = whole(d.gpuCount, 1, 64);
  if (d.gpuResource && count === undefined) return fail('gpuCount', 'gpuCount');
  const min = whole(d.minReplicas, 0, 100);
  const max = whole(d.maxReplicas, 1, 100);
  if (min === undefined) return fail('minReplicas', 'replicas');
  if (max === undefined || max < min) return fail('maxReplicas', 'replicas');
  const transformer = component(d, {
    image: 'transformerImage',
    cpu: 'transformerCpu',
    memory: 'transformerMemory',
  });
  if ('problem' in transformer) return transformer;
  const explainer = component(d, { image: 'explainerImage', cpu: 'explainerCpu', memory: 'explainerMemory' });
  if ('problem' in explainer) return explainer;
  const [kind, runtimeName] = d.runtime.split('/');
  return {
    body: {
      name: d.name,
      model: d.model,
      version,
      ...(runtimeName && (kind === 'ServingRuntime' || kind === 'ClusterServingRuntime')
        ? { runtime: { kind, name: runtimeName } }
        : {}),
      ...(d.protocolVersion ? { protocolVersion: d.protocolVersion } : {}),
      cpu,
      memory,
      ...(d.gpuResource && count
        ? { gpu: { resource: d.gpuResource, count, ...(d.gpuModel ? { model: d.gpuModel } : {}) } }
        : {}),
      minReplicas: min,
      maxReplicas: max,
      ...(transformer.value ? { transformer: transformer.value } : {}),
      ...(explainer.value ? { explainer: explainer.value } : {}),
    },
  };
}

/** The LLM form's draft: the deploy form's fields it uses (replicas in `minReplicas`), and the router. */
export type LlmDraft = Pick<
  ServingDraft,
  'name' | 'model' | 'version' | 'cpu' | 'memory' | 'gpuResource' | 'gpuCount' | 'gpuModel' | 'minReplicas'
> & { router: boolean };

export const emptyLlmDraft = (model = '', version = ''): LlmDraft => ({
  name: model,
  model,
  version,
  cpu: '4',
  memory: '16Gi',
  gpuResource: '',
  gpuCount: '1',
  gpuModel: '',
  minReplicas: '1',
  router: false,
});

/** The LLMInferenceService body, checked as the deploy form's; a GPU is required. */
export function toLlmBody(
  d: LlmDraft,
): { body: LLMInferenceServiceCreate } | { problem: DraftProblem<keyof LlmDraft> } {
  const fail = (field: keyof LlmDraft, key: string) => ({ problem: { field, key } });
  const served = servedModel(d);
  if ('problem' in served) return served;
  const { version, cpu, memory } = served.value;
  if (!d.gpuResource) return fail('gpuResource', 'llmGpu');
  const count = whole(d.gpuCount, 1, 64);
  if (count === undefined) return fail('gpuCount', 'gpuCount');
  const replicas = whole(d.minReplicas, 1, 16);
  if (replicas === undefined) return fail('minReplicas', 'llmReplicas');
  return {
    body: {
      name: d.name,
      model: d.model,
      version,
      replicas,
      cpu,
      memory,
      gpu: { resource: d.gpuResource, count, ...(d.gpuModel ? { model: d.gpuModel } : {}) },
      ...(d.router ? { router: true } : {}),
    },
  };
}
