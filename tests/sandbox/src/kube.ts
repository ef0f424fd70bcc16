// A thin layer over @kubernetes/client-node for the sandbox's set-up work.
import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';

export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function isConflict(error: unknown): boolean {
  const code =
    (error as { code?: number; statusCode?: number }).code ?? (error as { statusCode?: number }).statusCode;
  return code === 409;
}

/** Server-side apply under the sandbox's own field manager: idempotent, so `up` can be re-run. */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[]): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    try {
      await api.create(object);
    } catch (error) {
      if (!isConflict(error)) throw error;
      await api.patch(object, undefined, undefined, 'ks-gpu-ml-sandbox', true, PatchStrategy.ServerSideApply);
    }
  }
}
