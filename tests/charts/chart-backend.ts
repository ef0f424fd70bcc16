// The backend started as an installed chart's Deployment describes it, but as a local process (KWOK runs no
// containers): the container's environment as rendered, each volume a local folder holding what the cluster holds
// (a Secret's keys as files, a claim's folder kept by the test), the Deployment's ServiceAccount as its kube
// identity (a TokenRequest), and the in-cluster DNS names the chart uses replaced by the sandbox's addresses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api } from '@kubernetes/client-node';
import { readSandboxEnv } from '../sandbox/src/env.js';
import { adminKubeConfig } from '../sandbox/src/testing.js';
import {
  startBackendWith,
  writeKubeconfig,
  type BackendProcess,
} from '../integration/backend/backend-process.js';
import type { Manifest } from './helm.js';

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string } };
}
interface Volume {
  name: string;
  secret?: { secretName: string; items?: { key: string; path: string }[] };
  persistentVolumeClaim?: { claimName: string };
}
interface PodSpec {
  serviceAccountName: string;
  containers: { env: EnvVar[]; volumeMounts: { name: string; mountPath: string }[] }[];
  volumes: Volume[];
}

export interface ChartBackend {
  backend: BackendProcess;
  /** `<service>.<namespace>.svc:<port>`, what the APIService names, and the local address serving it. */
  serviceHost: string;
  address: string;
}

const core = () => adminKubeConfig().makeApiClient(CoreV1Api);

/** A Secret's keys (or the listed items) as files in a fresh folder. */
async function secretFolder(namespace: string, volume: NonNullable<Volume['secret']>): Promise<string> {
  const secret = await core().readNamespacedSecret({ name: volume.secretName, namespace });
  const dir = mkdtempSync(join(tmpdir(), 'chart-secret-'));
  const items = volume.items ?? Object.keys(secret.data ?? {}).map((key) => ({ key, path: key }));
  for (const { key, path } of items)
    writeFileSync(join(dir, path), Buffer.from(secret.data?.[key] ?? '', 'base64'), { mode: 0o600 });
  return dir;
}

/** A kubeconfig with a token of the Deployment's ServiceAccount: the backend gets the chart's RBAC, no more. */
async function serviceAccountKubeconfig(namespace: string, name: string): Promise<string> {
  const answer = await core().createNamespacedServiceAccountToken({
    name,
    namespace,
    body: { spec: { audiences: [], expirationSeconds: 3600 } },
  });
  const server = new URL(adminKubeConfig().getCurrentCluster()!.server);
  return writeKubeconfig(mkdtempSync(join(tmpdir(), 'chart-sa-')), Number(server.port), answer.status!.token);
}

/**
 * Starts the backend of `manifests` (a release's, which holds one backend Deployment and its Service). `claimDir`
 * gives a claim's folder: the test keeps it per claim, as a volume outlives its pods.
 */
export async function startChartBackend(
  manifests: Manifest[],
  opts: { ksApiserverUrl: string; claimDir: (claim: string) => string },
): Promise<ChartBackend> {
  const deployment = manifests.find((m) => m.kind === 'Deployment');
  const service = manifests.find((m) => m.kind === 'Service');
  if (!deployment || !service) throw new Error('the release has no backend Deployment and Service');
  const namespace = deployment.metadata.namespace!;
  const pod = (deployment.spec as { template: { spec: PodSpec } }).template.spec;
  const container = pod.containers[0]!;

  const folders: [mountPath: string, dir: string][] = [];
  for (const mount of container.volumeMounts) {
    const volume = pod.volumes.find((v) => v.name === mount.name)!;
    const dir = volume.secret
      ? await secretFolder(namespace, volume.secret)
      : volume.persistentVolumeClaim
        ? opts.claimDir(volume.persistentVolumeClaim.claimName)
        : mkdtempSync(join(tmpdir(), 'chart-empty-'));
    folders.push([mount.mountPath, dir]);
  }
  // One mount per value, the deepest first (the local folders may themselves lie under a mount path, e.g. /tmp).
  folders.sort(([a], [b]) => b.length - a.length);
  const local = (value: string) => {
    const hit = folders.find(([mountPath]) => value.includes(`${mountPath}/`));
    return hit ? value.replace(`${hit[0]}/`, `${hit[1]}/`) : value;
  };

  const env: Record<string, string> = {};
  for (const v of container.env) {
    const ref = v.valueFrom?.secretKeyRef;
    env[v.name] = ref
      ? Buffer.from(
          (await core().readNamespacedSecret({ name: ref.name, namespace })).data?.[ref.key] ?? '',
          'base64',
        ).toString()
      : local(v.value ?? '');
  }
  const backend = await startBackendWith({
    ...env,
    // Loopback on a free port instead of 0.0.0.0:8443; the sandbox's addresses for the chart's DNS names.
    HOST: '127.0.0.1',
    PORT: '0',
    ...(env.KS_APISERVER_URL ? { KS_APISERVER_URL: opts.ksApiserverUrl } : {}),
    ...(env.PROMETHEUS_URL ? {} : { PROMETHEUS_URL: readSandboxEnv().PROMETHEUS_URL }),
    KUBECONFIG: await serviceAccountKubeconfig(namespace, pod.serviceAccountName),
  });
  const port = (service.spec as { ports: { port: number }[] }).ports[0]!.port;
  return {
    backend,
    serviceHost: `${service.metadata.name}.${namespace}.svc:${port}`,
    address: new URL(backend.url).host,
  };
}
