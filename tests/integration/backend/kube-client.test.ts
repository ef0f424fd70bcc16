// The backend's kube-apiserver client against the real apiserver: its reviews reuse one kept-alive TLS connection.
// client-node alone opens a new connection for every request; each uncached authorization paid that handshake.
import assert from 'node:assert/strict';
import tls from 'node:tls';
import { describe, it } from 'node:test';
import { createKubeClient } from '../../../backend/src/clients/kube.js';
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
});
