// Shared by every benchmark: find or start the sandbox, compute percentiles, and report figures
// as `<bench>.<figure> <value> <unit>` lines plus `bench/out/<bench>.json`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { freePort } from '../tests/sandbox/src/ports.js';
import { waitFor } from '../tests/sandbox/src/wait.js';
import { readSandboxEnv, repoRoot, sandboxDir, type SandboxEnv } from '../tests/sandbox/src/env.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared against, when the issue sets a target. */
  target?: string;
}

/**
 * `group` is the name the figures are printed under when the issue names them after a feature whose benchmark is
 * split in files (`ml-apps-serving` prints `ml-apps.serving_list_p50_ms`); the JSON stays per benchmark file.
 */
export function report(bench: string, figures: Figure[], notes: string[] = [], group = bench): void {
  for (const note of notes) console.log(`# ${bench}: ${note}`);
  for (const f of figures) {
    const value = Number.isInteger(f.value) ? f.value : Number(f.value.toFixed(2));
    console.log(`${group}.${f.name} ${value} ${f.unit}${f.target ? `   (target ${f.target})` : ''}`);
  }
  const out = join(repoRoot, 'bench/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, `${bench}.json`),
    JSON.stringify({ bench, group, at: new Date().toISOString(), figures, notes }, null, 2) + '\n',
  );
}

/** A note for the report: how busy the machine was when the benchmark started (figures on a loaded box vary). */
export function loadNote(): string {
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  return `load average at start: ${load} on ${cpus().length} cores`;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

function sandboxCli(...args: string[]): void {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'tests/sandbox/src/cli.ts', ...args], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error(`sandbox ${args.join(' ')} failed`);
}

/** The running sandbox, or one started for this benchmark (stopped again by `release`, or at once if `up` fails). */
export function useSandbox(upArgs: string[] = []): { env: SandboxEnv; release: () => void } {
  if (existsSync(join(sandboxDir(), 'env'))) return { env: readSandboxEnv(), release: () => undefined };
  try {
    sandboxCli('up', ...upArgs);
  } catch (error) {
    if (existsSync(join(sandboxDir(), 'state.json'))) sandboxCli('down');
    throw error;
  }
  return { env: readSandboxEnv(), release: () => sandboxCli('down') };
}

/** `sandbox down` for the sandbox in SANDBOX_DIR (or .sandbox): stops what its `up` started. */
export function stopSandbox(): void {
  sandboxCli('down');
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

const SHIPPED_SCRIPT = 'backend/dist/server.js';

/**
 * The node flags the backend image starts with, read from its Dockerfile's ENTRYPOINT (exec form: a JSON array,
 * `node`, the flags, the script), so a benchmark measures what ships and the flags are written in one place.
 */
export function shippedNodeFlags(): string[] {
  const dockerfile = readFileSync(join(repoRoot, 'charts/image/Dockerfile'), 'utf8');
  const line = /^ENTRYPOINT\s+(\[.*\])\s*$/m.exec(dockerfile)?.[1];
  const entrypoint: unknown = line ? JSON.parse(line) : undefined;
  if (
    !Array.isArray(entrypoint) ||
    entrypoint[0] !== 'node' ||
    entrypoint[entrypoint.length - 1] !== SHIPPED_SCRIPT ||
    !entrypoint.every((arg) => typeof arg === 'string')
  )
    throw new Error(`charts/image/Dockerfile: expected ENTRYPOINT ["node", <flags>…, "${SHIPPED_SCRIPT}"]`);
  return entrypoint.slice(1, -1) as string[];
}

/**
 * Builds and starts the compiled backend (what ships, not tsx, whose transform cache alone adds
 * ~150 MB of RSS) in Kubernetes auth mode against the sandbox, on a free port, with the image's node flags
 * (and `nodeFlags` after them, which win where they repeat one); waits for /readyz.
 */
export async function startCompiledBackend(
  kubeconfig: string,
  options: { env?: Record<string, string>; nodeFlags?: string[] } = {},
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const build = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'backend'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
    },
  );
  if (build.status !== 0) throw new Error('tsc -b backend failed');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const store = join(mkdtempSync(join(tmpdir(), 'bench-backend-')), 'backend.sqlite');
  const backend = spawn(
    process.execPath,
    [...shippedNodeFlags(), ...(options.nodeFlags ?? []), join(repoRoot, SHIPPED_SCRIPT)],
    {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH,
        HOST: '127.0.0.1',
        PORT: String(port),
        AUTH_MODE: 'kubernetes',
        KUBECONFIG: kubeconfig,
        STORE_URL: `sqlite:${store}`,
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => backend.once('exit', () => resolve()));
  const stop = async () => {
    backend.kill('SIGTERM');
    await exited;
  };
  try {
    await waitFor('backend /readyz', async () => (await fetch(`${url}/readyz`)).ok, { timeoutMs: 30_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: backend.pid!, stop };
}

/** Runs `fn` over `items`, at most `limit` at a time (preparing thousands of objects without a flood). */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  });
  await Promise.all(workers);
}

/** Calls `fn` until it succeeds, at most `attempts` times, waiting a little longer after each failure. */
export async function retrying<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 200 * i));
    }
  }
}

/** For `.catch` while preparing objects: 409 means it is there already (kept from the last run); anything else is thrown. */
export function ignoreConflict(err: { code?: number }): void {
  if (err.code !== 409) throw err;
}

/** The core and custom-object clients of the cluster `kubeconfig` reaches (the sandbox's admin). */
export function kubeClients(kubeconfig: string): { core: CoreV1Api; custom: CustomObjectsApi } {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfig);
  return { core: kc.makeApiClient(CoreV1Api), custom: kc.makeApiClient(CustomObjectsApi) };
}

/**
 * A request function for the JSON API under `base`, sent with `token`: each call answers how long it took
 * (wall-clock ms, the parsed reply included), the HTTP status and the parsed reply.
 */
export function timedJsonRequests<Answer>(
  base: string,
  token: string,
): (
  method: string,
  path?: string,
  body?: unknown,
) => Promise<{ ms: number; status: number; answer: Answer }> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return async (method, path = '', body) => {
    const t0 = performance.now();
    const res = await fetch(base + path, {
      method,
      headers,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const answer = (await res.json()) as Answer;
    return { ms: performance.now() - t0, status: res.status, answer };
  };
}

/**
 * What the ml-apps benchmarks (notebooks and serving) set up alike: BENCH_ML_REQUESTS sequential requests a figure
 * (default 200), BENCH_ML_CONCURRENCY objects prepared at a time (default 16), BENCH_ML_KEEP=1 keeps the project;
 * the sandbox, its kube clients and the bench's own project `name` (labelled `bench: <bench>`).
 */
export function mlAppsBench(
  name: string,
  bench: string,
): {
  requests: number;
  concurrency: number;
  env: SandboxEnv;
  release: () => void;
  core: CoreV1Api;
  custom: CustomObjectsApi;
  namespace: ReturnType<typeof benchNamespace>;
} {
  const requests = Number(process.env.BENCH_ML_REQUESTS ?? 200);
  const concurrency = Number(process.env.BENCH_ML_CONCURRENCY ?? 16);
  const keep = process.env.BENCH_ML_KEEP === '1';
  const { env, release } = useSandbox();
  const { core, custom } = kubeClients(env.KUBECONFIG);
  return {
    requests,
    concurrency,
    env,
    release,
    core,
    custom,
    namespace: benchNamespace(core, name, bench, keep),
  };
}

/**
 * The wall-clock ms of `requests` sequential calls of `request`, after `warmups` unmeasured ones (JIT, caches,
 * connections). Each measured call must answer `status` (else it throws, naming `what`); `seen` is shown each
 * measured answer, for what the report says about them (how many rows were listed).
 */
export async function sampleRequests<Answer>(
  what: string,
  request: () => Promise<{ ms: number; status: number; answer: Answer }>,
  { warmups, requests, status = 200 }: { warmups: number; requests: number; status?: number },
  seen: (answer: Answer) => void = () => undefined,
): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await request();
  const times: number[] = [];
  for (let i = 0; i < requests; i++) {
    const r = await request();
    if (r.status !== status) throw new Error(`${what} answered ${r.status}: ${JSON.stringify(r.answer)}`);
    times.push(r.ms);
    seen(r.answer);
  }
  return times;
}

/**
 * A benchmark's own namespace, labelled `bench: <bench>`: `create` makes it (one kept from the last run is
 * reused), `remove` deletes it after the run unless `keep`.
 */
export function benchNamespace(
  core: CoreV1Api,
  name: string,
  bench: string,
  keep: boolean,
): { create: () => Promise<void>; remove: () => Promise<void> } {
  return {
    create: () =>
      core
        .createNamespace({ body: { metadata: { name, labels: { bench } } } })
        .then(() => undefined, ignoreConflict),
    remove: async () => {
      if (!keep) await core.deleteNamespace({ name }).catch(() => undefined);
    },
  };
}
