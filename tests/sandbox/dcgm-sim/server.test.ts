import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { parseCli } from './cli-options.js';
import { fakeCluster, gpuNode, gpuPod, namespace } from './fixtures.js';
import { labelOf, parseExposition } from './prom-text.js';
import { startServer } from './server.js';
import { DcgmSimulator } from './simulator.js';

const sim = new DcgmSimulator(
  fakeCluster(
    [gpuNode('gpu-h100-0', 'NVIDIA-H100-80GB-HBM3')],
    [gpuPod('p', { node: 'gpu-h100-0' })],
    [namespace('team-a')],
  ),
);
const { server, url } = await startServer(sim, { port: 0 });
after(() => server.close());

test('listens on loopback and serves both expositions', async () => {
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const res = await fetch(`${url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  const util = parseExposition(await res.text()).get('DCGM_FI_DEV_GPU_UTIL')!.samples;
  assert.equal(labelOf(util[0]!, 'modelName'), 'NVIDIA H100 80GB HBM3');
  const ksm = parseExposition(await (await fetch(`${url}/ksm/metrics`)).text());
  assert.ok(ksm.get('kube_pod_container_resource_requests'));
});

test('POST /variant switches the labels of later scrapes; ?variant= renders one scrape', async () => {
  const once = await (await fetch(`${url}/metrics?variant=lowercase-hostname`)).text();
  assert.match(once, /hostname="gpu-h100-0"/);
  assert.match(await (await fetch(`${url}/metrics`)).text(), /Hostname="gpu-h100-0"/);
  const switched = await fetch(`${url}/variant?name=exported`, { method: 'POST' });
  assert.deepEqual(await switched.json(), { variant: 'exported' });
  assert.match(await (await fetch(`${url}/metrics`)).text(), /exported_pod="p"/);
  assert.equal((await fetch(`${url}/variant?name=nope`, { method: 'POST' })).status, 400);
  await fetch(`${url}/variant?name=default`, { method: 'POST' });
});

test('debug view lists which pod holds which GPU', async () => {
  const slots = (await (await fetch(`${url}/debug/assignments`)).json()) as {
    gpu: number;
    holders: { pod: string }[];
  }[];
  assert.equal(slots.length, 8);
  assert.deepEqual(
    slots[0]!.holders.map((h) => h.pod),
    ['p'],
  );
  assert.deepEqual(slots[1]!.holders, []);
});

test('command line: required options, loopback only, known variants', () => {
  assert.deepEqual(parseCli(['--kubeconfig', 'k', '--port', '9400']), {
    kubeconfig: 'k',
    port: 9400,
    host: '127.0.0.1',
    variant: 'default',
  });
  assert.equal(
    parseCli(['--kubeconfig', 'k', '--port', '1', '--label-variant', 'exported']).variant,
    'exported',
  );
  assert.throws(() => parseCli(['--port', '1']), /--kubeconfig/);
  assert.throws(() => parseCli(['--kubeconfig', 'k', '--port', '1', '--host', '0.0.0.0']), /loopback/);
  assert.throws(
    () => parseCli(['--kubeconfig', 'k', '--port', '1', '--label-variant', 'x']),
    /label-variant/,
  );
});
