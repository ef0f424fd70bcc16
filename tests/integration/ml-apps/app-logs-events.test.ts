// Logs and events of ML apps through our backend against the sandbox. Logs take the real apiserver path
// (pods/log → the node's kubelet endpoint): the sandbox's KWOK nodes do not serve container logs (their address
// and kubelet port are not reachable), so this test adds one node of its own whose kubelet is a **kubelet log
// stand-in** — a small HTTPS server answering the kubelet's `/containerLogs/{namespace}/{pod}/{container}` — and
// binds the notebook's pod to it. Events come from the real scheduler.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { sandboxUser } from '../../sandbox/src/env.js';
import { adminKubeConfig, createTestNamespace, uniqueName, waitFor } from '../../sandbox/src/testing.js';
import { call, type BackendProcess } from '../backend/backend-process.js';
import { undoAfterTests } from '../backend/undo.js';
import { GROUP_PATH, startMlAppsBackend } from './ml-apps-backend.js';

const core = adminKubeConfig().makeApiClient(CoreV1Api);
const admin = () => sandboxUser('admin').token;

let backend: BackendProcess;
const cleanups = undoAfterTests(); // registered before the after() that stops the backend, so it runs first

/** The kubelet log stand-in: what it was asked, and the lines it serves per container. */
const asked: string[] = [];
let kubelet: Server;

function startKubeletStandIn(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kubelet-standin-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1'].concat([
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ]),
    { stdio: 'ignore' },
  );
  kubelet = createServer(
    { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
    (req, res) => {
      asked.push(req.url ?? '');
      const match = /^\/containerLogs\/([^/]+)\/([^/]+)\/([^/?]+)/.exec(req.url ?? '');
      if (!match) return void res.writeHead(404).end('not found');
      const tail = Number(new URL(req.url!, 'https://x').searchParams.get('tailLines') ?? '1000');
      const lines = Array.from({ length: 10 }, (_, i) => `${match[2]}/${match[3]} line ${i + 1}`);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.slice(-tail).join('\n') + '\n');
    },
  );
  return new Promise((resolve) =>
    kubelet.listen(0, '127.0.0.1', () => resolve((kubelet.address() as AddressInfo).port)),
  );
}

/** A node whose kubelet endpoint is the stand-in; tainted, so the scheduler places nothing else there. */
async function standInNode(port: number): Promise<string> {
  const name = uniqueName('ml-logs-node');
  await core.createNode({
    body: {
      metadata: { name, labels: { 'ks-gpu-ml.test/kubelet-stand-in': 'true' } },
      spec: { taints: [{ key: 'ks-gpu-ml.test/stand-in', value: 'kubelet', effect: 'NoSchedule' }] },
    },
  });
  cleanups.push(async () => void (await core.deleteNode({ name })));
  await core.patchNodeStatus(
    {
      name,
      body: {
        status: {
          addresses: [{ type: 'InternalIP', address: '127.0.0.1' }],
          daemonEndpoints: { kubeletEndpoint: { Port: port } },
        },
      },
    },
    setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
  );
  return name;
}

const get = (ns: string, path: string, token = admin()) =>
  call(backend, 'GET', `${GROUP_PATH}/namespaces/${ns}/${path}`, { token });

before(async () => {
  backend = await startMlAppsBackend();
});
after(async () => {
  kubelet?.close();
  assert.equal(await backend?.stop(), 0, 'graceful shutdown exits 0');
});

describe('pod logs', () => {
  it("reads a notebook pod's log through the apiserver from the node's kubelet, tail and container as asked", async () => {
    const node = await standInNode(await startKubeletStandIn());
    const ns = await createTestNamespace('ml-logs');
    cleanups.push(ns.remove);
    const pod = (name: string, labels: Record<string, string>) =>
      core.createNamespacedPod({
        namespace: ns.name,
        body: {
          metadata: { name, labels },
          spec: {
            nodeName: node,
            containers: [
              { name: 'main', image: 'sandbox.local/jupyter:1' },
              { name: 'sidecar', image: 'sandbox.local/proxy:1' },
            ],
          },
        },
      });
    await pod('nb-0', { 'notebook-name': 'nb' });
    await pod('plain', { app: 'web' });
    // A KServe service's transformer pod (its label): the serving detail reads its log the same way.
    await pod('iris-transformer-0', {
      'serving.kserve.io/inferenceservice': 'iris',
      component: 'transformer',
    });

    const res = await get(ns.name, 'mlpods/nb-0/log?tailLines=3');
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      pod: 'nb-0',
      container: 'main',
      log: 'nb-0/main line 8\nnb-0/main line 9\nnb-0/main line 10\n',
    });
    assert.ok(
      asked.some((u) => u.startsWith(`/containerLogs/${ns.name}/nb-0/main?`) && u.includes('tailLines=3')),
      asked.join(' '),
    );
    const transformer = await get(ns.name, 'mlpods/iris-transformer-0/log?tailLines=1');
    assert.equal(transformer.status, 200, JSON.stringify(transformer.body));
    assert.equal(transformer.body.log, 'iris-transformer-0/main line 10\n');
    const sidecar = await get(ns.name, 'mlpods/nb-0/log?container=sidecar&tailLines=1');
    assert.equal(sidecar.body.log, 'nb-0/sidecar line 10\n');

    // Not an ML app's pod, a container it lacks, a bad tail: refused, and the stand-in never asked.
    const before = asked.length;
    assert.equal((await get(ns.name, 'mlpods/plain/log')).status, 404);
    const noContainer = await get(ns.name, 'mlpods/nb-0/log?container=other');
    assert.equal(noContainer.status, 400);
    assert.equal((noContainer.body.details as { field: string }).field, 'query.container');
    assert.equal((await get(ns.name, 'mlpods/nb-0/log?tailLines=0')).status, 400);
    assert.equal(asked.length, before);
    // Someone who is not a member of the project.
    assert.equal((await get(ns.name, 'mlpods/nb-0/log', sandboxUser('alice').token)).status, 403);
    assert.equal(
      (await get(ns.name, 'mlevents?kind=Notebook&name=nb', sandboxUser('alice').token)).status,
      403,
    );
  });

  it("a pod with no node yet answers 409 with the scheduler's words", async () => {
    const ns = await createTestNamespace('ml-logs2');
    cleanups.push(ns.remove);
    await core.createNamespacedPod({
      namespace: ns.name,
      body: {
        metadata: { name: 'job-worker-0', labels: { 'training.kubeflow.org/job-name': 'job' } },
        spec: {
          nodeSelector: { 'ks-gpu-ml.test/none': 'x' },
          containers: [{ name: 'tensorflow', image: 'sandbox.local/train:1' }],
        },
      },
    });
    let scheduler = '';
    await waitFor('the scheduler refuses the pod', async () => {
      const pod = await core.readNamespacedPod({ name: 'job-worker-0', namespace: ns.name });
      scheduler = pod.status?.conditions?.find((c) => c.type === 'PodScheduled')?.message ?? '';
      return scheduler !== '';
    });
    const res = await get(ns.name, 'mlpods/job-worker-0/log');
    assert.equal(res.status, 409, JSON.stringify(res.body));
    assert.equal((res.body.details as { message: string }).message, scheduler);
    assert.match(res.body.message as string, /not on a node yet/);
  });
});

describe('app events', () => {
  it("lists a waiting job's scheduler events and its pods; another app's are left out", async () => {
    const ns = await createTestNamespace('ml-events');
    cleanups.push(ns.remove);
    const workerPod = (job: string) =>
      core.createNamespacedPod({
        namespace: ns.name,
        body: {
          metadata: { name: `${job}-worker-0`, labels: { 'training.kubeflow.org/job-name': job } },
          spec: {
            nodeSelector: { 'ks-gpu-ml.test/none': 'x' },
            containers: [{ name: 'pytorch', image: 'sandbox.local/train:1' }],
          },
        },
      });
    await workerPod('ddp');
    await workerPod('other');
    let events: { reason: string; object: string; message: string; type: string }[] = [];
    await waitFor('the scheduler event is listed', async () => {
      const res = await get(ns.name, 'mlevents?kind=PyTorchJob&name=ddp');
      assert.equal(res.status, 200, JSON.stringify(res.body));
      events = res.body.items as typeof events;
      return events.some((e) => e.reason === 'FailedScheduling');
    });
    const scheduling = events.find((e) => e.reason === 'FailedScheduling')!;
    assert.equal(scheduling.object, 'Pod/ddp-worker-0');
    assert.equal(scheduling.type, 'Warning');
    assert.match(scheduling.message, /didn't match Pod's node affinity\/selector/);
    assert.ok(
      events.every((e) => e.object === 'Pod/ddp-worker-0'),
      JSON.stringify(events),
    );
    const res = await get(ns.name, 'mlevents?kind=PyTorchJob&name=ddp');
    assert.deepEqual(res.body.pods, [{ name: 'ddp-worker-0', containers: ['pytorch'] }]);
    const bad = await get(ns.name, 'mlevents?kind=Deployment&name=ddp');
    assert.equal(bad.status, 400);
  });
});
