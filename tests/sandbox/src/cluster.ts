// KWOK and the fake GPU nodes it keeps alive.
import type { KubeConfig } from '@kubernetes/client-node';
import { CoreV1Api } from '@kubernetes/client-node';
import { applyObjects } from './kube.js';
import { gpuNodeSpecs, nodeObject, KWOK_ANNOTATION } from './nodes.js';
import { FAULT_STAGES } from './pod-faults.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

export async function startKwok(binary: string, stages: string, kubeconfig: string, port: number) {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'kwok',
    binary,
    [
      `--kubeconfig=${kubeconfig}`,
      `--config=${stages}`,
      `--config=${FAULT_STAGES}`,
      '--manage-all-nodes=false',
    ]
      .concat([`--manage-nodes-with-annotation-selector=${KWOK_ANNOTATION}=fake`])
      .concat(['--cidr=10.244.0.1/16', '--node-ip=10.0.0.1', '--node-lease-duration-seconds=40'])
      .concat([`--server-address=127.0.0.1:${port}`]),
    { url },
  );
  await waitFor('KWOK /healthz', async () => (assertRunning(record), httpOk(`${url}/healthz`)));
  return url;
}

export async function createGpuNodes(kc: KubeConfig, count: number): Promise<string[]> {
  const specs = gpuNodeSpecs(count);
  await applyObjects(kc, specs.map(nodeObject));
  const core = kc.makeApiClient(CoreV1Api);
  const names = specs.map((s) => s.name);
  await waitFor(
    `${names.length} KWOK nodes Ready`,
    async () => {
      const list = await core.listNode({ labelSelector: 'type=kwok' });
      const ready = list.items.filter((n) =>
        n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return ready.length >= names.length;
    },
    { timeoutMs: 60_000 + count * 200 },
  );
  return names;
}
