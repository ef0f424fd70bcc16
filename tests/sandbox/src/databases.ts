// Throwaway PostgreSQL and MariaDB (MySQL protocol) servers for the backend store's tests, from Debian's
// `postgresql` and `mariadb-server` packages: own data directory under the sandbox folder, a free loopback port,
// no system service involved. Stopped by the pid we started; data removed on stop.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxDir } from './env.js';
import { freePort } from './ports.js';

export interface DatabaseServer {
  kind: 'postgres' | 'mysql';
  /** What the backend's STORE_URL takes. */
  url: string;
  pid: number;
  dataDir: string;
  stop(): Promise<void>;
  /**
   * PostgreSQL only: a fast shutdown that keeps the data, and a start on the same port and data again, so a test
   * can see how the backend behaves while its database is away and after it is back.
   */
  pause?(): Promise<void>;
  resume?(): Promise<void>;
}

const defaultBase = () => join(sandboxDir(), 'databases');

function run(command: string, args: string[], options: { uid?: number; gid?: number } = {}): string {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options, timeout: 120_000 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

async function waitUntil(
  what: string,
  check: () => boolean,
  child: ChildProcess,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode} during start-up`);
    if (check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** Stops the server; removes its data unless `dataDir` is undefined (a pause). */
async function stopChild(
  child: ChildProcess,
  signal: NodeJS.Signals,
  dataDir: string | undefined,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!bin) throw new Error('PostgreSQL not found under /usr/lib/postgresql: apt-get install postgresql');
  return bin;
}

/** Root may not run postgres; as root we run it as the `postgres` user the Debian package creates. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(run('id', ['-u', 'postgres']).trim());
  const gid = Number(run('id', ['-g', 'postgres']).trim());
  return { uid, gid };
}

export async function startPostgres(baseDir = defaultBase()): Promise<DatabaseServer> {
  const bin = postgresBin();
  mkdirSync(baseDir, { recursive: true });
  const dataDir = mkdtempSync(join(baseDir, 'postgres-'));
  const user = postgresUser();
  if (user) chownSync(dataDir, user.uid, user.gid);
  run(
    join(bin, 'initdb'),
    ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
    user ?? {},
  );
  const port = await freePort();
  let child = await spawnPostgres(bin, dataDir, port, user);
  return {
    kind: 'postgres',
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    get pid() {
      return child.pid!;
    },
    dataDir,
    // SIGINT is PostgreSQL's "fast shutdown": roll back open transactions, exit cleanly.
    stop: () => stopChild(child, 'SIGINT', dataDir),
    pause: () => stopChild(child, 'SIGINT', undefined),
    resume: async () => void (child = await spawnPostgres(bin, dataDir, port, user)),
  };
}

async function spawnPostgres(
  bin: string,
  dataDir: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
): Promise<ChildProcess> {
  // Durability settings off: a test database is thrown away, and fsync makes each test seconds slower.
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-h',
      '127.0.0.1',
      '-k',
      dataDir,
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'synchronous_commit=off',
    ],
    { stdio: 'ignore', ...(user ?? {}) },
  );
  const ready = () =>
    spawnSync(join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], {
      timeout: 5_000,
    }).status === 0;
  await waitUntil('postgres', ready, child);
  return child;
}

export async function startMysql(baseDir = defaultBase()): Promise<DatabaseServer> {
  mkdirSync(baseDir, { recursive: true });
  const dataDir = mkdtempSync(join(baseDir, 'mariadb-'));
  const socket = join(dataDir, 'mysqld.sock');
  const asRoot = process.getuid?.() === 0;
  const userArgs = asRoot ? ['--user=root'] : [];
  run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--auth-root-authentication-method=socket',
    '--skip-test-db',
    ...userArgs,
  ]);
  const port = await freePort();
  const child = spawn(
    'mariadbd',
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      ...userArgs,
      '--skip-networking=0',
      '--bind-address=127.0.0.1',
      `--port=${port}`,
      `--socket=${socket}`,
      `--pid-file=${join(dataDir, 'mysqld.pid')}`,
      '--skip-log-bin',
      '--performance-schema=OFF',
      '--innodb-buffer-pool-size=32M',
      '--innodb-flush-log-at-trx-commit=0',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
    ],
    { stdio: 'ignore' },
  );
  const admin = (args: string[]) =>
    spawnSync('mariadb', ['--no-defaults', `--socket=${socket}`, '-u', 'root', ...args], {
      encoding: 'utf8',
      timeout: 10_000,
    });
  await waitUntil('mariadbd', () => admin(['-e', 'select 1']).status === 0, child);
  // root authenticates by socket owner; the test user connects over TCP like the backend does.
  const setup = admin([
    '-e',
    "CREATE DATABASE ksgpuml; CREATE USER 'ksgpuml'@'127.0.0.1' IDENTIFIED BY 'ksgpuml'; GRANT ALL ON ksgpuml.* TO 'ksgpuml'@'127.0.0.1';",
  ]);
  if (setup.status !== 0) throw new Error(`mariadb setup failed: ${setup.stderr}`);
  return {
    kind: 'mysql',
    url: `mysql://ksgpuml:ksgpuml@127.0.0.1:${port}/ksgpuml`,
    pid: child.pid!,
    dataDir,
    stop: () => stopChild(child, 'SIGTERM', dataDir),
  };
}

/** Both servers, started in parallel; `stop` stops both. */
export async function startDatabases(baseDir = defaultBase()): Promise<{
  postgres: DatabaseServer;
  mysql: DatabaseServer;
  stop(): Promise<void>;
}> {
  const results = await Promise.allSettled([startPostgres(baseDir), startMysql(baseDir)]);
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((s) => s.stop()));
    throw failed.reason;
  }
  const [postgres, mysql] = started as [DatabaseServer, DatabaseServer];
  return { postgres, mysql, stop: async () => void (await Promise.all([postgres.stop(), mysql.stop()])) };
}
