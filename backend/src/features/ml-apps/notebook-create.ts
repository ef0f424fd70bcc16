// Creating a notebook: the request checked against what exists (GPU resource and model, claims, names), the
// quota and capacity pre-check, then the workspace claim and the Notebook, undoing the claim when the Notebook is
// refused. A pre-check refusal is a 409 whose details carry every number (asked, used, max, free); nothing is
// created. The guard has already asked the authorizer on the caller's behalf (SubjectAccessReview).
import type { NotebookCreate } from '@ks-gpu-ml/contracts';
import type { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import type { KubeNotebook, MlAppsKube } from '../../clients/ml-apps-kube.js';
import { checkEnv, checkGpu, checkNew, duplicate, invalid, runPrecheck } from './create-checks.js';
import { askOf, HOME, notebookManifest, workspaceClaim } from './notebook-manifest.js';
import { acceleratorResources } from './notebook-options.js';

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
  checkNew(namespace, exists, input.name, existing !== undefined, 'ML_APPS_NOTEBOOK_EXISTS');
  checkAgainstCluster(input, acceleratorResources(nodes), claims);
  runPrecheck({ quotas, ask: askOf(input), nodes, placed, gpu: input.gpu, pods: 1 });

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
