// Creating a notebook: the request checked against what exists (GPU resource and model, claims, names), the
// quota and capacity pre-check, then the workspace claim and the Notebook, undoing the claim when the Notebook is
// refused. A pre-check refusal is a 409 whose details carry every number (asked, used, max, free); nothing is
// created. The guard has already asked the authorizer on the caller's behalf (SubjectAccessReview).
import type { NotebookCreate, NotebookGpu, PrecheckRefusal } from '@ks-gpu-ml/contracts';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { KubeNotebook, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { AppError } from '../../platform/errors.js';
import { askOf, HOME, notebookManifest, workspaceClaim } from './notebook-manifest.js';
import { acceleratorResources } from './notebook-options.js';
import { capacityRefusal, quotaRefusals } from './precheck.js';

export const invalid = (field: string, key: string, params: Record<string, unknown>) =>
  new AppError(400, 'Invalid', key, params, { field, ...params });

function duplicate<T>(items: readonly T[], key: (item: T) => string): number {
  const seen = new Set<string>();
  return items.findIndex((item) => seen.size === seen.add(key(item)).size);
}

/** Problems a schema cannot see: names used twice, claims or GPUs the cluster does not have. */
export function checkAgainstCluster(
  input: NotebookCreate,
  accelerators: ReadonlyMap<string, ReadonlySet<string>>,
  claims: readonly V1PersistentVolumeClaim[],
): void {
  const claimNames = new Set(claims.map((c) => c.metadata?.name));
  checkGpu(input.gpu, accelerators);
  const ws = input.workspaceVolume;
  if (ws.kind === 'existing' && !claimNames.has(ws.claimName)) {
    throw invalid('body.workspaceVolume.claimName', 'ML_APPS_UNKNOWN_CLAIM', { claim: ws.claimName });
  }
  const data = input.dataVolumes ?? [];
  const missing = data.findIndex((d) => !claimNames.has(d.claimName));
  if (missing >= 0) {
    throw invalid(`body.dataVolumes.${missing}.claimName`, 'ML_APPS_UNKNOWN_CLAIM', {
      claim: data[missing]!.claimName,
    });
  }
  const mounts = [...(ws.kind === 'none' ? [] : [{ mountPath: HOME }]), ...data];
  const twice = duplicate(mounts, (m) => m.mountPath);
  if (twice >= 0) {
    const index = twice - (mounts.length - data.length);
    throw invalid(`body.dataVolumes.${index}.mountPath`, 'ML_APPS_DUPLICATE_MOUNT', {
      path: mounts[twice]!.mountPath,
    });
  }
  checkEnv(input.env);
}

/** A GPU resource and model some node offers, or a 400 naming the field. */
export function checkGpu(
  gpu: NotebookGpu | undefined,
  accelerators: ReadonlyMap<string, ReadonlySet<string>>,
): void {
  if (!gpu) return;
  const models = accelerators.get(gpu.resource);
  if (!models) {
    throw invalid('body.gpu.resource', 'ML_APPS_UNKNOWN_GPU', {
      resource: gpu.resource,
      available: [...accelerators.keys()].join(', '),
    });
  }
  if (gpu.model !== undefined && !models.has(gpu.model)) {
    throw invalid('body.gpu.model', 'ML_APPS_UNKNOWN_GPU_MODEL', {
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
export function precheckRefused(refusals: readonly PrecheckRefusal[]): AppError {
  const first = refusals[0]!;
  const key = first.source === 'quota' ? 'ML_APPS_PRECHECK_QUOTA' : 'ML_APPS_PRECHECK_CAPACITY';
  return new AppError(409, 'Conflict', key, { ...first }, { refusals });
}

export async function createNotebook(
  kube: MlAppsKube,
  namespace: string,
  input: NotebookCreate,
  creator: string,
): Promise<KubeNotebook> {
  // One round of reads, all at once: the pre-check's p99 is bounded by the slowest, not their sum.
  const [exists, existing, nodes, claims, quotas, placed] = await Promise.all([
    kube.namespaceExists(namespace),
    kube.getNotebook(namespace, input.name),
    kube.nodes(),
    kube.claims(namespace),
    kube.resourceQuotas(namespace),
    input.gpu ? kube.placedRequests() : {},
  ]);
  if (!exists) {
    throw new AppError(404, 'NotFound', 'ML_APPS_NAMESPACE_NOT_FOUND', { namespace }, { namespace });
  }
  if (existing) {
    throw new AppError(
      409,
      'Conflict',
      'ML_APPS_NOTEBOOK_EXISTS',
      { name: input.name },
      { name: input.name },
    );
  }
  checkAgainstCluster(input, acceleratorResources(nodes), claims);

  const refusals = quotaRefusals(quotas, askOf(input));
  if (input.gpu) {
    const capacity = capacityRefusal(nodes, placed, input.gpu);
    if (capacity) refusals.push(capacity);
  }
  if (refusals.length > 0) throw precheckRefused(refusals);

  const claim = workspaceClaim(namespace, input);
  if (claim && claims.some((c) => c.metadata?.name === claim.metadata?.name)) {
    throw invalid('body.workspaceVolume', 'ML_APPS_CLAIM_EXISTS', { claim: claim.metadata?.name });
  }
  if (claim) await kube.createClaim(namespace, claim);
  try {
    return await kube.createNotebook(namespace, notebookManifest(namespace, input, creator));
  } catch (err) {
    // The claim was made for this notebook only: leave nothing behind when the notebook is refused.
    if (claim) await kube.deleteClaim(namespace, claim.metadata!.name!).catch(() => undefined);
    throw err;
  }
}
