// The test CRDs a gpu-quota integration test needs, installed when missing. The sandbox installs every test CRD
// at start; the sandbox is shared, so tests only ever add CRDs, never uninstall them.
import { ApiextensionsV1Api, type KubeConfig } from '@kubernetes/client-node';
import { installCrds, readCrdManifests, type CrdGroup } from '../../sandbox/src/crds.js';

/** Installs the groups whose CRDs are not all there; resolves with every installed CRD name. */
export async function ensureCrds(kc: KubeConfig, groups: CrdGroup[]): Promise<string[]> {
  const api = kc.makeApiClient(ApiextensionsV1Api);
  const installed = new Set((await api.listCustomResourceDefinition()).items.map((c) => c.metadata!.name!));
  const missing = groups.filter((g) => readCrdManifests(g).some((m) => !installed.has(m.metadata.name)));
  if (missing.length > 0) await installCrds(kc, missing);
  return (await api.listCustomResourceDefinition()).items.map((c) => c.metadata!.name!);
}
