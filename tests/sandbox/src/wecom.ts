// Starts the WeCom stand-in (tests/sandbox/stand-ins/wecom): the group robot and app message APIs of
// qyapi.weixin.qq.com, unreachable from here. Tests register their own robot keys and apps through its control API.
import { join } from 'node:path';
import { repoRoot } from './layout.js';
import { assertRunning, startProcess } from './processes.js';
import { httpOk, waitFor } from './wait.js';

export async function startWecomStandIn(port: number): Promise<string> {
  const url = `http://127.0.0.1:${port}`;
  const record = startProcess(
    'wecom-stand-in',
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'tests/sandbox/stand-ins/wecom/main.ts'), '--port', String(port)],
    { url, cwd: repoRoot },
  );
  await waitFor('WeCom stand-in /healthz', async () => (assertRunning(record), httpOk(`${url}/healthz`)));
  return url;
}
