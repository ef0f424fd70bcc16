// Starts the CMDB stand-in (tests/sandbox/stand-ins/cmdb): BlueKing CMDB's API gateway resources, NetBox's tenancy
// API and an in-house HTTP/JSON CMDB over one generated estate, unreachable or absent here. Its credentials are the
// stand-in's fixed ones (stand-ins/cmdb/state.ts standInCredentials); faults and test systems via /_stand-in/.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import { join } from 'node:path';
import { standInCredentials } from '../stand-ins/cmdb/state.js';
import { applyObjects } from './kube.js';
import { repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { ksLogin } from './ks-login.js';
import { httpOk, waitFor } from './wait.js';

export async function startCmdbStandIn(port: number): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'cmdb-stand-in',
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'tests/sandbox/stand-ins/cmdb/main.ts'), '--port', String(port)],
    { url, cwd: repoRoot },
  );
  await waitFor('CMDB stand-in /healthz', async () => (assertRunning(record), httpOk(`${url}/healthz`)));
  return url;
}

/** Where the sandbox keeps the CMDB stand-in's NetBox token for the backend (a platform Secret, as in a cluster). */
export const SANDBOX_CMDB_SECRET = {
  namespace: 'kube-system',
  name: 'cmdb-alerting-cmdb',
  key: 'token',
} as const;
/** The cmdb-alerting route that holds the cluster's CMDB connection (contract cmdb-routing.ts, ADR 0042). */
const CMDB_SETTINGS_PATH = '/kapis/cmdb-alerting.ks-gpu-ml.io/v1alpha1/cmdbsettings';
const API_TIMEOUT_MS = 15_000;

/**
 * The sandbox backend's CMDB connection: NetBox at the stand-in, its token in a Secret, set through the API by the
 * platform admin as the console's CMDB settings page does. Answers fresh for 5 s (the shortest allowed), so a test
 * that switches the stand-in down sees the last known mapping within seconds; lookups time out after 2 s.
 * Returns false (and changes nothing) when the backend has no such route yet: the sandbox then runs without it.
 */
export async function configureBackendCmdb(
  kc: KubeConfig,
  ksApiserverUrl: string,
  cmdbUrl: string,
  admin: { name: string; password: string },
): Promise<boolean> {
  await applyObjects(kc, [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: SANDBOX_CMDB_SECRET.name, namespace: SANDBOX_CMDB_SECRET.namespace },
      stringData: { [SANDBOX_CMDB_SECRET.key]: standInCredentials.netboxToken },
    } as KubernetesObject,
  ]);
  const token = await ksLogin(ksApiserverUrl, admin);
  const res = await fetch(ksApiserverUrl + CMDB_SETTINGS_PATH, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      kind: 'netbox',
      enabled: true,
      url: cmdbUrl,
      secretRef: SANDBOX_CMDB_SECRET,
      ttlSeconds: 5,
      lastKnownSeconds: 3600,
      timeoutMs: 2000,
    }),
    signal: AbortSignal.timeout(API_TIMEOUT_MS),
  });
  if (res.status === 404) return false;
  if (!res.ok) throw new Error(`PUT ${CMDB_SETTINGS_PATH} answered ${res.status}: ${await res.text()}`);
  return true;
}
