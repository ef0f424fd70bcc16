// The backend started while kube-apiserver is unreachable (behind a TCP gate this test opens later, instead of
// stopping the shared sandbox's apiserver): /readyz says not ready, requests fail with a 5xx instead of answering
// from empty caches, and once the apiserver is reachable the backend recovers by itself.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gpuQuotaRoutes } from '@ks-gpu-ml/contracts';
import { readSandboxEnv, sandboxUser } from '../../sandbox/src/env.js';
import { waitFor } from '../../sandbox/src/testing.js';
import { call, startBackend, type BackendProcess } from './backend-process.js';
import { urlOf } from './fixtures.js';
import { apiserverOf, createTcpGate, kubeconfigThrough, type TcpGate } from './tcp-gate.js';

let gate: TcpGate;
let backend: BackendProcess;

before(async () => {
  const kubeconfig = readSandboxEnv().KUBECONFIG;
  gate = await createTcpGate(apiserverOf(kubeconfig));
  const through = kubeconfigThrough(kubeconfig, gate, mkdtempSync(join(tmpdir(), 'apiserver-down-')));
  backend = await startBackend({ KUBECONFIG: through, FEATURES: 'gpu-quota' });
});
after(async () => {
  await backend?.stop();
  await gate?.close();
});

async function readyz(): Promise<{ status: number; checks: Record<string, string> }> {
  const res = await fetch(`${backend.url}/readyz`);
  const body = (await res.json()) as { checks: Record<string, string> };
  return { status: res.status, checks: body.checks };
}

describe('kube-apiserver unreachable at backend start', () => {
  it('is not ready and answers no request from nothing until the apiserver is reachable', async () => {
    const unready = await readyz();
    assert.equal(unready.status, 503);
    assert.equal(unready.checks.kube, 'failed');
    const { token } = sandboxUser('admin');
    const resources = urlOf(gpuQuotaRoutes.listGpuResources, '');
    const refused = await call(backend, 'GET', resources, { token });
    assert.ok(refused.status >= 500, `HTTP ${refused.status} while the apiserver is unreachable`);

    await gate.open();
    await waitFor('/readyz 200', async () => (await readyz()).status === 200, { timeoutMs: 30_000 });
    const served = await call(backend, 'GET', resources, { token });
    assert.equal(served.status, 200, JSON.stringify(served.body));
    assert.ok((served.body.items as unknown[]).length > 0, 'the GPU resources of the sandbox nodes');
    assert.equal((await readyz()).checks.watchCaches, 'ok', 'the node cache has listed');
  });
});
