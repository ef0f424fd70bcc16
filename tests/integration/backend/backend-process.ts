// Starts the real backend (backend/src/server.ts) as a child process on a free loopback port, in Kubernetes
// auth mode against the sandbox's kube-apiserver, and stops it with SIGTERM the way a kubelet would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { readSandboxEnv, repoRoot } from '../../sandbox/src/env.js';

export interface BackendProcess {
  url: string;
  logs: string[];
  /** SIGTERM, then resolves with the exit code (0 after a graceful shutdown). */
  stop(): Promise<number | null>;
}

export async function startBackend(env: Record<string, string> = {}): Promise<BackendProcess> {
  const sandbox = readSandboxEnv();
  return startBackendWith({
    KUBECONFIG: sandbox.KUBECONFIG,
    PROMETHEUS_URL: sandbox.PROMETHEUS_URL,
    ALERTMANAGER_URL: sandbox.ALERTMANAGER_URL,
    ...env,
  });
}

/** The backend process with only the settings given (plus loopback, a free port, a fresh store). */
export function spawnBackend(env: Record<string, string>): {
  child: ChildProcess;
  logs: string[];
  exited: Promise<number | null>;
} {
  const dir = mkdtempSync(join(tmpdir(), 'backend-it-'));
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'backend/src/server.ts')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      AUTH_MODE: 'kubernetes',
      STORE_URL: `sqlite:${join(dir, 'backend.sqlite')}`,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  createInterface({ input: child.stderr! }).on('line', (line) => logs.push(line));
  return { child, logs, exited };
}

/** A kubeconfig file in `dir` for a kube-apiserver at https://127.0.0.1:<port>, sending `token` if given. */
export function writeKubeconfig(dir: string, port: number, token?: string): string {
  const file = join(dir, `kubeconfig-${port}`);
  const cluster = { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true };
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster }],
      users: [{ name: 'u', user: token ? { token } : {} }],
      contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'x',
    }),
  );
  return file;
}

/** Starts the backend without the sandbox: every upstream it needs is named in `env`. */
export async function startBackendWith(env: Record<string, string>): Promise<BackendProcess> {
  const { child, logs, exited } = spawnBackend(env);

  // A backend that fails to start is killed: a live child would keep the test file's process (and the whole run)
  // from ever exiting. 60 s: a cold start with tsx on a loaded 2-core machine has taken over 30 s.
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`backend did not start in 60 s:\n${logs.join('\n')}`));
    }, 60_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      try {
        const entry = JSON.parse(line) as { msg?: string; url?: string };
        if (entry.msg === 'backend listening' && entry.url) {
          clearTimeout(timer);
          resolve(entry.url);
        }
      } catch {
        /* not a JSON log line */
      }
    });
    void exited.then((code) =>
      reject(new Error(`backend exited (${code}) during start:\n${logs.join('\n')}`)),
    );
  });

  return {
    url,
    logs,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** fetch against the backend with a user's token (or none) and optional extra headers. */
export async function call(
  backend: BackendProcess,
  method: string,
  path: string,
  options: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(backend.url + path, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
