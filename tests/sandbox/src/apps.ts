// Our own services in the sandbox: the ks-apiserver stand-in (and, with it, the backend it
// proxies /kapis/<feature>.ks-gpu-ml.io to).
import { join } from 'node:path';
import { layout, repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

const tsxNode = (entry: string) => ['--import', 'tsx', join(repoRoot, entry)];

export async function startKsShim(port: number, backendUrl: string, kubeconfig: string): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'ks-shim',
    process.execPath,
    tsxNode('tests/sandbox/ks-shim/main.ts').concat([
      '--kubeconfig', kubeconfig, '--users', layout.users, '--backend-url', backendUrl, '--port', String(port),
    ]),
    { url, cwd: repoRoot },
  );
  await waitFor('ks-apiserver stand-in /healthz', async () => (assertRunning(record), httpOk(`${url}/healthz`)));
  return url;
}
