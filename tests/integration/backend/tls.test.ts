// The listener serves TLS from TLS_CERT_FILE / TLS_KEY_FILE and follows a rotation of those files without a
// restart. Certificates from the sandbox's openssl helper (a CA and a serving certificate for 127.0.0.1); needs no
// running sandbox: kube-apiserver and Prometheus are unreachable ports.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { createPki, type Pki } from '../../sandbox/src/pki.js';
import { startBackendWith, writeKubeconfig, type BackendProcess } from './backend-process.js';

const dir = mkdtempSync(join(tmpdir(), 'backend-tls-'));
const certFile = join(dir, 'tls.crt');
const keyFile = join(dir, 'tls.key');
let first: Pki;
let second: Pki;
let backend: BackendProcess;

/** Replaces a file the way the kubelet updates a mounted Secret: the new content appears at once. */
function replace(from: string, to: string): void {
  copyFileSync(from, `${to}.new`);
  renameSync(`${to}.new`, to);
}

/** GET /healthz over HTTPS trusting only the CA in `caFile`: the status and the served certificate. */
function healthz(caFile: string): Promise<{ status: number; fingerprint: string }> {
  return new Promise((resolve, reject) => {
    const options = { ca: readFileSync(caFile), agent: false as const };
    const req = request(`${backend.url}/healthz`, options, (res) => {
      const fingerprint = (res.socket as TLSSocket).getPeerCertificate().fingerprint256;
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, fingerprint }));
    });
    req.on('error', reject);
    req.end();
  });
}

before(async () => {
  first = createPki(join(dir, 'first'));
  second = createPki(join(dir, 'second'));
  replace(first.apiserverCert, certFile);
  replace(first.apiserverKey, keyFile);
  backend = await startBackendWith({
    KUBECONFIG: writeKubeconfig(dir, 9),
    PROMETHEUS_URL: 'http://127.0.0.1:9',
    FEATURES: 'gpu-monitoring',
    TLS_CERT_FILE: certFile,
    TLS_KEY_FILE: keyFile,
    TLS_RELOAD_MS: '200',
  });
});
after(async () => {
  await backend?.stop();
});

describe('TLS on the listener', () => {
  it('serves HTTPS with the configured certificate, verified against its CA', async () => {
    assert.match(backend.url, /^https:\/\//);
    const res = await healthz(first.caCert);
    assert.equal(res.status, 200);
    await assert.rejects(healthz(second.caCert), /self[- ]signed|unable to verify|certificate/i);
  });

  it('serves the rotated certificate to new connections without a restart', async () => {
    const before = (await healthz(first.caCert)).fingerprint;
    replace(second.apiserverKey, keyFile);
    replace(second.apiserverCert, certFile);
    let served: { status: number; fingerprint: string } | undefined;
    // The reload interval is 200 ms; a loaded 2-core machine gets ten times that before the test gives up.
    for (let attempt = 0; attempt < 40 && !served; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      served = await healthz(second.caCert).catch(() => undefined);
    }
    assert.ok(served, 'the rotated certificate was never served');
    assert.equal(served.status, 200);
    assert.notEqual(served.fingerprint, before);
    assert.ok(backend.logs.some((line) => line.includes('TLS certificate reloaded')));
  });

  it('keeps serving the current certificate when a rotation leaves an unusable pair', async () => {
    writeFileSync(keyFile, 'not a key');
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal((await healthz(second.caCert)).status, 200);
    assert.doesNotMatch(backend.logs.join('\n'), /BEGIN (RSA |EC )?PRIVATE KEY/, 'no key material logged');
  });
});
