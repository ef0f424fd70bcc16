// A stand-in for a volume provisioner, test-side: no provisioner works here (local-path-provisioner's helper pod
// never completes under KWOK, see the reference facts), so a test that needs a new claim bound calls this, which
// does what a provisioner does - make a PersistentVolume of the claim's size, class and access modes, pre-bound to
// the claim by claimRef - and the real kube-controller-manager's PV controller binds the two. Its hostPath is never
// mounted: KWOK runs no containers. Retained when the claim goes (no hostPath deleter runs here): the returned
// function deletes it.
import { CoreV1Api, type KubeConfig } from '@kubernetes/client-node';
import { waitFor } from './wait.js';

/** Labels the volumes the stand-in made, so a person can tell them from real ones. */
export const BINDER_LABEL = 'sandbox.ks-gpu-ml.io/pvc-binder-stand-in';

export async function bindClaim(
  kc: KubeConfig,
  namespace: string,
  claimName: string,
  options: { timeoutMs?: number } = {},
): Promise<() => Promise<void>> {
  const core = kc.makeApiClient(CoreV1Api);
  const claim = await core.readNamespacedPersistentVolumeClaim({ name: claimName, namespace });
  const name = `sandbox-${claim.metadata!.uid}`;
  await core.createPersistentVolume({
    body: {
      metadata: { name, labels: { [BINDER_LABEL]: 'true' } },
      spec: {
        capacity: { storage: claim.spec?.resources?.requests?.storage ?? '1Gi' },
        accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
        storageClassName: claim.spec?.storageClassName ?? '',
        persistentVolumeReclaimPolicy: 'Retain',
        claimRef: { namespace, name: claimName, uid: claim.metadata!.uid },
        hostPath: { path: `/tmp/sandbox-volumes/${name}` },
      },
    },
  });
  await waitFor(
    `claim ${namespace}/${claimName} Bound (kube-controller-manager's PV controller)`,
    async () =>
      (await core.readNamespacedPersistentVolumeClaim({ name: claimName, namespace })).status?.phase ===
      'Bound',
    { timeoutMs: options.timeoutMs ?? 60_000, intervalMs: 250 },
  );
  return async () => void (await core.deletePersistentVolume({ name }).catch(() => undefined));
}
