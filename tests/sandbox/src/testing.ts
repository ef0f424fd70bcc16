// Helpers for tests that run against the sandbox: clients for its users, throwaway namespaces,
// GPU pods. Tests import these instead of reading `.sandbox/` themselves.
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Pod,
} from '@kubernetes/client-node';
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { readSandboxEnv, sandboxUser } from './env.js';
import { WORKSPACE_LABEL } from './tenants.js';

export { waitFor } from './wait.js';

/** The sandbox admin's kubeconfig (group system:masters). */
export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(readSandboxEnv().KUBECONFIG);
  return kc;
}

/** The sandbox admin's API clients, the ones tests use to set up and check what the backend did. */
export function adminClients(): {
  core: CoreV1Api;
  custom: CustomObjectsApi;
  apps: AppsV1Api;
  objects: KubernetesObjectApi;
} {
  const kc = adminKubeConfig();
  return {
    core: kc.makeApiClient(CoreV1Api),
    custom: kc.makeApiClient(CustomObjectsApi),
    apps: kc.makeApiClient(AppsV1Api),
    objects: KubernetesObjectApi.makeApiClient(kc),
  };
}

/** A client that acts as a sandbox user with that user's own token, so RBAC applies to them. */
export function userKubeConfig(name: string): KubeConfig {
  const admin = adminKubeConfig();
  const cluster = admin.getCurrentCluster()!;
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [cluster],
    users: [{ name, token: sandboxUser(name).token }],
    contexts: [{ name, cluster: cluster.name, user: name }],
    currentContext: name,
  });
  return kc;
}

export const uniqueName = (prefix: string): string => `${prefix}-${randomBytes(3).toString('hex')}`;

/** A namespace for one test, optionally inside a workspace; returns a function that deletes it. */
export async function createTestNamespace(
  prefix: string,
  workspace?: string,
): Promise<{ name: string; remove: () => Promise<void> }> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const name = uniqueName(prefix);
  await core.createNamespace({
    body: { metadata: { name, labels: workspace ? { [WORKSPACE_LABEL]: workspace } : {} } },
  });
  await waitForServiceAccount(core, name);
  return { name, remove: async () => void (await core.deleteNamespace({ name }).catch(() => undefined)) };
}

/**
 * A Kubeflow Trainer v2 ClusterTrainingRuntime named `name` with one replicated job `node`, for TrainJobs to run
 * on (no Trainer controller runs in the sandbox); returns a function that deletes it.
 */
export async function createClusterTrainingRuntime(name: string): Promise<() => Promise<void>> {
  const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
  const runtimes = { group: 'trainer.kubeflow.org', version: 'v1alpha1', plural: 'clustertrainingruntimes' };
  await custom.createClusterCustomObject({
    ...runtimes,
    body: {
      apiVersion: 'trainer.kubeflow.org/v1alpha1',
      kind: 'ClusterTrainingRuntime',
      metadata: { name },
      spec: { template: { spec: { replicatedJobs: [{ name: 'node' }] } } },
    },
  });
  return async () =>
    void (await custom.deleteClusterCustomObject({ ...runtimes, name }).catch(() => undefined));
}

/**
 * Writes a custom object's status as its controller would: a JSON merge patch of the status subresource, as the
 * admin (tests play the controllers the sandbox does not run).
 */
export async function writeStatus(
  object: { group: string; version: string; plural: string; namespace: string; name: string },
  status: Record<string, unknown>,
): Promise<void> {
  await adminKubeConfig()
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObjectStatus(
      { ...object, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
}

async function waitForServiceAccount(core: CoreV1Api, namespace: string): Promise<void> {
  const { waitFor } = await import('./wait.js');
  await waitFor(`default ServiceAccount in ${namespace}`, async () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace }).then(() => true),
  );
}

/** A pod asking for `count` of a GPU resource (extended resources: requests == limits). */
export function gpuPod(
  name: string,
  namespace: string,
  count: number,
  options: { resource?: string; annotations?: Record<string, string> } = {},
): V1Pod {
  const resource = options.resource ?? 'nvidia.com/gpu';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, annotations: options.annotations ?? {} },
    spec: {
      containers: [
        {
          name: 'main',
          image: 'sandbox.local/trainer:1',
          resources: { requests: { [resource]: String(count) }, limits: { [resource]: String(count) } },
        },
      ],
    },
  };
}

/**
 * A raw socket to `host:port` that has sent the WebSocket handshake a browser sends for `path` (with `token` as a
 * bearer when given). Raw, so a test sees the answer's status line and what passes the tunnel byte for byte.
 */
export function webSocketHandshake(host: string, port: number, path: string, token?: string): Socket {
  const socket = connect(port, host);
  const lines = [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}:${port}`,
    'Connection: Upgrade',
    'Upgrade: websocket',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ...(token ? [`Authorization: Bearer ${token}`] : []),
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  return socket;
}
