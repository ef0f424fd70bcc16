// The backend image's file tree, assembled by charts/image/assemble.sh (what the Dockerfile's build stage runs),
// holds only what runs, and the backend starts from it as the chart runs it: the tree mounted read-only, TLS from
// files, a writable /data-like folder for the store, FEATURES naming one feature, against the sandbox.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { readSandboxEnv, repoRoot } from '../sandbox/src/env.js';

const work = mkdtempSync(join(tmpdir(), 'ks-gpu-ml-tree-'));
const tree = join(work, 'app');
const data = join(work, 'data');

function getTls(url: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the backend image tree', { timeout: 180_000 }, () => {
  before(() => {
    execFileSync('bash', [join(repoRoot, 'charts/image/assemble.sh'), tree], { stdio: 'ignore' });
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the compiled backend, contracts and locales, and no sources, tests or dev tools', () => {
    for (const path of ['backend/dist/server.js', 'contracts/dist', 'locales/zh/backend.json'])
      assert.ok(existsSync(join(tree, path)), path);
    for (const path of [
      'backend/src',
      'contracts/src',
      'node_modules/typescript',
      'node_modules/tsx',
      'tests',
    ])
      assert.ok(!existsSync(join(tree, path)), `${path} is shipped`);
    const tests = execFileSync('find', [join(tree, 'backend/dist'), '-name', '*.test.js'], {
      encoding: 'utf8',
    });
    assert.equal(tests.trim(), '');
  });

  it('starts from the tree mounted read-only, serving TLS, with the store on a writable volume', async () => {
    const cert = join(work, 'tls.crt');
    const key = join(work, 'tls.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ],
      { stdio: 'ignore' },
    );
    execFileSync('mkdir', ['-p', data]);
    // A mount namespace of its own, where the tree is a read-only bind mount: as readOnlyRootFilesystem.
    const script =
      'mount --bind "$TREE" "$TREE" && mount -o remount,bind,ro "$TREE" && ' +
      'exec node --conditions=production "$TREE/backend/dist/server.js"';
    const child = spawn('unshare', ['-m', 'sh', '-c', script], {
      cwd: '/',
      env: {
        PATH: process.env.PATH,
        TREE: tree,
        HOST: '127.0.0.1',
        PORT: '0',
        FEATURES: 'gpu-quota',
        TLS_CERT_FILE: cert,
        TLS_KEY_FILE: key,
        AUTH_MODE: 'kubernetes',
        KUBECONFIG: readSandboxEnv().KUBECONFIG,
        STORE_URL: `sqlite:${join(data, 'backend.sqlite')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const logs: string[] = [];
    createInterface({ input: child.stderr }).on('line', (l) => logs.push(l));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start in 30 s:\n${logs.join('\n')}`)), 30_000);
        createInterface({ input: child.stdout }).on('line', (line) => {
          logs.push(line);
          const entry = JSON.parse(line) as { msg?: string; url?: string };
          if (entry.msg === 'backend listening' && entry.url) {
            clearTimeout(timer);
            resolve(entry.url);
          }
        });
        child.once('exit', (code) => reject(new Error(`exited (${code}):\n${logs.join('\n')}`)));
      });
      assert.match(url, /^https:/);
      const ca = readFileSync(cert, 'utf8');
      assert.equal((await getTls(`${url}/healthz`, ca)).status, 200);
      const ready = await getTls(`${url}/readyz`, ca);
      assert.equal(ready.status, 200, ready.body);
      assert.ok(existsSync(join(data, 'backend.sqlite')), 'the store is on the writable volume');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
