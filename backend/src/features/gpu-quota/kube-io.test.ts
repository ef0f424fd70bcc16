// The quota path's Kubernetes calls against a black-holed apiserver: a server that accepts connections and never
// answers. Without a deadline the workspace lock would be held forever; each call must fail instead.
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createKubeClient } from '../../clients/kube.js';
import { kubeconfigFor } from '../../clients/test-kubeconfig.js';
import { UpstreamError } from '../../clients/upstream.js';
import { createWorkspaceMembership } from '../../clients/workspace-membership.js';
import { createGpuQuotaKube, type GpuQuotaKube } from './kube-io.js';
import { resourceQuotaApply } from './resourcequota.js';

let server: Server;
const sockets = new Set<Socket>();
let kube: GpuQuotaKube;

before(async () => {
  server = createServer((socket) => {
    sockets.add(socket); // read nothing back, answer nothing
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = createKubeClient({
    kubeconfigPath: kubeconfigFor(`http://127.0.0.1:${port}`),
    timeoutMs: 200,
  });
  const budget = 64 * 1024 * 1024;
  kube = createGpuQuotaKube(client, createWorkspaceMembership(client, { maxBytes: budget }), {
    watchCacheMaxBytes: budget,
  });
});
after(async () => {
  await kube.stop();
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const ref = { apiVersion: 'kueue.x-k8s.io/v1beta1', kind: 'ClusterQueue', name: 'ks-gpu-ml-team' };

describe('gpu-quota Kubernetes calls have a deadline', { timeout: 20_000 }, () => {
  const calls: [string, () => Promise<unknown>][] = [
    [
      'apply',
      () => kube.apply(resourceQuotaApply('team', [{ resource: 'nvidia.com/gpu', base: 0, max: 1 }])),
    ],
    ['read', () => kube.read(ref)],
    ['removeOwned', () => kube.removeOwned(ref)],
    ['ownConfigMaps', () => kube.ownConfigMaps('a=b')],
    ['ownQuotas', () => kube.ownQuotas()],
    ['namespace', () => kube.namespace('team')],
  ];
  for (const [name, call] of calls) {
    it(`${name} fails with an upstream error instead of waiting forever`, async () => {
      await assert.rejects(call(), (err) => {
        assert.ok(err instanceof UpstreamError, String(err));
        // The deadline's abort, not some other failure that happened to come first.
        assert.match(String((err.cause as Error)?.message ?? err.cause), /abort|timeout|timed out/i);
        return true;
      });
    });
  }
});
