// Where a workspace's GPU quota is stored (docs/adr/0006): in KubeSphere's workspace quota object when its CRD
// is installed (so KubeSphere's own pages see it), otherwise in a ConfigMap in the backend's own namespace.
import type { KubernetesObject, V1ConfigMap } from '@kubernetes/client-node';
import type { GpuQuotaKube, ObjectRef } from './kube-io.js';
import type { QuotaRow } from './model.js';
import type { FieldProblem } from './problems.js';
import { removeIfOurs } from './project-queues.js';
import {
  decodeQuotaAnnotation,
  encodeQuotaAnnotation,
  GPU_QUOTA_ANNOTATION,
  ownLabels,
} from './resourcequota.js';
import { describeResource, type ResourceTable } from './resources.js';
import { KUBESPHERE_QUOTA_API_VERSION, kubesphereWorkspaceQuota } from './workspace.js';

export const KUBESPHERE_QUOTA_CRD = 'resourcequotas.quota.kubesphere.io';
/** Where the workspace quota lives when KubeSphere's workspace quota CRD is not installed. */
export const workspaceConfigMapName = (workspace: string): string => `ks-gpu-ml-workspace-quota-${workspace}`;
export const WORKSPACE_CONFIGMAP_KEY = 'quota.json';
const WORKSPACE_NAME_LABEL = 'gpu-quota.ks-gpu-ml.io/workspace';

export interface StoredWorkspace {
  storage: 'kubesphere' | 'configmap';
  rows: QuotaRow[];
}

export interface WorkspaceStore {
  read(workspace: string): Promise<StoredWorkspace>;
  /** Writes the rows where `storage` says; returns warnings (an object of others left in place). */
  write(workspace: string, storage: StoredWorkspace['storage'], rows: QuotaRow[]): Promise<FieldProblem[]>;
}

type KubeSphereQuota = KubernetesObject & { spec?: { quota?: { hard?: Record<string, string> } } };

export function workspaceStore(kube: GpuQuotaKube, table: ResourceTable): WorkspaceStore {
  const kubesphereRef = (workspace: string): ObjectRef => ({
    apiVersion: KUBESPHERE_QUOTA_API_VERSION,
    kind: 'ResourceQuota',
    name: workspace,
  });
  const configMapRef = (workspace: string): ObjectRef => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    name: workspaceConfigMapName(workspace),
    namespace: kube.ownNamespace,
  });

  async function writeKubeSphere(workspace: string, rows: QuotaRow[]): Promise<FieldProblem[]> {
    const ref = kubesphereRef(workspace);
    if (rows.length === 0) {
      const current = await kube.read<KubeSphereQuota>(ref);
      if (!current) return [];
      // Deleted only when the object is ours alone: KubeSphere's own page may have put CPU/memory into it.
      const hard = Object.keys(current.spec?.quota?.hard ?? {});
      if (hard.every((k) => describeResource(k.replace(/^(requests|limits)\./, ''), table)))
        return removeIfOurs(kube, ref);
    }
    const object = kubesphereWorkspaceQuota(workspace, rows, table);
    await kube.apply({
      ...object,
      metadata: { ...object.metadata, labels: ownLabels() },
    } as KubernetesObject);
    return [];
  }

  async function writeConfigMap(workspace: string, rows: QuotaRow[]): Promise<FieldProblem[]> {
    const ref = configMapRef(workspace);
    if (rows.length === 0) return removeIfOurs(kube, ref);
    const cm: V1ConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: ref.name,
        namespace: ref.namespace!,
        labels: { ...ownLabels(), [WORKSPACE_NAME_LABEL]: workspace },
      },
      data: { [WORKSPACE_CONFIGMAP_KEY]: encodeQuotaAnnotation(rows) },
    };
    await kube.apply(cm as KubernetesObject);
    return [];
  }

  return {
    async read(workspace) {
      if ((await kube.crdNames()).has(KUBESPHERE_QUOTA_CRD)) {
        const obj = await kube.read<KubernetesObject>(kubesphereRef(workspace));
        const rows = decodeQuotaAnnotation(obj?.metadata?.annotations?.[GPU_QUOTA_ANNOTATION]);
        return { storage: 'kubesphere', rows: rows ?? [] };
      }
      const cm = await kube.read<V1ConfigMap>(configMapRef(workspace));
      return { storage: 'configmap', rows: decodeQuotaAnnotation(cm?.data?.[WORKSPACE_CONFIGMAP_KEY]) ?? [] };
    },
    write: (workspace, storage, rows) =>
      storage === 'kubesphere' ? writeKubeSphere(workspace, rows) : writeConfigMap(workspace, rows),
  };
}
