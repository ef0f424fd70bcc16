// The sandbox's own lifecycle, on a second, small sandbox in a temporary folder:
// `up` is idempotent, `status` reports it, and `down` leaves no process behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../sandbox/src/env.js';
import { isAlive, type SandboxState } from '../sandbox/src/processes.js';

const dir = join(mkdtempSync(join(tmpdir(), 'ks-gpu-ml-lifecycle-')), 'sandbox');

function sandbox(...args: string[]) {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'tests/sandbox/src/cli.ts'), ...args],
    { cwd: repoRoot, env: { ...process.env, SANDBOX_DIR: dir }, encoding: 'utf8', timeout: 300_000 },
  );
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

const readPids = (): number[] =>
  (JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SandboxState).processes.map((p) => p.pid);

describe('sandbox lifecycle', () => {
  let pids: number[] = [];
  after(() => {
    if (existsSync(join(dir, 'state.json'))) sandbox('down');
  });

  it('up starts every part and status reports them running', () => {
    const first = sandbox('up', '--nodes', '1', '--crds', 'none');
    assert.equal(first.code, 0, first.out);
    pids = readPids();
    assert.ok(
      pids.length >= 8,
      `expected the control plane, KWOK and monitoring, got ${pids.length} processes`,
    );
    const status = sandbox('status');
    assert.equal(status.code, 0, status.out);
    for (const name of [
      'etcd',
      'kube-apiserver',
      'kube-controller-manager',
      'kube-scheduler',
      'kwok',
      'prometheus',
    ]) {
      assert.match(status.out, new RegExp(`running\\s+${name}\\s`), `${name} in:\n${status.out}`);
    }
  });

  it('a second up finds it running and starts nothing new', () => {
    const again = sandbox('up', '--nodes', '1', '--crds', 'none');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /already up/);
    assert.deepEqual(readPids(), pids);
  });

  it('down stops every process it started and removes its data', () => {
    const down = sandbox('down');
    assert.equal(down.code, 0, down.out);
    assert.deepEqual(pids.filter(isAlive), [], 'no process of the sandbox is left');
    assert.equal(existsSync(dir), false);
    assert.notEqual(sandbox('status').code, 0);
  });
});
