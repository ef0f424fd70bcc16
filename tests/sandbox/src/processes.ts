// Starts the sandbox's servers as detached process groups with their output in `.sandbox/logs`,
// and records each pid in `.sandbox/state.json` so `down` stops exactly what `up` started.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from './layout.js';
import { WaitAborted } from './wait.js';

export interface ProcessRecord {
  name: string;
  pid: number;
  command: string;
  log: string;
  /** Where it serves, for `status` and `.sandbox/env`. */
  url?: string;
}

export interface SandboxState {
  startedAt: string;
  processes: ProcessRecord[];
}

export function readState(): SandboxState | undefined {
  if (!existsSync(layout.state)) return undefined;
  return JSON.parse(readFileSync(layout.state, 'utf8')) as SandboxState;
}

function writeState(state: SandboxState): void {
  writeFileSync(layout.state, JSON.stringify(state, null, 2) + '\n');
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env?: Record<string, string>; url?: string; cwd?: string } = {},
): ProcessRecord {
  mkdirSync(layout.logs, { recursive: true });
  const log = join(layout.logs, `${name}.log`);
  const fd = openSync(log, 'a');
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true, // its own process group: `down` signals the group, children included
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`could not start ${name} (${command})`);
  child.unref();
  const record: ProcessRecord = { name, pid: child.pid, command: [command, ...args].join(' '), log };
  if (options.url) record.url = options.url;
  const state = readState() ?? { startedAt: new Date().toISOString(), processes: [] };
  state.processes.push(record);
  writeState(state);
  return record;
}

/** Throws with the tail of the log when a process died during start-up. */
export function assertRunning(record: ProcessRecord): void {
  if (isAlive(record.pid)) return;
  const tail = existsSync(record.log)
    ? readFileSync(record.log, 'utf8').split('\n').slice(-25).join('\n')
    : '';
  throw new WaitAborted(`${record.name} exited during start-up; last lines of ${record.log}:\n${tail}`);
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

async function waitUntilGone(records: ProcessRecord[], ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (records.some((r) => isAlive(r.pid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopTogether(records: ProcessRecord[], graceMs: number): Promise<void> {
  for (const record of records) signalGroup(record.pid, 'SIGTERM');
  await waitUntilGone(records, graceMs);
  // SIGKILL stragglers, and any group that outlived its leader (a grandchild).
  for (const record of records) signalGroup(record.pid, 'SIGKILL');
  await waitUntilGone(records, 2000);
}

/**
 * Stops every recorded process group. Each takes about two seconds to shut down cleanly, so they
 * stop together rather than in turn — except etcd, which goes last: kube-apiserver's graceful
 * shutdown stalls when its storage disappears under it.
 */
export async function stopAll(graceMs = 10_000): Promise<ProcessRecord[]> {
  const state = readState();
  if (!state) return [];
  const records = [...state.processes].reverse();
  await stopTogether(
    records.filter((r) => r.name !== 'etcd'),
    graceMs,
  );
  await stopTogether(
    records.filter((r) => r.name === 'etcd'),
    graceMs,
  );
  return records;
}
