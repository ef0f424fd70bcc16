// Starts our dcgm-exporter simulator (tests/sandbox/dcgm-sim), which also serves the
// kube-state-metrics series on /ksm/metrics.
import { join } from 'node:path';
import { repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

export type LabelVariant = 'default' | 'lowercase-hostname' | 'exported';
export const labelVariants: LabelVariant[] = ['default', 'lowercase-hostname', 'exported'];

export async function startDcgmSim(kubeconfig: string, port: number, variant: LabelVariant): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'dcgm-sim',
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'tests/sandbox/dcgm-sim/main.ts')].concat([
      '--kubeconfig',
      kubeconfig,
      '--port',
      String(port),
      '--label-variant',
      variant,
    ]),
    { url, cwd: repoRoot },
  );
  await waitFor(
    'dcgm-exporter simulator /healthz',
    async () => (assertRunning(record), httpOk(`${url}/healthz`)),
  );
  return url;
}
