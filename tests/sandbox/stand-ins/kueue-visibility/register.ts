// Serves the Kueue visibility stand-in (server.ts) through the real kube-apiserver's aggregation layer, as Kueue's
// chart does (config/components/visibility): an APIService `v1beta2.visibility.kueue.x-k8s.io` for the Service
// `kueue-system/visibility-server`, TLS not verified (Kueue's own APIService says insecureSkipTLSVerify too). No
// kube-proxy runs here, so the Service is an ExternalName `localhost` - the aggregator resolves one to
// `externalName:port` - and the port is the stand-in's. Registered only while a test needs it: an APIService whose
// server is gone makes discovery incomplete for everyone (the namespace controller stops deleting namespaces), so
// stop() removes it first, and a stale one from a crashed run is replaced.
import { ApiregistrationV1Api, CoreV1Api, type KubeConfig, type V1APIService } from '@kubernetes/client-node';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VISIBILITY_GROUP, VISIBILITY_VERSION } from './pending.js';
import { startVisibilityServer } from './server.js';

export const VISIBILITY_APISERVICE = `${VISIBILITY_VERSION}.${VISIBILITY_GROUP}`;
const NAMESPACE = 'kueue-system';
const SERVICE = 'visibility-server';

/** A throw-away self-signed certificate for localhost (openssl, as the sandbox's PKI is made). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kueue-visibility-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'tls.key'),
        '-out',
        join(dir, 'tls.crt'),
      ]),
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return {
      key: readFileSync(join(dir, 'tls.key'), 'utf8'),
      cert: readFileSync(join(dir, 'tls.crt'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ignore = (code: number) => (err: unknown) => {
  if ((err as { code?: number }).code !== code) throw err;
};

const available = (s: V1APIService) => s.status?.conditions?.find((c) => c.type === 'Available');

/** Starts the stand-in and registers it; resolves once the aggregator reports the API Available. */
export async function serveKueueVisibility(
  kc: KubeConfig,
  options: { timeoutMs?: number } = {},
): Promise<{ stop: () => Promise<void> }> {
  const core = kc.makeApiClient(CoreV1Api);
  const registration = kc.makeApiClient(ApiregistrationV1Api);
  const { server, port } = await startVisibilityServer(kc, selfSigned());
  const stop = async () => {
    await registration.deleteAPIService({ name: VISIBILITY_APISERVICE }).catch(ignore(404));
    await core.deleteNamespacedService({ name: SERVICE, namespace: NAMESPACE }).catch(ignore(404));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await core.createNamespace({ body: { metadata: { name: NAMESPACE } } }).catch(ignore(409));
    await core.deleteNamespacedService({ name: SERVICE, namespace: NAMESPACE }).catch(ignore(404));
    await core.createNamespacedService({
      namespace: NAMESPACE,
      body: { metadata: { name: SERVICE }, spec: { type: 'ExternalName', externalName: 'localhost' } },
    });
    await registration.deleteAPIService({ name: VISIBILITY_APISERVICE }).catch(ignore(404));
    await registration.createAPIService({
      body: {
        metadata: {
          name: VISIBILITY_APISERVICE,
          labels: { 'sandbox.ks-gpu-ml.io/stand-in': 'kueue-visibility' },
        },
        spec: {
          group: VISIBILITY_GROUP,
          version: VISIBILITY_VERSION,
          service: { namespace: NAMESPACE, name: SERVICE, port },
          insecureSkipTLSVerify: true,
          groupPriorityMinimum: 100,
          versionPriority: 100,
        },
      },
    });
    const deadline = Date.now() + (options.timeoutMs ?? 30_000);
    for (;;) {
      const condition = available(await registration.readAPIServiceStatus({ name: VISIBILITY_APISERVICE }));
      if (condition?.status === 'True') break;
      if (Date.now() > deadline) {
        throw new Error(
          `APIService ${VISIBILITY_APISERVICE} not Available: ${condition?.reason ?? '-'}: ${condition?.message ?? '-'}`,
        );
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
  return { stop };
}
