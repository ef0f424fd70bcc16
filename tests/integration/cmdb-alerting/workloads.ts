// Workloads the business-mapping tests resolve: a Deployment whose pods the sandbox's KWOK runs, so the owner
// chain pod → ReplicaSet → Deployment is the one the real controllers write.
import { AppsV1Api, CoreV1Api, type V1Deployment } from '@kubernetes/client-node';
import { adminKubeConfig, waitFor } from '../../sandbox/src/testing.js';

const apps = adminKubeConfig().makeApiClient(AppsV1Api);
const core = adminKubeConfig().makeApiClient(CoreV1Api);

/** A one-container Deployment (busybox) that selects its pods by `app: <name>`, with `labels` on itself. */
export function deploymentOf(name: string, labels: Record<string, string>, replicas: number): V1Deployment {
  return {
    metadata: { name, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'main', image: 'busybox' }] },
      },
    },
  };
}

/** Creates a Deployment of one pod in `namespace` and waits for its pod; the pod's name. */
export async function deployOnePod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
): Promise<string> {
  await apps.createNamespacedDeployment({ namespace, body: deploymentOf(name, labels, 1) });
  return waitFor(`a pod of ${namespace}/${name}`, async () => {
    const pods = await core.listNamespacedPod({ namespace, labelSelector: `app=${name}` });
    return pods.items[0]?.metadata?.name;
  });
}
