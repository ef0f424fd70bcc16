// Our backend with only ml-apps, for this feature's integration tests, and the project GPU quota they set: the sandbox RBAC for our routes applied
// first (the route table is newer than a running sandbox), no authorization cache, and started once a project
// member can list notebooks (the aggregation controller copies our rules into the built-in roles asynchronously).
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { CoreV1Api } from '@kubernetes/client-node';
import { ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { readSandboxUsers, sandboxUser } from '../../sandbox/src/env.js';
import { applyFeatureRbac } from '../../sandbox/src/feature-rbac.js';
import { adminKubeConfig, waitFor } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from '../backend/backend-process.js';
import { undoAfterTests, type Undo } from '../backend/undo.js';

export const GROUP_PATH = '/kapis/ml-apps.ks-gpu-ml.io/v1alpha1';

export async function startMlAppsBackend(env: Record<string, string> = {}): Promise<BackendProcess> {
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  const backend = await startBackend({
    FEATURES: 'ml-apps',
    IDENTITY_CACHE_TTL_MS: '1000',
    AUTHZ_CACHE_TTL_MS: '0',
    // The stand-in predictor listens on loopback; a real backend refuses such addresses (ADR 0040).
    ML_APPS_SERVING_ALLOW_LOOPBACK: 'true',
    ...env,
  });
  const { token } = sandboxUser('alice');
  await waitFor('notebooks of alpha-train readable by alice', async () => {
    const res = await call(backend, 'GET', `${GROUP_PATH}/namespaces/alpha-train/notebooks`, { token });
    return res.status === 200;
  });
  return backend;
}

/** One test file's ml-apps backend (`useMlAppsBackend`). */
export interface MlAppsTestBackend {
  /** The running backend, once the file's `before` has run. */
  readonly process: BackendProcess;
  /** What the file's `after` undoes, newest first (a failing clean-up does not stop the rest), before the stop. */
  readonly cleanups: Undo[];
  /** Calls `<GROUP_PATH>/namespaces/<ns>/<plural><suffix>` with `body` as JSON, as `token` (default the admin). */
  resource(
    plural: string,
  ): (
    method: string,
    ns: string,
    suffix?: string,
    body?: unknown,
    token?: string,
  ) => Promise<{ status: number; body: Record<string, unknown> }>;
}

/**
 * Registers the test file's hooks: before its tests `setUp` (when given), then the backend starts; after them the
 * clean-ups run and the backend stops, which must exit 0 (a graceful shutdown). `env`, read after `setUp`, adds
 * settings (e.g. the address of a stand-in that `setUp` started).
 */
export function useMlAppsBackend(
  setUp?: (cleanups: Undo[]) => Promise<void>,
  env?: () => Record<string, string>,
): MlAppsTestBackend {
  let started: BackendProcess | undefined;
  const cleanups = undoAfterTests(); // its after() is registered first, so it runs before the stop's
  before(async () => {
    await setUp?.(cleanups);
    started = await startMlAppsBackend(env?.());
  });
  after(async () => {
    assert.equal(await started?.stop(), 0, 'graceful shutdown exits 0');
  });
  const run: MlAppsTestBackend = {
    get process() {
      if (!started) throw new Error('the ml-apps backend starts in before()');
      return started;
    },
    cleanups,
    resource:
      (plural) =>
      (method, ns, suffix = '', body, token = sandboxUser('admin').token) =>
        call(run.process, method, `${GROUP_PATH}/namespaces/${ns}/${plural}${suffix}`, {
          token,
          ...(body !== undefined ? { body } : {}),
        }),
  };
  return run;
}

/**
 * A ResourceQuota `gpus` of `max` whole GPUs in the namespace, once the quota controller has filled its status
 * (admission counts against it only then).
 */
export async function gpuQuota(namespace: string, max: number): Promise<void> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespacedResourceQuota({
    namespace,
    body: { metadata: { name: 'gpus' }, spec: { hard: { 'requests.nvidia.com/gpu': String(max) } } },
  });
  await waitFor('quota status filled', async () => {
    const q = await core.readNamespacedResourceQuota({ name: 'gpus', namespace });
    return q.status?.hard?.['requests.nvidia.com/gpu'] === String(max);
  });
}
