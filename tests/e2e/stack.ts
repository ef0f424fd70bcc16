// Everything a browser test needs on loopback, on free ports: the real backend (KubeSphere auth mode, asking the
// stand-in), the ks-apiserver stand-in serving our built bundles as JSBundles, and the real console BFF with the
// cached production build. Needs the running sandbox (`npm run sandbox -- up`) and built bundles (`npm run build`).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ALERTMANAGER_WEBHOOK_PATH, ROUTE_TABLE } from '@ks-gpu-ml/contracts';
import { alertFixture, batchFixture } from '../../backend/src/features/cmdb-alerting/test-fixtures.js';
import { freePort, startConsole } from '../../console/run.js';
import { startKsShim } from '../sandbox/ks-shim/server.js';
import { readSandboxEnv, readSandboxUsers, repoRoot, sandboxDir } from '../sandbox/src/env.js';
import { applyFeatureRbac } from '../sandbox/src/feature-rbac.js';
import { adminKubeConfig } from '../sandbox/src/testing.js';
import { startBackend } from '../integration/backend/backend-process.js';

export const EXTENSIONS = ['gpu-quota', 'gpu-monitoring', 'cmdb-alerting', 'ml-apps'] as const;
export type ExtensionName = (typeof EXTENSIONS)[number];

export interface Stack {
  consoleUrl: string;
  shimUrl: string;
  backendUrl: string;
  /** The stand-in's request log (`<status> <method> <url> <user>`). */
  shimLog: string[];
  close(): Promise<void>;
}

export function kubectlApply(args: string[], input?: string): void {
  const kubectl = join(sandboxDir(), 'bin/kubectl');
  const env = readSandboxEnv();
  const result = spawnSync(
    existsSync(kubectl) ? kubectl : 'kubectl',
    ['--kubeconfig', env.KUBECONFIG, 'apply', ...args],
    {
      encoding: 'utf8',
      ...(input !== undefined ? { input } : {}),
    },
  );
  if (result.status !== 0) throw new Error(`kubectl apply ${args.join(' ')} failed: ${result.stderr}`);
}

/** Applies tests/e2e/fixtures/role-templates.yaml (the RoleTemplates our menus need) to the sandbox. */
export function applyRoleTemplates(): void {
  kubectlApply(['-f', join(repoRoot, 'tests/e2e/fixtures/role-templates.yaml')]);
}

/**
 * A folder laid out as the stand-in's --dist-dir, <ext>/index.js, with copies of extensions/<ext>/dist/ (the
 * stand-in refuses symlinks that lead out of its folder). Rebuilt bundles need a restart of the stack.
 */
function distDir(extensions: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ks-gpu-ml-dist-'));
  for (const ext of extensions) {
    const built = join(repoRoot, 'extensions', ext, 'dist');
    if (!existsSync(join(built, 'index.js')))
      throw new Error(`${built}/index.js is missing: run "npm run build" first`);
    cpSync(built, join(dir, ext), { recursive: true });
  }
  return dir;
}

export interface StackOptions {
  /** The backend's FEATURES (default: all it implements). */
  features?: string;
  extensions?: readonly string[];
  /** The console's port (default: a free one). */
  consolePort?: number;
  /** Print the stand-in's and the BFF's request logs. */
  verbose?: boolean;
  /** Extra environment for the backend, e.g. a PROMETHEUS_URL nothing answers on. */
  backendEnv?: Record<string, string>;
  /**
   * `<service>.<namespace>.svc:<port>` that ReverseProxy objects name as their upstream: the stand-in sends it to this
   * stack's backend (its stand-in for cluster DNS), as ks-apiserver would reach the chart's backend Service.
   */
  reverseProxyService?: string;
}

/**
 * One stack for a file's tests: started before them, closed after them. The tests read it through the returned
 * function, which answers once the stack is up (it throws if called before, a misplaced call).
 */
export function stackAroundTests(opts: StackOptions = {}): () => Stack {
  let stack: Stack | undefined;
  before(async () => {
    stack = await startStack(opts);
  });
  after(async () => {
    await stack?.close();
  });
  return () => {
    if (!stack) throw new Error('the e2e stack is not up yet: read it inside a test');
    return stack;
  };
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const sandbox = readSandboxEnv();
  applyRoleTemplates();
  // The same route-derived RBAC `sandbox up` applies (idempotent), in case the sandbox predates a route.
  await applyFeatureRbac(adminKubeConfig(), ROUTE_TABLE, readSandboxUsers());
  const shimPort = await freePort();
  const shimUrl = `http://127.0.0.1:${shimPort}`;
  const backend = await startBackend({
    AUTH_MODE: 'kubesphere',
    KS_APISERVER_URL: shimUrl,
    ...(opts.features ? { FEATURES: opts.features } : {}),
    ...opts.backendEnv,
  });
  const dist = distDir(opts.extensions ?? EXTENSIONS);
  const shimLog: string[] = [];
  let shim: Awaited<ReturnType<typeof startKsShim>> | undefined;
  try {
    shim = await startKsShim({
      kubeconfig: sandbox.KUBECONFIG,
      users: sandbox.SANDBOX_USERS,
      backendUrl: backend.url,
      port: shimPort,
      distDir: dist,
      ...(opts.reverseProxyService
        ? { reverseProxyAddresses: { [opts.reverseProxyService]: new URL(backend.url).host } }
        : {}),
      log: (line) => {
        if (opts.verbose) console.log(`[ks-shim] ${line}`);
        shimLog.push(line);
        if (shimLog.length > 5000) shimLog.splice(0, 1000);
      },
    });
    const bff = await startConsole({
      apiUrl: shim.url,
      ...(opts.consolePort ? { port: opts.consolePort } : {}),
      ...(opts.verbose ? { inheritOutput: true } : {}),
    });
    return {
      consoleUrl: bff.url,
      shimUrl: shim.url,
      backendUrl: backend.url,
      shimLog,
      async close() {
        await bff.close();
        await shim?.close();
        await backend.stop();
        rmSync(dist, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await shim?.close();
    await backend.stop();
    rmSync(dist, { recursive: true, force: true });
    throw error;
  }
}

// tsx tests/e2e/stack.ts [--port 8000] [--features a,b] [--verbose]
// Starts backend + stand-in + console against the running sandbox (what `npm start` runs after `sandbox up`),
// prints the console URL and the users, and stops everything on Ctrl-C / SIGTERM.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const value = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
  const stack = await startStack({
    consolePort: Number(value('--port') ?? 8000),
    ...(value('--features') ? { features: value('--features')! } : {}),
    verbose: args.includes('--verbose'),
  });
  console.log(`The KubeSphere console with our extensions: ${stack.consoleUrl} (Ctrl-C stops everything)`);
  console.log(
    JSON.stringify({ console: stack.consoleUrl, ksShim: stack.shimUrl, backend: stack.backendUrl }),
  );
  const stop = () => void stack.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** The backend's environment for a test that posts alerts: the sandbox's intake token, escalation steps checked often. */
export const alertIntakeEnv = (): Record<string, string> => ({
  ALERT_INTAKE_TOKEN_FILE: readSandboxEnv().ALERT_INTAKE_TOKEN_FILE!,
  ALERT_ESCALATION_TICK_MS: '200',
});

/**
 * Posts one firing alert with `labels` to the stack's backend (started with `alertIntakeEnv`) as Alertmanager's
 * webhook does, in a group of its own `run`; returns its key (fingerprint-start second).
 */
export async function fireAlert(
  stack: Stack,
  labels: { run: string } & Record<string, string>,
): Promise<string> {
  const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
  const alert = alertFixture(1, { labels, startsAt, fingerprint: randomBytes(8).toString('hex') });
  const token = readFileSync(readSandboxEnv().ALERT_INTAKE_TOKEN_FILE!, 'utf8').trim();
  const res = await fetch(stack.backendUrl + ALERTMANAGER_WEBHOOK_PATH, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(batchFixture([alert], { groupKey: `{}:{run="${labels.run}"}` })),
  });
  assert.equal(res.status, 200, await res.text());
  return `${alert.fingerprint}-${Math.floor(Date.parse(startsAt) / 1000)}`;
}
