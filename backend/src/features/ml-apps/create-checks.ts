// The checks every create of ml-apps makes before it writes anything: the project exists and the name is free,
// the body names only what the cluster has, and the quota and capacity pre-check (precheck.ts) passes; a refusal
// is a 4xx naming the field, or the pre-check's 409 with its numbers.
import type { NotebookGpu, PrecheckRefusal } from '@ks-gpu-ml/contracts';
import type { V1Node, V1ResourceQuota } from '@kubernetes/client-node';
import type { PlacedRequests } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../core/errors.js';
import { capacityRefusal, quotaRefusals, type Ask } from './precheck.js';

export const invalid = (field: string, key: string, params: Record<string, unknown>) =>
  new AppError(400, 'Invalid', key, params, { field, ...params });

export function duplicate<T>(items: readonly T[], key: (item: T) => string): number {
  const seen = new Set<string>();
  return items.findIndex((item) => seen.size === seen.add(key(item)).size);
}

/** The project exists and nothing of this kind has the name yet (`existsKey`: the 409's message). */
export function checkNew(
  namespace: string,
  namespaceExists: boolean,
  name: string,
  taken: boolean,
  existsKey: string,
  params: Record<string, unknown> = {},
): void {
  if (!namespaceExists) {
    throw new AppError(404, 'NotFound', 'ML_APPS_NAMESPACE_NOT_FOUND', { namespace }, { namespace });
  }
  if (taken) throw new AppError(409, 'Conflict', existsKey, { name, ...params }, { name, ...params });
}

/** A GPU resource and model some node offers, or a 400 naming the field. */
export function checkGpu(
  gpu: NotebookGpu | undefined,
  accelerators: ReadonlyMap<string, ReadonlySet<string>>,
  field = 'body.gpu',
): void {
  if (!gpu) return;
  const models = accelerators.get(gpu.resource);
  if (!models) {
    throw invalid(`${field}.resource`, 'ML_APPS_UNKNOWN_GPU', {
      resource: gpu.resource,
      available: [...accelerators.keys()].join(', '),
    });
  }
  if (gpu.model !== undefined && !models.has(gpu.model)) {
    throw invalid(`${field}.model`, 'ML_APPS_UNKNOWN_GPU_MODEL', {
      resource: gpu.resource,
      model: gpu.model,
      available: [...models].join(', '),
    });
  }
}

/** Each environment variable once, or a 400 naming the second. */
export function checkEnv(env: readonly { name: string }[] = []): void {
  const twice = duplicate(env, (e) => e.name);
  if (twice >= 0)
    throw invalid(`body.env.${twice}.name`, 'ML_APPS_DUPLICATE_ENV', { name: env[twice]!.name });
}

/** The 409 of a refused pre-check: the first refusal in the message, all of them in details. */
export function precheckRefused(refusals: readonly PrecheckRefusal[], job = false): AppError {
  const first = refusals[0]!;
  const source = first.source === 'quota' ? 'QUOTA' : 'CAPACITY';
  const key = job ? `ML_APPS_PRECHECK_JOB_${source}` : `ML_APPS_PRECHECK_${source}`;
  return new AppError(409, 'Conflict', key, { ...first }, { refusals });
}

/** Quota for what all the pods ask together, capacity for `pods` pods of the GPU: throws the 409 when refused. */
export function runPrecheck(input: {
  quotas: readonly V1ResourceQuota[];
  ask: Ask;
  nodes: readonly V1Node[];
  placed: PlacedRequests;
  gpu: NotebookGpu | undefined;
  pods: number;
  job?: boolean;
}): void {
  const refusals = quotaRefusals(input.quotas, input.ask);
  if (input.gpu) {
    const capacity = capacityRefusal(input.nodes, input.placed, input.gpu, input.pods);
    if (capacity) refusals.push(capacity);
  }
  if (refusals.length > 0) throw precheckRefused(refusals, input.job);
}
