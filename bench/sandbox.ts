// Benchmark `sandbox`: how long a second, separate sandbox takes to come up with N fake GPU nodes
// (binaries already cached), how fast the real scheduler + KWOK get GPU pods Running, and `down`.
//   BENCH_SANDBOX_NODES (default 100), BENCH_SANDBOX_PODS (default 200)
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSandboxEnv, repoRoot } from '../tests/sandbox/src/env.js';
import { gpuPod } from '../tests/sandbox/src/testing.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import { report } from './lib.js';

const nodes = Number(process.env.BENCH_SANDBOX_NODES ?? 100);
const pods = Number(process.env.BENCH_SANDBOX_PODS ?? 200);
const dir = join(mkdtempSync(join(tmpdir(), 'ks-gpu-ml-bench-')), 'sandbox');
const env = { ...process.env, SANDBOX_DIR: dir };

function timed(...args: string[]): number {
  const start = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'tests/sandbox/src/cli.ts', ...args], {
    cwd: repoRoot,
    env,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`sandbox ${args.join(' ')} failed`);
  return (performance.now() - start) / 1000;
}

const upSeconds = timed('up', '--nodes', String(nodes), '--crds', 'none');
let podsSeconds = Number.NaN;
try {
  const kc = new KubeConfig();
  kc.loadFromFile(readSandboxEnv(dir).KUBECONFIG);
  const core = kc.makeApiClient(CoreV1Api);
  const namespace = 'bench';
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  await waitFor('default ServiceAccount', () =>
    core.readNamespacedServiceAccount({ name: 'default', namespace }).then(() => true),
  );
  const start = performance.now();
  for (let i = 0; i < pods; i++) {
    await core.createNamespacedPod({ namespace, body: gpuPod(`p${i}`, namespace, 1 + (i % 4)) });
  }
  await waitFor(
    `${pods} pods Running`,
    async () => {
      const list = await core.listNamespacedPod({ namespace, fieldSelector: 'status.phase=Running' });
      return list.items.length >= pods;
    },
    { timeoutMs: 600_000, intervalMs: 500 },
  );
  podsSeconds = (performance.now() - start) / 1000;
} finally {
  const downSeconds = timed('down');
  report(
    'sandbox',
    [
      { name: 'nodes', value: nodes + 2, unit: 'nodes' },
      { name: 'up_s', value: upSeconds, unit: 's', target: '≤ 90 s' },
      { name: 'pods', value: pods, unit: 'pods' },
      { name: 'pods_running_s', value: podsSeconds, unit: 's' },
      { name: 'pods_per_s', value: pods / podsSeconds, unit: 'pods/s' },
      { name: 'down_s', value: downSeconds, unit: 's' },
    ],
    [`${nodes} standard 8-GPU nodes + 1 MIG + 1 HAMi; pods of 1-4 GPUs, created one by one`],
  );
}
