import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

/**
 * The real process: SIGTERM lets a request that is in flight finish, then exits 0. The "kube-apiserver" is a
 * TCP port that accepts and never answers, so /readyz stays in flight until UPSTREAM_TIMEOUT_MS.
 */
let silent: Server;
const sockets = new Set<Socket>();
let kubeconfig: string;
const dir = mkdtempSync(join(tmpdir(), 'server-test-'));

before(async () => {
  silent = createServer((socket) => void sockets.add(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const port = (silent.address() as AddressInfo).port;
  kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'c', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } },
      ],
      users: [{ name: 'u', user: { token: 'x' } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
    }),
  );
});
after(() => {
  for (const socket of sockets) socket.destroy();
  silent.close();
});

describe('server process', () => {
  it('finishes in-flight requests on SIGTERM, closes the store and exits 0', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./server.ts', import.meta.url))],
      {
        env: {
          PATH: process.env.PATH,
          HOST: '127.0.0.1',
          PORT: '0',
          AUTH_MODE: 'kubernetes',
          KUBECONFIG: kubeconfig,
          STORE_URL: `sqlite:${join(dir, 'backend.sqlite')}`,
          UPSTREAM_TIMEOUT_MS: '1500',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const lines: string[] = [];
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'backend listening' && entry.url) resolve(entry.url);
      });
      void exited.then((code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
    });

    const inFlight = fetch(`${url}/readyz`);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    const response = await inFlight;
    assert.equal(
      response.status,
      503,
      'answered, not cut off: kube never replied and shutdown is in progress',
    );
    assert.deepEqual(((await response.json()) as { checks: object }).checks, {
      kube: 'failed',
      store: 'ok',
      watchCaches: 'ok',
      shutdown: 'in progress',
    });
    assert.equal(await exited, 0);
    const messages = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    assert.ok(messages.includes('shut down cleanly'), messages.join(' | '));
    await assert.rejects(fetch(`${url}/healthz`), 'no longer accepting');
  });
});
