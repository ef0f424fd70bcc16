// Our backend with only gpu-quota, for this feature's integration tests: the sandbox RBAC for our routes
// applied first, short caches (a decision cached from before the RBAC would hide it), and started once a
// tenant can read quotas (the aggregation controller copies our rules into the built-in roles asynchronously).
import { ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, waitFor } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';

export const GROUP_PATH = '/kapis/gpu-quota.ks-gpu-ml.io/v1alpha1';

/** Starts the backend; resolves once `user` can read the GPU quota of `namespace`. */
export async function startQuotaBackend(user: string, namespace: string): Promise<BackendProcess> {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  const backend = await startBackend({
    FEATURES: 'gpu-quota',
    IDENTITY_CACHE_TTL_MS: '1000',
    AUTHZ_CACHE_TTL_MS: '0',
  });
  const { token } = sandboxUser(user);
  await waitFor(`gpuquotas of ${namespace} readable by ${user}`, async () => {
    const res = await call(backend, 'GET', `${GROUP_PATH}/namespaces/${namespace}/gpuquotas`, { token });
    return res.status === 200;
  });
  return backend;
}
