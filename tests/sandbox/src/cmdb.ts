// Starts the CMDB stand-in (tests/sandbox/stand-ins/cmdb): BlueKing CMDB's API gateway resources, NetBox's tenancy
// API and an in-house HTTP/JSON CMDB over one generated estate, unreachable or absent here. Its credentials are the
// stand-in's fixed ones (stand-ins/cmdb/state.ts standInCredentials); faults and test systems via /_stand-in/.
import { join } from 'node:path';
import { repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
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
