// A file-valued setting naming a file that is missing or unusable stops the real backend process with exit 78
// (EX_CONFIG) and one line naming the key and what is wrong — never a stack trace. Needs no sandbox.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnBackend, writeKubeconfig } from './backend-process.js';

const dir = mkdtempSync(join(tmpdir(), 'startup-errors-'));
const missing = join(dir, 'no-such-file');
const garbage = join(dir, 'garbage');
writeFileSync(garbage, 'this is neither a kubeconfig nor a PEM file: [');

/** Runs the backend until it exits; its exit code and everything it wrote. */
async function exitOf(env: Record<string, string>): Promise<{ code: number | null; output: string[] }> {
  const { child, logs, exited } = spawnBackend(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await exited;
  clearTimeout(timer);
  await new Promise((resolve) => setImmediate(resolve)); // the last lines
  return { code, output: logs.filter((line) => line.trim() !== '') };
}

function assertOneLineNaming(result: { code: number | null; output: string[] }, key: string, file: string) {
  assert.equal(result.code, 78, result.output.join('\n'));
  assert.equal(result.output.length, 1, `one line, not a stack trace:\n${result.output.join('\n')}`);
  const [line] = result.output as [string];
  assert.ok(line.includes(key), line);
  assert.ok(line.includes(file), line);
  assert.doesNotMatch(line, /\bat .+:\d+:\d+/, 'no stack frame');
}

describe('file-valued settings are checked at start', () => {
  const base = { KUBECONFIG: garbage, PROMETHEUS_URL: 'http://127.0.0.1:9', FEATURES: 'gpu-monitoring' };

  for (const key of ['KUBECONFIG', 'KS_TOKEN_FILE', 'TLS_CERT_FILE', 'TLS_KEY_FILE']) {
    it(`${key} naming a missing file exits 78 with one line naming ${key}`, async () => {
      const tls: Record<string, string> = key.startsWith('TLS_')
        ? { TLS_CERT_FILE: garbage, TLS_KEY_FILE: garbage }
        : {};
      const ks: Record<string, string> =
        key === 'KS_TOKEN_FILE' ? { AUTH_MODE: 'kubesphere', KS_APISERVER_URL: 'http://127.0.0.1:9' } : {};
      assertOneLineNaming(await exitOf({ ...base, ...tls, ...ks, [key]: missing }), key, missing);
    });
  }

  it('no KUBECONFIG outside a pod exits 78 naming KUBECONFIG', async () => {
    const { KUBECONFIG: _none, ...outsideAPod } = base;
    const result = await exitOf(outsideAPod);
    assert.equal(result.code, 78, result.output.join('\n'));
    assert.equal(result.output.length, 1, result.output.join('\n'));
    assert.match(result.output[0]!, /KUBECONFIG is required outside a pod/);
  });

  it('a KUBECONFIG naming a missing CA file exits 78 naming KUBECONFIG and the file', async () => {
    const kubeconfig = join(dir, 'kubeconfig-ca');
    writeFileSync(
      kubeconfig,
      readFileSync(writeKubeconfig(dir, 9), 'utf8').replace(
        '"insecure-skip-tls-verify":true',
        `"certificate-authority":"${missing}"`,
      ),
    );
    assertOneLineNaming(await exitOf({ ...base, KUBECONFIG: kubeconfig }), 'KUBECONFIG', missing);
  });

  it('a KUBECONFIG that is not a kubeconfig exits 78 naming KUBECONFIG', async () => {
    assertOneLineNaming(await exitOf(base), 'KUBECONFIG', garbage);
  });

  it('TLS files that are not PEM exit 78 naming TLS_CERT_FILE', async () => {
    const kubeconfig = writeKubeconfig(dir, 9);
    const result = await exitOf({
      ...base,
      KUBECONFIG: kubeconfig,
      TLS_CERT_FILE: garbage,
      TLS_KEY_FILE: garbage,
    });
    assertOneLineNaming(result, 'TLS_CERT_FILE', garbage);
  });

  it('listening beyond loopback without TLS needs PLAIN_HTTP=true, said in one line', async () => {
    const result = await exitOf({ ...base, HOST: '0.0.0.0' });
    assert.equal(result.code, 78, result.output.join('\n'));
    assert.equal(result.output.length, 1, result.output.join('\n'));
    assert.match(result.output[0]!, /TLS_CERT_FILE.*PLAIN_HTTP/);
  });
});
