// Shared by every benchmark: find or start the sandbox, compute percentiles, and report figures
// as `<bench>.<figure> <value> <unit>` lines plus `bench/out/<bench>.json`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSandboxEnv, repoRoot, sandboxDir, type SandboxEnv } from '../tests/sandbox/src/env.js';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** What the figure is compared against, when the issue sets a target. */
  target?: string;
}

export function report(bench: string, figures: Figure[], notes: string[] = []): void {
  for (const note of notes) console.log(`# ${bench}: ${note}`);
  for (const f of figures) {
    const value = Number.isInteger(f.value) ? f.value : Number(f.value.toFixed(2));
    console.log(`${bench}.${f.name} ${value} ${f.unit}${f.target ? `   (target ${f.target})` : ''}`);
  }
  const out = join(repoRoot, 'bench/out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    join(out, `${bench}.json`),
    JSON.stringify({ bench, at: new Date().toISOString(), figures, notes }, null, 2) + '\n',
  );
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

/** The running sandbox, or one started for this benchmark (stopped again by `release`). */
export function useSandbox(upArgs: string[] = []): { env: SandboxEnv; release: () => void } {
  if (existsSync(join(sandboxDir(), 'env'))) return { env: readSandboxEnv(), release: () => undefined };
  sandboxCli('up', ...upArgs);
  return { env: readSandboxEnv(), release: () => sandboxCli('down') };
}

/** Resident set size of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = spawnSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' }).stdout;
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}
