// The real KubeSphere console (BFF + production build of @ks-console/core, console-local.md §6), run locally
// against the ks-apiserver stand-in. Its ~700 MB node_modules and the ~3 min / 3.3 GB production build live in a
// cache folder keyed by the console version and a hash of console/project/*, outside the repo, built once and reused.
//
//   tsx console/run.ts build                          install + build into the cache (no-op when cached)
//   tsx console/run.ts start --api <ks-shim url> [--port <port>]
//                                                     BFF on 127.0.0.1:<port> (a free one when omitted); prints the
//                                                     URL as {"listening": "..."}; SIGINT/SIGTERM stops it
//   tsx console/run.ts path                           prints the cache folder
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const projectDir = fileURLToPath(new URL('./project/', import.meta.url));
export const loopbackPreload = fileURLToPath(new URL('./loopback.cjs', import.meta.url));

/** The files that define the console build; a change to any of them is a new cache folder. */
const PROJECT_FILES = [
  'package.json',
  'package-lock.json',
  '.npmrc',
  'babel.config.js',
  'tsconfig.json',
  'tsconfig.base.json',
  'types/globals.d.ts',
  'configs/config.yaml',
  'configs/webpack.config.js',
  'configs/webpack.extensions.config.js',
];

type Log = (line: string) => void;
const stderrLog: Log = (line) => process.stderr.write(`[console] ${line}\n`);

export function consoleVersion(): string {
  const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  return pkg.dependencies['@ks-console/core']!;
}

export function cacheDir(): string {
  const hash = createHash('sha256');
  for (const file of PROJECT_FILES) {
    const text = readFileSync(join(projectDir, file), 'utf8');
    // JSON by content, so that reformatting (Prettier) does not cost a rebuild.
    hash
      .update(file)
      .update('\0')
      .update(file.endsWith('.json') ? JSON.stringify(JSON.parse(text)) : text);
  }
  const base =
    process.env.KS_GPU_ML_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ks-gpu-ml');
  return join(base, `console-${consoleVersion()}-${hash.digest('hex').slice(0, 12)}`);
}

const INSTALLED = 'node_modules/.ks-gpu-ml-installed';
const BUILT = 'dist/.ks-gpu-ml-built';

export function isBuilt(dir = cacheDir()): boolean {
  return existsSync(join(dir, INSTALLED)) && existsSync(join(dir, BUILT));
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A lock folder next to the cache folder, so two runs never install or build into the same place at once. */
async function withLock<T>(dir: string, log: Log, work: () => Promise<T>): Promise<T> {
  const lock = `${dir}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      const pid = Number(readFileSync(join(lock, 'pid'), { encoding: 'utf8', flag: 'a+' }) || 0);
      if (pid && !pidAlive(pid)) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log(`waiting for another console build (${lock})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, log: Log): Promise<void> {
  return new Promise((resolveRun, reject) => {
    const started = Date.now();
    log(`${cmd} ${args.join(' ')} (in ${cwd})`);
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const keep = (chunk: Buffer) => {
      tail.push(...chunk.toString().split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 40));
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) {
        log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
        resolveRun();
      } else reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${tail.join('\n')}`));
    });
  });
}

/** Installs the console's dependencies and runs its production build into the cache, once. Returns the folder. */
export async function ensureConsole(log: Log = stderrLog): Promise<string> {
  const dir = cacheDir();
  if (isBuilt(dir)) return dir;
  return withLock(dir, log, async () => {
    if (!existsSync(join(dir, INSTALLED))) {
      log(`installing @ks-console/* ${consoleVersion()} into ${dir} (~3 min, ~720 MB)`);
      for (const file of PROJECT_FILES) {
        mkdirSync(dirname(join(dir, file)), { recursive: true });
        copyFileSync(join(projectDir, file), join(dir, file));
      }
      mkdirSync(join(dir, 'extensions'), { recursive: true });
      await run('npm', ['ci', '--no-audit', '--no-fund'], dir, process.env, log);
      writeFileSync(join(dir, INSTALLED), new Date().toISOString() + '\n');
    }
    if (!existsSync(join(dir, BUILT))) {
      log('building the console for production (ksc build:prod: ~3 min, ~3.3 GB peak memory)');
      const ksc = join(dir, 'node_modules/@ks-console/bootstrap/cli/index.js');
      await run(process.execPath, [ksc, 'build:prod'], dir, { ...process.env, NODE_ENV: 'production' }, log);
      if (!existsSync(join(dir, 'dist/manifest.json')))
        throw new Error(`ksc build:prod wrote no ${dir}/dist/manifest.json`);
      // The production HTML always loads the script named in dist/dll/manifest.json, which build:prod does not
      // write; an empty placeholder keeps the page from loading the login page as a script (§9).
      mkdirSync(join(dir, 'dist/dll'), { recursive: true });
      writeFileSync(join(dir, 'dist/dll/noop.js'), '');
      writeFileSync(join(dir, 'dist/dll/manifest.json'), '{"common.js":"noop.js"}\n');
      writeFileSync(join(dir, BUILT), new Date().toISOString() + '\n');
    }
    return dir;
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface RunningConsole {
  url: string;
  port: number;
  pid: number;
  /** The BFF's output so far (it logs every request). */
  output: () => string;
  close: () => Promise<void>;
}

export interface StartOptions {
  /** The ks-apiserver stand-in, e.g. http://127.0.0.1:9099 */
  apiUrl: string;
  /** 0 or omitted: a free port. */
  port?: number;
  log?: Log;
  /** Print the BFF's own output. */
  inheritOutput?: boolean;
}

async function waitReady(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the console BFF exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/login`, { redirect: 'manual', signal: AbortSignal.timeout(2000) });
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the console BFF did not answer on ${url} within ${timeoutMs / 1000} s:\n${output()}`);
}

/** Starts the BFF (production mode, bound to 127.0.0.1) with the cached build, talking to `apiUrl`. */
export async function startConsole(opts: StartOptions): Promise<RunningConsole> {
  const log = opts.log ?? stderrLog;
  const dir = await ensureConsole(log);
  const port = opts.port || (await freePort());
  const api = new URL(opts.apiUrl);
  const runDir = mkdtempSync(join(tmpdir(), 'ks-console-'));
  mkdirSync(join(runDir, 'configs'));
  // The BFF reads configs/ and dist/ from its working directory; one run folder per BFF lets several consoles
  // (npm start, tests, benchmarks) share one cached build with different API servers and ports.
  symlinkSync(join(dir, 'dist'), join(runDir, 'dist'));
  writeFileSync(join(runDir, 'configs/config.yaml'), '');
  writeFileSync(
    join(runDir, 'configs/local_config.yaml'),
    [
      'server:',
      '  http:',
      `    port: ${port}`,
      '    static:',
      '      production:',
      `        /public: ${join(dir, 'node_modules/@ks-console/server/public')}`,
      '  apiServer:',
      `    url: ${api.origin}`,
      `    wsUrl: ${api.protocol === 'https:' ? 'wss' : 'ws'}://${api.host}`,
      '',
    ].join('\n'),
  );
  const server = join(dir, 'node_modules/@ks-console/server/server.js');
  const nodeOptions = [process.env.NODE_OPTIONS ?? '', `--require ${loopbackPreload}`].join(' ').trim();
  const child = spawn(process.execPath, [server], {
    cwd: runDir,
    env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  const collect = (chunk: Buffer) => {
    buffer += chunk.toString();
    if (buffer.length > 2_000_000) buffer = buffer.slice(-1_000_000);
    if (opts.inheritOutput) process.stderr.write(chunk);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const close = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitReady(url, child, () => buffer);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, port, pid: child.pid!, output: () => buffer, close };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'path') {
    console.log(cacheDir());
  } else if (command === 'build') {
    const dir = await ensureConsole();
    console.log(JSON.stringify({ built: dir }));
  } else if (command === 'start') {
    const apiUrl = argValue(args, '--api');
    if (!apiUrl) throw new Error('start needs --api <ks-apiserver stand-in URL>');
    const running = await startConsole({
      apiUrl,
      port: Number(argValue(args, '--port') ?? 0),
      inheritOutput: true,
    });
    console.log(JSON.stringify({ listening: running.url }));
    const stop = () => void running.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } else {
    console.error('usage: tsx console/run.ts build | start --api <url> [--port <port>] | path');
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
