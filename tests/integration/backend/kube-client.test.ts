// The backend's kube-apiserver client against the real apiserver. Its reviews reuse one kept-alive TLS connection
// (client-node alone opens one per request, and each uncached authorization paid that handshake), and the kept
// connection follows the kubeconfig's CA file: a CA the server's certificate does not chain to fails the next
// review, and restoring the right CA works again without a restart.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { createKubeClient, loadKubeConfig } from '../../../backend/src/clients/kube.js';
import { UpstreamError } from '../../../backend/src/clients/upstream.js';
import { createPki } from '../../sandbox/src/pki.js';
import { readSandboxEnv } from '../../sandbox/src/env.js';

const review = {
  user: 'admin',
  groups: ['system:authenticated'],
  resourceAttributes: { verb: 'get', group: 'gpu-monitoring.ks-gpu-ml.io', resource: 'gpusummary' },
};

describe('kube client', () => {
  it('sequential reviews share one kept-alive connection, and still answer correctly', async () => {
    const kube = createKubeClient({ kubeconfigPath: readSandboxEnv().KUBECONFIG, timeoutMs: 10_000 });
    // https.Agent opens each connection with tls.connect, looked up on the module at call time.
    let opened = 0;
    const connect = tls.connect;
    tls.connect = ((...args: Parameters<typeof tls.connect>) => (
      opened++,
      connect(...args)
    )) as typeof tls.connect;
    try {
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push((await kube.subjectAccessReview(review)).allowed);
      const token = await kube.tokenReview('not-a-token');
      // kube-apiserver leaves `authenticated: false` out of the status.
      assert.deepEqual([answers, token.authenticated ?? false], [[true, true, true, true], false]);
    } finally {
      tls.connect = connect;
    }
    assert.equal(opened, 1, 'connections opened for five requests');
  });

  it("follows the kubeconfig's CA file: a foreign CA fails the next review, the right one works again", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kube-client-'));
    try {
      const sandbox = loadKubeConfig(readSandboxEnv().KUBECONFIG);
      const cluster = sandbox.getCurrentCluster()!;
      const rightCa = cluster.caData
        ? Buffer.from(cluster.caData, 'base64').toString()
        : readFileSync(cluster.caFile!, 'utf8');
      const foreignCa = readFileSync(createPki(join(dir, 'foreign')).caCert, 'utf8');
      const caFile = join(dir, 'ca.crt');
      const kubeconfig = join(dir, 'kubeconfig');
      writeFileSync(caFile, rightCa);
      writeFileSync(
        kubeconfig,
        stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: cluster.server, 'certificate-authority': caFile } }],
          users: [{ name: 'u', user: { token: sandbox.getCurrentUser()!.token } }],
          contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'x',
        }),
      );
      const kube = createKubeClient({ kubeconfigPath: kubeconfig, timeoutMs: 10_000 });
      assert.equal((await kube.subjectAccessReview(review)).allowed, true);
      writeFileSync(caFile, foreignCa);
      await assert.rejects(kube.subjectAccessReview(review), (err) => err instanceof UpstreamError);
      writeFileSync(caFile, rightCa);
      assert.equal((await kube.subjectAccessReview(review)).allowed, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
