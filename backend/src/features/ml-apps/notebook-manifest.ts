// The Kubeflow Notebook (and its new workspace claim) a create request describes, and what a stored notebook
// asks for. Requests equal limits: the pre-check then counts one amount for every quota key, and GPUs must be
// equal anyway (extended resources). Pure.
import {
  formatMilliQuantity,
  notebookOpenPath,
  parseQuantity,
  type NotebookCreate,
  type NotebookGpu,
} from '@ks-gpu-ml/contracts';
import type { V1PersistentVolumeClaim, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { KubeNotebook } from '../../clients/ml-apps-kube.js';
import { GPU_MODEL_LABEL, type Ask } from './precheck.js';

/** Kubeflow's images pass NB_PREFIX to Jupyter as its base URL (the controller keeps a value already set). */
export const NB_PREFIX = 'NB_PREFIX';

/** Where Kubeflow's notebook images keep the user's home (JWA's default workspace mount). */
export const HOME = '/home/jovyan';
/** KubeSphere's annotation for who made an object; the console shows it. */
export const CREATOR_ANNOTATION = 'kubesphere.io/creator';
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'ks-gpu-ml-ml-apps' };

/** One pod's requests (= limits): CPU, memory and the GPUs of one resource. */
export function podAmounts(input: {
  cpu: number;
  memory: string;
  gpu?: NotebookGpu;
}): Record<string, string> {
  return {
    cpu: formatMilliQuantity(input.cpu),
    memory: input.memory,
    ...(input.gpu ? { [input.gpu.resource]: String(input.gpu.count) } : {}),
  };
}

/** What we make carries our managed-by label and who asked for it. */
export const ownedMetadata = (name: string, namespace: string, creator: string) => ({
  name,
  namespace,
  labels: { ...MANAGED_BY },
  annotations: { [CREATOR_ANNOTATION]: creator },
});

export const workspaceClaimName = (notebook: string) => `${notebook}-workspace`;

/** What the notebook's pod asks for, per resource (cores, bytes, devices). */
export function askOf(input: NotebookCreate): Ask {
  return {
    cpu: input.cpu,
    memory: parseQuantity(input.memory) ?? 0,
    ...(input.gpu ? { [input.gpu.resource]: input.gpu.count } : {}),
  };
}

function volumesOf(input: NotebookCreate): { volumes: V1Volume[]; mounts: V1VolumeMount[] } {
  const volumes: V1Volume[] = [];
  const mounts: V1VolumeMount[] = [];
  const ws = input.workspaceVolume;
  if (ws.kind !== 'none') {
    const claimName = ws.kind === 'new' ? workspaceClaimName(input.name) : ws.claimName;
    volumes.push({ name: 'workspace', persistentVolumeClaim: { claimName } });
    mounts.push({ name: 'workspace', mountPath: HOME });
  }
  (input.dataVolumes ?? []).forEach((data, i) => {
    volumes.push({
      name: `data-${i}`,
      persistentVolumeClaim: { claimName: data.claimName, readOnly: data.readOnly },
    });
    mounts.push({ name: `data-${i}`, mountPath: data.mountPath, readOnly: data.readOnly });
  });
  return { volumes, mounts };
}

export function notebookManifest(namespace: string, input: NotebookCreate, creator: string): KubeNotebook {
  const amounts = podAmounts(input);
  const { volumes, mounts } = volumesOf(input);
  return {
    apiVersion: 'kubeflow.org/v1',
    kind: 'Notebook',
    metadata: ownedMetadata(input.name, namespace, creator),
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: input.name,
              image: input.image,
              resources: { requests: amounts, limits: amounts },
              // Jupyter serves under the path our ReverseProxy passes on (ADR 0046), so its links stay there.
              env: [
                { name: NB_PREFIX, value: notebookOpenPath(namespace, input.name) },
                ...(input.env ?? []).filter((e) => e.name !== NB_PREFIX),
              ],
              volumeMounts: mounts,
            },
          ],
          volumes,
          ...(input.gpu?.model ? { nodeSelector: { [GPU_MODEL_LABEL]: input.gpu.model } } : {}),
        },
      },
    },
  };
}

export function workspaceClaim(
  namespace: string,
  input: NotebookCreate,
): V1PersistentVolumeClaim | undefined {
  const ws = input.workspaceVolume;
  if (ws.kind !== 'new') return undefined;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: workspaceClaimName(input.name), namespace, labels: { ...MANAGED_BY } },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: ws.size } },
      ...(ws.storageClass ? { storageClassName: ws.storageClass } : {}),
    },
  };
}
