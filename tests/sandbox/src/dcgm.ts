// Starts our dcgm-exporter simulator (tests/sandbox/dcgm-sim), which also serves the
// kube-state-metrics series on /ksm/metrics, custom-resource state included.
import { join } from 'node:path';
import { repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

/** What the chart ships for kube-state-metrics' --custom-resource-state-config-file (docs/adr/0041). */
export const KSM_CUSTOM_RESOURCE_STATE = join(repoRoot, 'charts/gpu-monitoring/rules/ksm-ml-apps.yaml');

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
      // The chart's own kube-state-metrics custom-resource config: ML apps' creators for GPU-hours by user.
      '--custom-resource-state-config-file',
      KSM_CUSTOM_RESOURCE_STATE,
    ]),
    { url, cwd: repoRoot },
  );
  await waitFor(
    'dcgm-exporter simulator /healthz',
    async () => (assertRunning(record), httpOk(`${url}/healthz`)),
  );
  return url;
}
